"""Train the primer's SimpleConvNet and write dataset/simple_convnet.npz.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python -m tools.train_simple_convnet

The primer's ch07/train_convnet.py trains SimpleConvNet (30 filters 5x5, hidden layer 100) for 20
epochs on MNIST's 60,000 training digits and saves a pickle. This tool trains the same network with
the project's code on the 5,000 bundled training digits only, and tests it on MNIST's 10,000
official test digits, which it never sees during training: SimpleConvNet(seed=0), Adam(lr=0.001),
mini-batches of 100 from common.training.minibatches (seed 0), each image of a batch shifted by a
random whole number of pixels (-2..2 along each axis, zeros filling in; data augmentation, primer
§8.1.2) so that 5,000 digits can be trained on for EPOCHS epochs without being learnt by heart.

The weights are stored as float32 (W1, b1, W2, b2, W3, b3), in a .npz written with fixed zip
timestamps, so the same run gives the same bytes: with .venv's CPU pin and one BLAS thread the run
is deterministic. It prints the SHA-256, the size and the test accuracy of the stored weights, which
must equal SPEC and TEST_ACCURACY in dataset/simple_convnet.py (and dataset/README.md).
"""

import argparse
import hashlib
import time

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from common.optimizer import Adam
from common.simple_convnet import SimpleConvNet
from common.training import minibatches, sgd_step
from dataset import load_mnist
from dataset.simple_convnet import PATH, load_simple_convnet
from tools.build_mnist_bundle import write_npz

EPOCHS, BATCH_SIZE, LR, SEED, SHIFT = 40, 100, 0.001, 0, 2
HALVE_EVERY = 10  # epochs: the learning rate halves after each such stretch, to settle into a minimum


def shifted(x, rng, shift=SHIFT):
    """Each image of x (N, C, H, W) moved by its own random (dy, dx) in -shift..shift, zeros filling in."""
    padded = np.pad(x, [(0, 0), (0, 0), (shift, shift), (shift, shift)])
    # (N, C, 2*shift + 1, 2*shift + 1, H, W): every placement of an H x W window, as a view
    placements = sliding_window_view(padded, x.shape[2:], axis=(2, 3))
    dy, dx = rng.integers(0, 2 * shift + 1, size=(2, len(x)))
    return placements[np.arange(len(x)), :, dy, dx]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--shift", type=int, default=SHIFT)
    parser.add_argument("--halve-every", type=int, default=HALVE_EVERY)
    parser.add_argument("--out", default=str(PATH), help="where to write the .npz (default: %(default)s)")
    args = parser.parse_args()

    (x_train, t_train), (x_test, t_test) = load_mnist(flatten=False)
    x_train, x_test = x_train.astype(np.float64), x_test.astype(np.float64)  # float64, as the network
    net = SimpleConvNet(seed=SEED)
    optimizer = Adam(lr=LR)
    batches = minibatches(x_train, t_train, BATCH_SIZE, seed=SEED)
    rng = np.random.default_rng(SEED)
    steps_per_epoch = len(x_train) // BATCH_SIZE
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        optimizer.lr = LR * 0.5 ** ((epoch - 1) // args.halve_every)
        for _ in range(steps_per_epoch):
            x_batch, t_batch = next(batches)
            if args.shift:
                x_batch = shifted(x_batch, rng, args.shift)
            loss = sgd_step(net, optimizer, x_batch, t_batch)
        if epoch % 10 == 0 or epoch == args.epochs:
            print(f"epoch {epoch:3d}  loss {loss:.4f}  test acc {net.accuracy(x_test, t_test):.4f}  "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)

    write_npz(args.out, {key: value.astype(np.float32) for key, value in net.params.items()})
    data = open(args.out, "rb").read()
    stored = load_simple_convnet(check=False, path=args.out)
    print(f"wrote {args.out}: {len(data):,} bytes, SHA-256 {hashlib.sha256(data).hexdigest()}")
    print(f"test accuracy of the stored float32 weights: {stored.accuracy(x_test, t_test)!r}")


if __name__ == "__main__":
    main()
