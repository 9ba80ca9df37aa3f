"""dataset: the bundled real MNIST subset: shapes, ranges, balance, split, checksum."""

import hashlib
import shutil

import numpy as np
import pytest

from dataset import DatasetError, load_mnist
from dataset import mnist as mnist_module


def test_default_shapes_and_ranges():
    (x_train, t_train), (x_test, t_test) = load_mnist()
    assert x_train.shape == (4000, 784) and x_test.shape == (1000, 784)
    assert x_train.dtype == np.float32 and t_train.shape == (4000,) and t_test.shape == (1000,)
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    assert set(np.unique(t_train)) == set(range(10))


def test_flags_like_the_primer():
    (x, t), _ = load_mnist(normalize=False, flatten=False, one_hot_label=True)
    assert x.shape == (4000, 1, 28, 28) and x.dtype == np.uint8 and x.max() == 255
    assert t.shape == (4000, 10)
    np.testing.assert_array_equal(t.sum(axis=1), 1)
    (x2, t2), _ = load_mnist()
    np.testing.assert_allclose(x2, x.reshape(4000, 784) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(t2, t.argmax(axis=1))


def test_split_is_stratified_disjoint_and_deterministic():
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=False)
    np.testing.assert_array_equal(np.bincount(t_train), [400] * 10)
    np.testing.assert_array_equal(np.bincount(t_test), [100] * 10)
    np.testing.assert_array_equal(t_train[:10], np.arange(10))
    train_rows = {row.tobytes() for row in x_train}
    assert len(train_rows) > 3990  # real digits: almost all distinct
    assert not any(row.tobytes() in train_rows for row in x_test)
    (x_again, _), _ = load_mnist(normalize=False)
    np.testing.assert_array_equal(x_again, x_train)


def test_images_look_like_digits():
    (x, t), _ = load_mnist(flatten=False)
    # Real MNIST: ink in the centre, empty borders, ~19% of pixels lit.
    mean_img = x.mean(axis=0)[0]
    assert mean_img[10:18, 10:18].mean() > 5 * mean_img[:3, :].mean()
    assert 0.1 < (x > 0.5).mean() < 0.25
    # the digit 1 has the least ink, the digit 0 much more
    ink = [x[t == d].mean() for d in range(10)]
    assert np.argmin(ink) == 1 and ink[0] > 1.5 * ink[1]


def test_bundle_checksum_is_verified(tmp_path):
    good = mnist_module.BUNDLE_PATH
    assert hashlib.sha256(good.read_bytes()).hexdigest() == mnist_module.BUNDLE_SHA256
    bad = tmp_path / "mnist_5k.npz"
    shutil.copy(good, bad)
    data = bytearray(bad.read_bytes())
    data[len(data) // 2] ^= 0xFF
    bad.write_bytes(bytes(data))
    with pytest.raises(DatasetError, match="corrupted"):
        mnist_module._read_bundle(bad)
    with pytest.raises(DatasetError, match="missing"):
        mnist_module._read_bundle(tmp_path / "nothing.npz")


def test_unknown_source_rejected():
    with pytest.raises(ValueError, match="source"):
        load_mnist(source="internet")
