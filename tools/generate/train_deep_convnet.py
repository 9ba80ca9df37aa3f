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
order, the learning rate lowered in steps, in two stages (STAGES). float32 halves the time of the matrix
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
from tools.generate.build_mnist_bundle import write_npz

SEED = 0
BATCH_SIZE = 100
# Two stages, each (epochs, ((first epoch, Adam's learning rate from that epoch on), ...), seed of its
# batch order and augmentation); the second continues from the first's weights with a new Adam.
STAGES = ((40, ((0, 1e-3), (20, 3e-4), (32, 1e-4)), 0),
          (20, ((0, 3e-4), (10, 1e-4)), 1))
RUNS = {"augmented": True, "plain": False}  # run name: augment or not
FILES = {"augmented": "deep_convnet", "plain": "deep_convnet_plain"}  # + .npz (weights), .json (record)


def learning_rate(epoch, lr_steps):
    return [lr for start, lr in lr_steps if epoch >= start][-1]


def train(net, x_train, t_train, augment, stage, log, watch=None):
    """Train `net` in place for one stage (epochs, lr_steps, seed); returns the mean training loss per
    epoch. Each stage starts a new Adam and a new random stream seeded with its seed.

    watch: None, or (every, x, t): print the accuracy on x, t every `every` epochs (progress only)."""
    epochs, lr_steps, seed = stage
    optimizer = Adam(lr=lr_steps[0][1])
    rng = np.random.default_rng(seed)  # batch order and augmentation, in one stream
    losses = []
    for epoch in range(epochs):
        optimizer.lr = learning_rate(epoch, lr_steps)
        order = rng.permutation(len(x_train))
        total = 0.0
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            x = random_shift_rotate(x_train[batch], rng) if augment else x_train[batch]
            grads = net.gradient(x, t_train[batch])
            optimizer.update(net.params, grads)
            total += float(net.last_layer.loss) * len(batch)
        losses.append(total / len(order))
        log(f"{'augmented' if augment else 'plain'} epoch {epoch + 1}/{epochs} (seed {seed}): "
            f"lr {optimizer.lr:g}, training loss {losses[-1]:.4f}")
        if watch and (epoch + 1) % watch[0] == 0:
            log(f"  accuracy on the watched digits: {net.accuracy(*watch[1:], batch_size=500):.4f}")
    return losses


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=None,
                        help="train only this many epochs, in the first stage (a short check)")
    parser.add_argument("--resume", type=Path, default=None, metavar="DIR",
                        help="take the first stage's weights and records from DIR (files of a run of "
                             "this tool with only the first stage) and run the second")
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
    stages = [(args.epochs, *STAGES[0][1:])] if args.epochs is not None else list(STAGES)
    for run in args.runs:
        augment = RUNS[run]
        watch = (args.watch, x_test[:1000], t_test[:1000]) if args.watch else None
        net = DeepConvNet(seed=SEED, dtype=np.float32)
        losses, todo = [], stages
        if args.resume:
            net.load_params(args.resume / f"{FILES[run]}.npz")
            first = json.loads((args.resume / f"{FILES[run]}.json").read_text(encoding="utf-8"))
            losses, todo = first["train_loss"], stages[1:]
            assert len(losses) == stages[0][0], "--resume needs a run of the first stage"
        for stage in todo:
            losses += train(net, x_train, t_train, augment, stage, log, watch)
        path = args.out / f"{FILES[run]}.npz"
        write_npz(path, net.params)
        accuracy = net.accuracy(x_test, t_test, batch_size=500)
        moves = {"max_shift_px": MAX_SHIFT, "max_angle_deg": MAX_ANGLE}
        record = {"run": run, "file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                  "bytes": path.stat().st_size, "test_accuracy": accuracy, "test_digits": len(x_test),
                  "train_digits": len(x_train), "seed": SEED, "epochs": len(losses),
                  "batch_size": BATCH_SIZE, "optimizer": "Adam", "dtype": "float32",
                  "stages": [{"epochs": e, "lr_steps": [list(step) for step in steps], "seed": seed}
                             for e, steps, seed in stages],
                  "augmentation": moves if augment else None,
                  "train_loss": losses}
        (args.out / f"{FILES[run]}.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        log(f"{run}: wrote {path.name} ({record['bytes']:,} bytes, SHA-256 {record['sha256']}) and "
            f"{FILES[run]}.json; test accuracy {accuracy!r}")


if __name__ == "__main__":
    main()
