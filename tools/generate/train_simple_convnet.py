"""Train the primer's SimpleConvNet and write dataset/simple_convnet.npz.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python -m tools.generate.train_simple_convnet

The primer's ch07/train_convnet.py trains SimpleConvNet (30 filters 5x5, hidden layer 100) for 20
epochs on MNIST's 60,000 training digits and saves a pickle. This tool trains the same network with
the project's code on the 5,000 bundled training digits only, and tests it on MNIST's 10,000
official test digits, which it never sees during training: SimpleConvNet(seed=0), Adam(lr=0.002),
the rate halved every 10 epochs, 40 epochs of 50 mini-batches of 100 from
common.training.minibatches (seed 0). Each image of a batch is first turned, scaled and moved at
random by companion.augment.random_shift_rotate (up to ±12°, 0.9-1.1, ±2 pixels; data augmentation,
primer §8.1.2), so that 5,000 digits can be trained on for 40 epochs without being learnt by heart;
every random draw is seeded.

The weights are stored as float32 (W1, b1, W2, b2, W3, b3), in a .npz written with fixed zip
timestamps, so the same run gives the same bytes: with one BLAS thread the run is deterministic on a
given machine (numpy and OpenBLAS choose their vector code by CPU, so another CPU may round the last
bits differently). It prints the SHA-256, the size and the test accuracy of the stored weights, which
must equal SPEC and TEST_ACCURACY in dataset/simple_convnet.py (and dataset/README.md).
"""

import argparse
import hashlib
import time

import numpy as np

from common.optimizer import Adam
from common.simple_convnet import SimpleConvNet
from common.training import minibatches, sgd_step
from companion.augment import random_shift_rotate
from dataset import load_mnist
from dataset.simple_convnet import PATH, load_simple_convnet
from tools.generate.build_mnist_bundle import write_npz

EPOCHS, BATCH_SIZE, LR, SEED = 40, 100, 0.002, 0
MAX_ANGLE, MAX_SCALE, MAX_SHIFT = 12, 0.1, 2  # degrees, fraction, pixels: the distortions of training
HALVE_EVERY = 10  # epochs: the learning rate halves after each such stretch, to settle into a minimum


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--lr", type=float, default=LR)
    parser.add_argument("--shift", type=float, default=MAX_SHIFT)
    parser.add_argument("--angle", type=float, default=MAX_ANGLE)
    parser.add_argument("--scale", type=float, default=MAX_SCALE)
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
    start, start_cpu = time.perf_counter(), time.process_time()
    for epoch in range(1, args.epochs + 1):
        optimizer.lr = args.lr * 0.5 ** ((epoch - 1) // args.halve_every)
        for _ in range(steps_per_epoch):
            x_batch, t_batch = next(batches)
            x_batch = random_shift_rotate(x_batch, rng, max_shift=args.shift, max_angle=args.angle,
                                          max_scale=args.scale)
            loss = sgd_step(net, optimizer, x_batch, t_batch)
        if epoch % 10 == 0 or epoch == args.epochs:  # progress only: the test digits wait for the end
            print(f"epoch {epoch:3d}  loss {loss:.4f}  "
                  f"({time.perf_counter() - start:.0f} s, CPU {time.process_time() - start_cpu:.0f} s)",
                  flush=True)

    write_npz(args.out, {key: value.astype(np.float32) for key, value in net.params.items()})
    data = open(args.out, "rb").read()
    stored = load_simple_convnet(check=False, path=args.out)
    print(f"wrote {args.out}: {len(data):,} bytes, SHA-256 {hashlib.sha256(data).hexdigest()}")
    print(f"test accuracy of the stored float32 weights: {stored.accuracy(x_test, t_test)!r}")


if __name__ == "__main__":
    main()
