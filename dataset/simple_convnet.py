"""A trained SimpleConvNet (primer §7.5), as a checked .npz (no pickle).

    network = load_simple_convnet()     # common.simple_convnet.SimpleConvNet with the trained weights
    network.accuracy(x_test, t_test)    # x_test (N, 1, 28, 28)

tools/generate/train_simple_convnet.py made the file (see there and dataset/README.md for how): trained on the
5,000 bundled training digits, never on the 10,000 official test digits it is measured on. Loading
checks that it is the published file (size and SHA-256) first, reads it with allow_pickle=False and
checks the keys and shapes (SimpleConvNet.load_params).
"""

import io
from pathlib import Path

import numpy as np

from common.simple_convnet import SimpleConvNet
from dataset.published import FileSpec, read_published

SPEC = FileSpec("simple_convnet.npz",
                "f11d34a38bf129288ef60e48c101ae28a78116353421153a021c7389bb75b60c", 1624692)
PATH = Path(__file__).with_name(SPEC.name)
# Accuracy of these weights on MNIST's 10,000 test digits (load_mnist()), as the training tool prints it.
TEST_ACCURACY = 0.9824
FIX = ("python -m tools.generate.train_simple_convnet rebuilds it, "
       "or `git checkout -- dataset/simple_convnet.npz`")


def load_simple_convnet(check=True, path=PATH):
    """SimpleConvNet() (the primer's default sizes) holding the stored weights, as float64 arrays.

    check: verify first that the file is the published one (DatasetError naming both digests if not);
        the training tool passes False (and its own path) to read the file it has just written.
    """
    data = read_published(path, SPEC, FIX) if check else Path(path).read_bytes()
    network = SimpleConvNet(seed=0)
    network.load_params(io.BytesIO(data))
    network.params.update({key: value.astype(np.float64) for key, value in network.params.items()})
    return network
