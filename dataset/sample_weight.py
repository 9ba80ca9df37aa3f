"""The trained 784-50-100-10 sigmoid network of primer §3.6, as a checked .npz (no pickle).

    network = load_sample_weight()      # {"W1": (784, 50), "b1": (50,), ..., "W3": (100, 10), "b3": (10,)}

tools/generate/train_sample_weight.py made the file (see there and dataset/README.md for how). Loading checks
that it is the published file (size and SHA-256) first, reads it with allow_pickle=False and checks
the keys and shapes. Evaluating the network is the caller's (companion.three_layer_net.accuracy).
"""

import io
from pathlib import Path

import numpy as np

from dataset.errors import DatasetError
from dataset.published import FileSpec, read_published

SPEC = FileSpec("sample_weight.npz",
                "60a725a4afa782db7f88f74343c1c5dce0cefb91d225cde2ed7e4d7396f604ce", 170098)
PATH = Path(__file__).with_name(SPEC.name)
# Accuracy of these weights on MNIST's 10,000 test digits (load_mnist()), as the training script prints it.
TEST_ACCURACY = 0.9299
SHAPES = {"W1": (784, 50), "b1": (50,), "W2": (50, 100), "b2": (100,), "W3": (100, 10), "b3": (10,)}
FIX = ("python -m tools.generate.train_sample_weight rebuilds it, "
       "or `git checkout -- dataset/sample_weight.npz`")


def load_sample_weight(check=True):
    """The weights as a dict of float32 arrays with the shapes in SHAPES.

    check: verify first that the file is the published one (DatasetError naming both digests if not);
        the training tool passes False to read the file it has just written.
    """
    data = read_published(PATH, SPEC, FIX) if check else PATH.read_bytes()
    with np.load(io.BytesIO(data), allow_pickle=False) as npz:
        network = {key: npz[key] for key in npz.files}
    if {key: v.shape for key, v in network.items()} != SHAPES:
        raise DatasetError(f"{PATH.name}: arrays {sorted(network)} with shapes "
                           f"{ {k: v.shape for k, v in network.items()} }, expected {SHAPES}")
    return network
