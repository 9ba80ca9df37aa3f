"""Train the primer's 784-50-100-10 sigmoid network once and write dataset/sample_weight.npz.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python -m tools.generate.train_sample_weight

The primer's §3.6 runs inference with a trained network of these sizes (its sample_weight.pkl, a
pickle); this is our own, trained with the project's code on the 5,000 bundled training digits:
MultiLayerNet(784, [50, 100], 10, activation="sigmoid", weight_init_std="sigmoid", seed=0),
SGD(lr=0.5), common.training.train for 6,000 mini-batch steps of 100 (120 epochs, seed 0), and
tested on MNIST's 10,000 official test digits.

The weights are stored as float32 (W1, b1, W2, b2, W3, b3; the primer's file is float32 too), in a
.npz written with fixed zip timestamps, so the same run gives the same bytes. With one BLAS thread the
run is deterministic (the same bytes with numpy's AVX-512 code paths and without them): it prints the
SHA-256 and the test accuracy of the stored float32 weights, which must equal SPEC and TEST_ACCURACY
in dataset/sample_weight.py (and dataset/README.md).
"""

import hashlib

import numpy as np

from common.multi_layer_net import MultiLayerNet
from common.optimizer import SGD
from common.training import train
from companion.three_layer_net import accuracy
from dataset import load_mnist
from dataset.sample_weight import PATH, load_sample_weight
from tools.generate.build_mnist_bundle import write_npz

SIZES = (784, [50, 100], 10)
STEPS, BATCH_SIZE, LR, SEED = 6000, 100, 0.5, 0


def main():
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, flatten=True)
    net = MultiLayerNet(*SIZES, activation="sigmoid", weight_init_std="sigmoid", seed=SEED)
    train(net, SGD(lr=LR), (x_train, t_train), (x_test, t_test), steps=STEPS, batch_size=BATCH_SIZE,
          eval_every=1000, seed=SEED)
    write_npz(PATH, {key: value.astype(np.float32) for key, value in net.params.items()})
    digest = hashlib.sha256(PATH.read_bytes()).hexdigest()
    network = load_sample_weight(check=False)
    print(f"wrote {PATH.name}: {PATH.stat().st_size:,} bytes, SHA-256 {digest}")
    print(f"test accuracy of the stored float32 weights: {accuracy(network, x_test, t_test)!r}")


if __name__ == "__main__":
    main()
