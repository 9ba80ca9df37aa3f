"""The shipped DeepConvNet weights (dataset/deep_convnet*.npz): checksums, records, the recipe's choice on
validation digits, and the test accuracy recomputed on MNIST's 10,000 official test digits (99.08 %
with augmentation, 98.59 % without)."""

import hashlib
import json
import re
import shutil

import numpy as np
import pytest

from dataset import DatasetError, deep_convnet, load_mnist
from dataset.deep_convnet import FILES, SPECS, TEST_ACCURACY, load_deep_convnet, training_record
from tools import REPO


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


def test_the_readme_table_gives_the_shipped_files():
    section = (REPO / "dataset" / "README.md").read_text(encoding="utf-8").split("## The deep network")[1]
    rows = dict(re.findall(r"^\| (size|SHA-256|test accuracy) \| (.+) \|$", section, re.M))
    assert rows["SHA-256"] == f"`{SPECS[True].sha256}` | `{SPECS[False].sha256}`"
    assert rows["size"] == f"{SPECS[True].size:,} bytes | {SPECS[False].size:,} bytes"
    accuracies = [float(cell.split()[0]) for cell in rows["test accuracy"].split(" | ")]
    assert accuracies == [TEST_ACCURACY[True], TEST_ACCURACY[False]]


def test_both_runs_had_the_same_budget():
    augmented, plain = training_record(True), training_record(False)
    for key in ("seed", "epochs", "batch_size", "optimizer", "learning_rate", "schedule", "ema_decay",
                "weights", "recipe", "dtype", "train_digits"):
        assert augmented[key] == plain[key], key


def test_the_recipe_is_the_one_the_validation_digits_chose():
    """The search (tools/generate/train_deep_convnet.py --validate) trained on 4,000 of the 5,000 digits
    and measured on the other 1,000; the shipped recipe and weights have its lowest final cross-entropy."""
    search = json.loads((FILES[True].parent / "deep_convnet_validation.json").read_text(encoding="utf-8"))
    record = training_record(True)
    assert record["validation"] == search and len(search) >= 2
    final = {(name, weights): run["validation"][-1][weights]["loss"]
             for name, run in search.items() for weights in ("last", "averaged")}
    assert min(final, key=final.get) == (record["recipe"], record["weights"])
    for run in search.values():
        assert run["train_digits"] + run["validation_digits"] == record["train_digits"]
        assert run["validation"][-1]["epoch"] == run["epochs"] == len(run["train_loss"])
    chosen = search[record["recipe"]]
    assert (chosen["epochs"], chosen["schedule"]) == (record["epochs"], record["schedule"])


@pytest.mark.parametrize("augmented", [True, False])
def test_accuracy_on_the_official_test_digits(augmented, test_digits):
    """Recomputed here, in float32 as shipped, 100 digits at a time (the tool used 500: the same answers)."""
    network = load_deep_convnet(augmented)
    assert {v.dtype for v in network.params.values()} == {np.dtype(np.float32)}
    accuracy = network.accuracy(*test_digits, batch_size=100)
    assert accuracy == TEST_ACCURACY[augmented] == training_record(augmented)["test_accuracy"]
    if augmented:
        assert accuracy >= 0.990  # the goal of issue 22
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
