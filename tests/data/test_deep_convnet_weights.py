"""The shipped DeepConvNet weights (dataset/deep_convnet*.npz): checksums, records, and the test accuracy
recomputed on MNIST's 10,000 official test digits (98.9 % with augmentation, 98.58 % without)."""

import hashlib
import shutil

import numpy as np
import pytest

from dataset import DatasetError, deep_convnet, load_mnist
from dataset.deep_convnet import FILES, SPECS, TEST_ACCURACY, load_deep_convnet, training_record


@pytest.fixture(scope="module")
def test_digits():
    _, (x_test, t_test) = load_mnist(flatten=False)
    return x_test, t_test


@pytest.mark.parametrize("augmented", [True, False])
def test_files_match_their_checksums_and_records(augmented):
    data = FILES[augmented].read_bytes()
    record = training_record(augmented)
    assert hashlib.sha256(data).hexdigest() == SPECS[augmented].sha256 == record["sha256"]
    assert len(data) == SPECS[augmented].size == record["bytes"]
    assert record["file"] == FILES[augmented].name == SPECS[augmented].name
    assert (record["augmentation"] is not None) == augmented
    assert len(record["train_loss"]) == record["epochs"]
    assert record["test_digits"] == 10_000 and record["train_digits"] == 5_000


def test_both_runs_had_the_same_budget():
    augmented, plain = training_record(True), training_record(False)
    for key in ("seed", "epochs", "batch_size", "optimizer", "stages", "dtype", "train_digits"):
        assert augmented[key] == plain[key], key


@pytest.mark.parametrize("augmented", [True, False])
def test_accuracy_on_the_official_test_digits(augmented, test_digits):
    """Recomputed here, in float32 as shipped, 100 digits at a time (the tool used 500: the same answers)."""
    network = load_deep_convnet(augmented)
    assert {v.dtype for v in network.params.values()} == {np.dtype(np.float32)}
    accuracy = network.accuracy(*test_digits, batch_size=100)
    assert accuracy == TEST_ACCURACY[augmented] == training_record(augmented)["test_accuracy"]
    if augmented:
        assert accuracy >= 0.989  # issue 22 asks for 0.990: not reached (see dataset/README.md)
    else:
        assert accuracy < TEST_ACCURACY[True]  # augmentation gained


def test_a_damaged_copy_is_refused(tmp_path, monkeypatch):
    copy = tmp_path / "deep_convnet.npz"
    shutil.copyfile(FILES[True], copy)
    data = bytearray(copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    monkeypatch.setitem(deep_convnet.FILES, True, copy)
    with pytest.raises(DatasetError, match="deep_convnet.npz is corrupt or incomplete: SHA-256 .* expected"):
        load_deep_convnet()
    with pytest.raises(TypeError, match="augmented must be True or False"):
        load_deep_convnet("yes")
