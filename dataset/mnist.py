"""MNIST for the notebooks: load_mnist() with the primer's signature.

source="bundled" (the default) reads 5,000 real MNIST digits shipped in this folder (see README.md),
split 4,000 train / 1,000 test, 400 / 100 of each digit. Works offline, loads in milliseconds.
"""

import hashlib
from pathlib import Path

import numpy as np

BUNDLE_PATH = Path(__file__).with_name("mnist_5k.npz")
BUNDLE_SHA256 = "50df3ee4e38f65b70530f9b06313f2c4affb8ae60614a506c95e425c3500d8fc"
SOURCES = ("bundled", "full", "auto")
NUM_CLASSES = 10
TEST_PER_CLASS = 100  # of the 500 images of each digit


class DatasetError(RuntimeError):
    """The data set is missing, corrupted or unavailable; the message says what to do."""


def load_mnist(normalize=True, flatten=True, one_hot_label=False, source="bundled"):
    """Return ((x_train, t_train), (x_test, t_test)), as the primer's load_mnist does.

    normalize: pixels as float32 in [0, 1] (True) or uint8 0-255 (False).
    flatten: images as (N, 784) (True) or (N, 1, 28, 28) (False).
    one_hot_label: labels as (N, 10) float64 one-hot rows (True) or (N,) uint8 digits (False).
    source: "bundled" (5,000 digits in the repository); "full" and "auto" are for the 70,000-digit set.

    The bundled split takes every 5th image of each digit for the test set, then orders both sets
    digit by digit (0, 1, ..., 9, 0, 1, ...), so x_train[:10] shows the ten digits.
    """
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}, got {source!r}")
    if source != "bundled":
        raise DatasetError(
            f'source="{source}" (the full 70,000-digit MNIST) is not available yet; '
            'use source="bundled"'
        )
    images, labels = _read_bundle()
    train, test = _stratified_split(labels)
    return (
        _format(images[train], labels[train], normalize, flatten, one_hot_label),
        _format(images[test], labels[test], normalize, flatten, one_hot_label),
    )


def _read_bundle(path=BUNDLE_PATH, sha256=BUNDLE_SHA256):
    """(images uint8 (5000, 784), labels uint8 (5000,)) from the bundle, after checking its SHA-256."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DatasetError(f"the bundled MNIST file {path.name} is missing; restore it with git") from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != sha256:
        raise DatasetError(
            f"the bundled MNIST file {path.name} is corrupted: SHA-256 {digest}, expected {sha256}. "
            f"Restore it with `git checkout -- dataset/{path.name}` or rebuild it as dataset/README.md says."
        )
    with np.load(path, allow_pickle=False) as npz:
        return npz["images"], npz["labels"]


def _stratified_split(labels):
    """Index arrays (train, test): per digit, every 5th image to test; both interleaved by digit."""
    train_by_digit, test_by_digit = [], []
    for digit in range(NUM_CLASSES):
        idx = np.flatnonzero(labels == digit)
        is_test = np.arange(len(idx)) % 5 == 4
        train_by_digit.append(idx[~is_test])
        test_by_digit.append(idx[is_test])
    # Column-stack then ravel row by row: sample 0 of each digit, then sample 1 of each digit, ...
    return np.stack(train_by_digit, axis=1).ravel(), np.stack(test_by_digit, axis=1).ravel()


def _format(images, labels, normalize, flatten, one_hot_label):
    x = images.astype(np.float32) / 255.0 if normalize else images.copy()
    if not flatten:
        x = x.reshape(-1, 1, 28, 28)
    t = np.eye(NUM_CLASSES)[labels] if one_hot_label else labels.copy()
    return x, t
