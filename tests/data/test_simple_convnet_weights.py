"""dataset/simple_convnet.npz: the recorded file, loaded without pickle, and its accuracy on the 10,000
official test digits recomputed by a forward pass written here in plain numpy (not common's layers)."""

import hashlib
import re

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

from dataset import DatasetError, load_mnist, simple_convnet
from tools import REPO

README = (REPO / "dataset" / "README.md").read_text(encoding="utf-8")


def readme_row(name):
    """The value in the `simple_convnet.npz` table row `| name | value |` of dataset/README.md."""
    section = README.split("## The trained convolutional network")[1]
    match = re.search(rf"^\| {name} \| (.+) \|$", section, re.M)
    assert match, f"dataset/README.md has no '{name}' row for simple_convnet.npz"
    return match.group(1).replace("`", "")


def predict(params, x):
    """Scores (N, 10) of SimpleConvNet's layers, written out: conv 5x5, ReLU, 2x2 max pool, affine, ReLU,
    affine."""
    W1, b1, W2, b2, W3, b3 = (params[k].astype(np.float64) for k in ("W1", "b1", "W2", "b2", "W3", "b3"))
    windows = sliding_window_view(x[:, 0], (5, 5), axis=(1, 2))  # (N, 24, 24, 5, 5)
    conv = np.einsum("nijab,fab->nfij", windows, W1[:, 0], optimize=True) + b1[:, None, None]
    relu = np.maximum(conv, 0)
    pooled = relu.reshape(len(x), 30, 12, 2, 12, 2).max(axis=(3, 5))
    hidden = np.maximum(pooled.reshape(len(x), -1) @ W2 + b2, 0)
    return hidden @ W3 + b3


def test_file_matches_the_recorded_checksum_and_size():
    data = simple_convnet.PATH.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    assert digest == simple_convnet.SPEC.sha256 == readme_row("SHA-256").split()[0]
    assert len(data) == simple_convnet.SPEC.size == int(readme_row("size").split()[0].replace(",", ""))


def test_accuracy_on_the_official_test_digits():
    with np.load(simple_convnet.PATH, allow_pickle=False) as npz:
        params = {key: npz[key] for key in npz.files}
    assert {key: value.dtype for key, value in params.items()} == dict.fromkeys(params, np.dtype(np.float32))
    _, (x_test, t_test) = load_mnist(flatten=False)
    assert x_test.shape == (10000, 1, 28, 28)
    x_test = x_test.astype(np.float64)
    hits = sum(int(np.sum(np.argmax(predict(params, x_test[i:i + 500]), axis=1) == t_test[i:i + 500]))
               for i in range(0, len(x_test), 500))
    assert hits / len(x_test) == simple_convnet.TEST_ACCURACY == float(readme_row("test accuracy").split()[0])
    assert hits / len(x_test) >= 0.98


def test_the_loader_gives_the_network_with_these_weights():
    network = simple_convnet.load_simple_convnet()
    with np.load(simple_convnet.PATH, allow_pickle=False) as npz:
        for key in npz.files:
            assert network.params[key].dtype == np.float64
            np.testing.assert_array_equal(network.params[key], npz[key])
    network.predict(np.zeros((1, 1, 28, 28)))  # binds params to the layers, as every forward pass does
    assert network.layers["Conv1"].W is network.params["W1"]


def test_a_damaged_file_is_refused(tmp_path):
    damaged = tmp_path / "simple_convnet.npz"
    data = bytearray(simple_convnet.PATH.read_bytes())
    data[100] ^= 1
    damaged.write_bytes(bytes(data))
    with pytest.raises(DatasetError, match="simple_convnet.npz is corrupt or incomplete: SHA-256"):
        simple_convnet.load_simple_convnet(path=damaged)
