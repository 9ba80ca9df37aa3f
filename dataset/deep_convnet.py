"""The primer's DeepConvNet (primer §8.1) trained on the 5,000 bundled digits, as checked .npz files.

    network = load_deep_convnet()                  # trained with data augmentation
    plain = load_deep_convnet(augmented=False)     # the same budget without it
    network.accuracy(x_test, t_test)               # x_test (N, 1, 28, 28)

tools/generate/train_deep_convnet.py made both files and, beside each, a .json record of its run
(settings, training loss per epoch, the validation search that chose the recipe, test accuracy on
MNIST's 10,000 official test digits, SHA-256); neither the networks nor the choice of recipe saw
those digits. Loading checks that the file is the published one (size and
SHA-256) first, then reads it with allow_pickle=False into a float32 DeepConvNet
(DeepConvNet.load_params checks the keys and shapes).
"""

import io
import json
from pathlib import Path

from common.deep_convnet import DeepConvNet
from dataset.published import FileSpec, read_published

SPECS = {True: FileSpec("deep_convnet.npz",
                         "063d4957ce42c3ca1ac530dcb40052470427e21856477e6f936d5a124f7c3417", 461606),
         False: FileSpec("deep_convnet_plain.npz",
                          "23dfc711b7320ce8b990364fa8e38bfa002f6b16adfbcd32ed0fd771b3bd9154", 461508)}
FILES = {augmented: Path(__file__).with_name(spec.name) for augmented, spec in SPECS.items()}
# Accuracy on MNIST's 10,000 official test digits, as the training tool printed it.
TEST_ACCURACY = {True: 0.9908, False: 0.9859}
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
    loss per epoch, the validation search ("validation"), test accuracy, SHA-256 of the weights."""
    return json.loads(FILES[augmented].with_suffix(".json").read_text(encoding="utf-8"))
