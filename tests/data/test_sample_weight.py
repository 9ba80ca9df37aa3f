"""dataset/sample_weight.npz: the file matches its recorded checksum, loads without pickle, has the
primer's 784-50-100-10 shapes and gives the recorded test accuracy."""

import hashlib
import re

import numpy as np
import pytest

from companion.three_layer_net import accuracy as batched_accuracy
from dataset import DatasetError, load_mnist, sample_weight
from tools import REPO

ROOT = REPO
README = (ROOT / "dataset" / "README.md").read_text(encoding="utf-8")


def readme_row(name):
    """The value in the `sample_weight.npz` table row `| name | value |` of dataset/README.md."""
    match = re.search(rf"^\| {name} \| (.+) \|$", README.split("## The trained network")[1], re.M)
    assert match, f"dataset/README.md has no '{name}' row for sample_weight.npz"
    return match.group(1).replace("`", "")


def test_file_matches_the_recorded_checksum():
    digest = hashlib.sha256(sample_weight.PATH.read_bytes()).hexdigest()
    assert digest == readme_row("SHA-256").split()[0]
    assert digest == sample_weight.SPEC.sha256
    assert sample_weight.PATH.stat().st_size == sample_weight.SPEC.size


def test_loads_without_pickle_with_the_primers_shapes():
    with np.load(sample_weight.PATH, allow_pickle=False) as npz:
        shapes = {key: npz[key].shape for key in npz.files}
        dtypes = {npz[key].dtype for key in npz.files}
    assert shapes == {"W1": (784, 50), "b1": (50,), "W2": (50, 100), "b2": (100,),
                      "W3": (100, 10), "b3": (10,)}
    assert dtypes == {np.dtype(np.float32)}
    network = sample_weight.load_sample_weight()
    assert {k: v.shape for k, v in network.items()} == shapes


def test_gives_the_recorded_test_accuracy():
    # An independent forward pass (plain numpy), not companion.three_layer_net.accuracy.
    network = sample_weight.load_sample_weight()
    _, (x_test, t_test) = load_mnist()
    a = x_test.astype(np.float64)
    for i in (1, 2):
        a = 1 / (1 + np.exp(-(a @ network[f"W{i}"] + network[f"b{i}"])))
    predicted = np.argmax(a @ network["W3"] + network["b3"], axis=1)  # softmax keeps the argmax
    accuracy = float(np.mean(predicted == t_test))
    recorded = float(readme_row("test accuracy").split()[0])
    assert accuracy == recorded == sample_weight.TEST_ACCURACY
    assert 0.9 < accuracy < 1.0
    assert batched_accuracy(network, x_test, t_test) == recorded


def test_a_damaged_file_is_refused(tmp_path, monkeypatch):
    damaged = tmp_path / "sample_weight.npz"
    data = bytearray(sample_weight.PATH.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    monkeypatch.setattr(sample_weight, "PATH", damaged)
    with pytest.raises(DatasetError, match="sample_weight.npz is corrupt or incomplete: SHA-256"):
        sample_weight.load_sample_weight()
