"""Train the primer's DeepConvNet twice, with and without data augmentation, and write dataset/deep_convnet*.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python -m tools.generate.train_deep_convnet
    OPENBLAS_NUM_THREADS=1 .venv/bin/python -m tools.generate.train_deep_convnet --epochs 1 --out /tmp/x

The primer trains DeepConvNet (primer §8.1) on MNIST's 60,000 training digits for 20 epochs; this
tool trains it on the 5,000 bundled ones (dataset.load_mnist()), and makes up for the smaller set
with data augmentation: every mini-batch is shifted and rotated a little, afresh each time
(companion.augment.random_shift_rotate: up to 2 pixels and 15 degrees), so the network never sees
the same image twice. Then it trains the same network on the same budget (epochs, batches, seeds)
without augmentation, so what augmentation buys is measured, not claimed.

Both runs: DeepConvNet(seed=SEED, dtype=float32), Adam, mini-batches of 100 in a seeded random
order, the learning rate lowered in steps (LR_STEPS). float32 halves the time of the matrix
products; with one BLAS thread and the .venv's CPU pin every operation is deterministic, so the same
command writes the same bytes (check with sha256sum). Both networks are tested once, at the end, on
MNIST's 10,000 official test digits, which neither saw.

Writes, in --out (default dataset/), for each run: its weights, a float32 .npz with fixed zip
timestamps (deep_convnet.npz augmented, deep_convnet_plain.npz not), and beside it a .json record
(settings, training loss per epoch, test accuracy, the .npz's SHA-256). dataset/deep_convnet.py
loads them and checks the SHA-256 it records. --runs plain trains one of the two (the runs are
independent, so two processes can train them side by side).
"""

import argparse
import hashlib
import json
import time
from pathlib import Path

import numpy as np

from common.deep_convnet import DeepConvNet
from common.optimizer import Adam
from companion.augment import MAX_ANGLE, MAX_SHIFT, random_shift_rotate
from dataset import load_mnist
from tools import REPO
from tools.build_mnist_bundle import write_npz

SEED = 0
EPOCHS = 40
BATCH_SIZE = 100
# (first epoch, Adam's learning rate from that epoch on)
LR_STEPS = ((0, 1e-3), (20, 3e-4), (32, 1e-4))
RUNS = {"augmented": True, "plain": False}  # run name: augment or not
FILES = {"augmented": "deep_convnet", "plain": "deep_convnet_plain"}  # + .npz (weights), .json (record)


def learning_rate(epoch):
    return [lr for start, lr in LR_STEPS if epoch >= start][-1]


def train(x_train, t_train, augment, epochs, log, watch=None):
    """A DeepConvNet trained for `epochs` epochs; returns (network, mean training loss per epoch).

    watch: None, or (every, x, t): print the accuracy on x, t every `every` epochs (progress only)."""
    net = DeepConvNet(seed=SEED, dtype=np.float32)
    optimizer = Adam(lr=LR_STEPS[0][1])
    rng = np.random.default_rng(SEED)  # batch order and augmentation, in one stream
    losses = []
    for epoch in range(epochs):
        optimizer.lr = learning_rate(epoch)
        order = rng.permutation(len(x_train))
        total = 0.0
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            x = random_shift_rotate(x_train[batch], rng) if augment else x_train[batch]
            grads = net.gradient(x, t_train[batch])
            optimizer.update(net.params, grads)
            total += float(net.last_layer.loss) * len(batch)
        losses.append(total / len(order))
        log(f"{'augmented' if augment else 'plain'} epoch {epoch + 1}/{epochs}: lr {optimizer.lr:g}, "
            f"training loss {losses[-1]:.4f}")
        if watch and (epoch + 1) % watch[0] == 0:
            log(f"  accuracy on the watched digits: {net.accuracy(*watch[1:], batch_size=500):.4f}")
    return net, losses


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--out", type=Path, default=REPO / "dataset")
    parser.add_argument("--runs", nargs="+", choices=list(RUNS), default=list(RUNS))
    parser.add_argument("--watch", type=int, default=0, metavar="N",
                        help="every N epochs print the accuracy on the first 1,000 test digits (a progress "
                             "check; it changes nothing that is trained or written)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    begin = time.perf_counter()

    def log(message):
        print(f"[{time.perf_counter() - begin:7.0f} s] {message}", flush=True)

    (x_train, t_train), (x_test, t_test) = load_mnist(flatten=False)
    for run in args.runs:
        augment = RUNS[run]
        watch = (args.watch, x_test[:1000], t_test[:1000]) if args.watch else None
        net, losses = train(x_train, t_train, augment, args.epochs, log, watch)
        path = args.out / f"{FILES[run]}.npz"
        write_npz(path, net.params)
        accuracy = net.accuracy(x_test, t_test, batch_size=500)
        moves = {"max_shift_px": MAX_SHIFT, "max_angle_deg": MAX_ANGLE}
        record = {"run": run, "file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                  "bytes": path.stat().st_size, "test_accuracy": accuracy, "test_digits": len(x_test),
                  "train_digits": len(x_train), "seed": SEED, "epochs": args.epochs,
                  "batch_size": BATCH_SIZE, "optimizer": "Adam", "dtype": "float32",
                  "lr_steps": [list(step) for step in LR_STEPS],
                  "augmentation": moves if augment else None,
                  "train_loss": losses}
        (args.out / f"{FILES[run]}.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        log(f"{run}: wrote {path.name} ({record['bytes']:,} bytes, SHA-256 {record['sha256']}) and "
            f"{FILES[run]}.json; test accuracy {accuracy!r}")


if __name__ == "__main__":
    main()
