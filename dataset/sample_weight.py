"""The trained 784-50-100-10 sigmoid network of primer §3.6, as a checked .npz (no pickle).

    network = load_sample_weight()      # {"W1": (784, 50), "b1": (50,), ..., "W3": (100, 10), "b3": (10,)}

tools/train_sample_weight.py made the file (see there and dataset/README.md for how). Loading checks
its SHA-256 first, reads it with allow_pickle=False and checks the keys and shapes.
"""

import hashlib
from pathlib import Path

import numpy as np

from common.functions import sigmoid, softmax
from companion.three_layer_net import forward

PATH = Path(__file__).with_name("sample_weight.npz")
SHA256 = "99278a5636809ceda199870b0feb55f95d7ab613024ee807e9dba15a6a9bd8e9"
# Accuracy of these weights on the bundled 1,000 test digits (load_mnist()), as the training script prints it.
TEST_ACCURACY = 0.945
SHAPES = {"W1": (784, 50), "b1": (50,), "W2": (50, 100), "b2": (100,), "W3": (100, 10), "b3": (10,)}


def load_sample_weight(check=True):
    """The weights as a dict of float32 arrays with the shapes in SHAPES.

    check: verify the file's SHA-256 against SHA256 first (ValueError naming both digests if not).
    """
    data = PATH.read_bytes()
    if check:
        digest = hashlib.sha256(data).hexdigest()
        if digest != SHA256:
            raise ValueError(f"{PATH.name} has SHA-256 {digest}, expected {SHA256}: the file is damaged "
                             "or was rebuilt (python -m tools.train_sample_weight rebuilds it)")
    with np.load(PATH, allow_pickle=False) as npz:
        network = {key: npz[key] for key in npz.files}
    if {key: v.shape for key, v in network.items()} != SHAPES:
        raise ValueError(f"{PATH.name}: arrays {sorted(network)} with shapes "
                         f"{ {k: v.shape for k, v in network.items()} }, expected {SHAPES}")
    return network


def accuracy(network, x, t, batch_size=100):
    """Fraction of x (N, 784) whose predicted digit is t (N,): the primer's forward pass (sigmoid hidden
    layers, softmax output) on batches of batch_size inputs, as in primer §3.6.3."""
    hits = 0
    for start in range(0, len(x), batch_size):
        y = forward(network, x[start:start + batch_size], hidden=sigmoid, output=softmax)
        hits += int(np.sum(np.argmax(y, axis=1) == t[start:start + batch_size]))
    return hits / len(x)
