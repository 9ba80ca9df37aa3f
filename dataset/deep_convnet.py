"""The primer's DeepConvNet (primer §8.1) trained on the 5,000 bundled digits, as checked .npz files.

    network = load_deep_convnet()                  # trained with data augmentation
    plain = load_deep_convnet(augmented=False)     # the same budget without it
    network.accuracy(x_test, t_test)               # x_test (N, 1, 28, 28)

tools/generate/train_deep_convnet.py made both files and, beside each, a .json record of its run
(settings, training loss per epoch, test accuracy on MNIST's 10,000 official test digits, SHA-256);
neither network saw those digits. Loading checks that the file is the published one (size and
SHA-256) first, then reads it with allow_pickle=False into a float32 DeepConvNet
(DeepConvNet.load_params checks the keys and shapes).
"""

import io
import json
from pathlib import Path

from common.deep_convnet import DeepConvNet
from dataset.published import FileSpec, read_published

SPECS = {True: FileSpec("deep_convnet.npz",
                         "625eb564ca4a1351f7a790d955c9a45864575c6c80bdfde42f9600252783e936", 461334),
         False: FileSpec("deep_convnet_plain.npz",
                          "7a2e8c2ad385bd1a56357c36c84ddbf30fad6fb001b8e725032c7b0315e9fb3e", 461340)}
FILES = {augmented: Path(__file__).with_name(spec.name) for augmented, spec in SPECS.items()}
# Accuracy on MNIST's 10,000 official test digits, as the training tool printed it.
TEST_ACCURACY = {True: 0.989, False: 0.9858}
FIX = ("python -m tools.generate.train_deep_convnet rebuilds it, or `git checkout -- dataset/{name}`")


def load_deep_convnet(augmented=True, check=True):
    """DeepConvNet() (the primer's plan) holding the stored float32 weights; augmented picks the file.

    check: verify first that the file is the published one (DatasetError naming both digests if not).
    """
    if not isinstance(augmented, bool):
        raise TypeError(f"load_deep_convnet: augmented must be True or False, got {augmented!r}")
    path, spec = FILES[augmented], SPECS[augmented]
    data = read_published(path, spec, FIX.format(name=spec.name)) if check else path.read_bytes()
    network = DeepConvNet(dtype="float32")
    network.load_params(io.BytesIO(data))
    return network


def training_record(augmented=True):
    """The training tool's record of one run (the .json beside its .npz) as a dict: settings, training
    loss per epoch, test accuracy, SHA-256 of the weights."""
    return json.loads(FILES[augmented].with_suffix(".json").read_text(encoding="utf-8"))
