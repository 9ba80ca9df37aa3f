"""Train the primer's SimpleConvNet and write dataset/simple_convnet.npz.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python -m tools.generate.train_simple_convnet

The primer's ch07/train_convnet.py trains SimpleConvNet (30 filters 5x5, hidden layer 100) for 20
epochs on MNIST's 60,000 training digits and saves a pickle. This tool trains the same network with
the project's code on the 5,000 bundled training digits only, and tests it on MNIST's 10,000
official test digits, which it never sees during training: SimpleConvNet(seed=0), Adam(lr=0.002),
the rate halved every 10 epochs, 40 epochs of 50 mini-batches of 100 from
common.training.minibatches (seed 0). Each image of a batch is first turned, scaled and moved at
random (up to ±12°, 0.9-1.1, ±2 pixels; data augmentation, primer §8.1.2), so that 5,000 digits can
be trained on for 40 epochs without being learnt by heart; every random draw is seeded.

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
from dataset import load_mnist
from dataset.simple_convnet import PATH, load_simple_convnet
from tools.generate.build_mnist_bundle import write_npz

EPOCHS, BATCH_SIZE, LR, SEED = 40, 100, 0.002, 0
MAX_ANGLE, MAX_SCALE, MAX_SHIFT = 12, 0.1, 2  # degrees, fraction, pixels: the distortions of training
HALVE_EVERY = 10  # epochs: the learning rate halves after each such stretch, to settle into a minimum


def distorted(x, rng, max_angle=MAX_ANGLE, max_scale=MAX_SCALE, max_shift=MAX_SHIFT):
    """Each image of x (N, 1, H, W) turned, scaled and moved at random about its centre, zeros filling in.

    Per image: angle uniform in ±max_angle degrees, scale in 1 ± max_scale, shift in ±max_shift pixels
    along each axis. Output pixel p takes the input at the point q = A⁻¹(p - centre - shift) + centre
    (A the turn and scale), interpolated bilinearly between its four neighbours.
    """
    N, _, H, W = x.shape
    angle = np.deg2rad(rng.uniform(-max_angle, max_angle, N))[:, None, None]
    scale = rng.uniform(1 - max_scale, 1 + max_scale, N)[:, None, None]
    shift_y, shift_x = rng.uniform(-max_shift, max_shift, (2, N, 1, 1))
    cy, cx = (H - 1) / 2, (W - 1) / 2
    i, j = np.arange(H)[:, None] - cy - shift_y, np.arange(W)[None, :] - cx - shift_x  # (N, H, 1), (N, 1, W)
    cos, sin = np.cos(angle) / scale, np.sin(angle) / scale
    src_y, src_x = cos * i + sin * j + cy, -sin * i + cos * j + cx  # (N, H, W)
    y0, x0 = np.floor(src_y).astype(np.intp), np.floor(src_x).astype(np.intp)
    fy, fx = src_y - y0, src_x - x0
    padded = np.pad(x[:, 0], [(0, 0), (1, 1), (1, 1)])  # a zero border: indices clipped onto it read 0
    n = np.arange(N)[:, None, None]

    def pixel(yy, xx):
        return padded[n, np.clip(yy + 1, 0, H + 1), np.clip(xx + 1, 0, W + 1)]

    out = ((1 - fy) * ((1 - fx) * pixel(y0, x0) + fx * pixel(y0, x0 + 1))
           + fy * ((1 - fx) * pixel(y0 + 1, x0) + fx * pixel(y0 + 1, x0 + 1)))
    return out[:, None]


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
            x_batch = distorted(x_batch, rng, args.angle, args.scale, args.shift)
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
