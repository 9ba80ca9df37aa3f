"""Train the primer's DeepConvNet twice, with and without data augmentation, and write dataset/deep_convnet*.

    OPENBLAS_NUM_THREADS=1 .venv/bin/python -m tools.generate.train_deep_convnet
    OPENBLAS_NUM_THREADS=1 .venv/bin/python -m tools.generate.train_deep_convnet --validate cosine-100
    OPENBLAS_NUM_THREADS=1 .venv/bin/python -m tools.generate.train_deep_convnet --epochs 1 --out /tmp/x

The primer trains DeepConvNet (primer §8.1) on MNIST's 60,000 training digits for 20 epochs; this
tool trains it on the 5,000 bundled ones (dataset.load_mnist()), and makes up for the smaller set
with data augmentation: every mini-batch is shifted and rotated a little, afresh each time
(companion.augment.random_shift_rotate: up to 2 pixels and 15 degrees), so the network never sees
the same image twice. Then it trains the same network with the same recipe and budget (epochs,
batches, seeds) without augmentation, so what augmentation buys is measured, not claimed.

The recipe: DeepConvNet(seed=SEED, dtype=float32), the primer's Adam (learning rate 0.001 at the
start), mini-batches of 100 in a seeded random order, the learning rate lowered after every
mini-batch along a schedule (RECIPES), and beside the network a running average of its weights (an
exponential moving average, decay EMA_DECAY per mini-batch, bias-corrected like Adam's moments).
The network shipped is one network of the primer's plan, its last weights or their average
(CHOSEN).

How the recipe was chosen, without looking at the test digits: `--validate NAME` trains recipe NAME
on the first 4,000 of the 5,000 digits (400 of each class) and measures accuracy and cross-entropy
on the other 1,000 (100 of each class) every 10 epochs, for the last weights and for their average;
it writes the results into deep_convnet_validation.json in --out. The rule: ship the recipe and the
weights (last or averaged) with the lowest validation cross-entropy at the end of the run (on 1,000
digits the accuracy is coarse: 0.1 % is one digit). Tried, with the validation accuracy and
cross-entropy at the end (dataset/deep_convnet_validation.json has the curves):

    recipe      epochs  learning rate                          last weights     averaged
    steps-60    60      0.001, x0.3 at 50 %, x0.1 at 80 %      0.992 / 0.0312   0.991 / 0.0316
    cosine-100  100     cosine from 0.001 down to 0            0.993 / 0.0228   0.993 / 0.0228

steps-60 stretches the previous recipe's first stage over its 60 epochs (its second stage had been
added after a look at the test digits). The longer, smooth schedule lowered the validation
cross-entropy by a quarter. Averaging the weights gained nothing at the end of either run (at the
end of cosine-100 the learning rate is near 0 and the last epochs hardly move the weights), so
CHOSEN ships cosine-100's last weights. The two search runs took 11 and 19 minutes (one core, on a
machine shared with other jobs).

Determinism: with one BLAS thread (OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1) every operation runs in
the same order each time, so the same command on the same machine writes the same bytes (check with
sha256sum; a different CPU or numpy build may round differently). Both networks are tested once, at
the end, on MNIST's 10,000 official test digits, which neither saw, nor the choice of recipe.

Writes, in --out (default dataset/), for each run: its weights, a float32 .npz with fixed zip
timestamps (deep_convnet.npz augmented, deep_convnet_plain.npz not), and beside it a .json record
(settings, training loss per epoch, the search's validation results, test accuracy, the .npz's
SHA-256). dataset/deep_convnet.py loads them and checks the SHA-256 it records. --runs plain trains
one of the two.
"""

import argparse
import hashlib
import json
import math
import time
from pathlib import Path

import numpy as np

from common.deep_convnet import DeepConvNet
from common.functions import softmax_cross_entropy
from common.optimizer import Adam
from companion.augment import MAX_ANGLE, MAX_SHIFT, random_shift_rotate
from dataset import load_mnist
from tools import REPO
from tools.generate.build_mnist_bundle import write_npz

SEED = 0
BATCH_SIZE = 100
LR = 1e-3  # Adam's learning rate at the start (the primer's)
EMA_DECAY = 0.998  # per mini-batch: the average spans about 1 / (1 - 0.998) = 500 mini-batches (10 epochs)
# The candidates tried with --validate: name -> (epochs, schedule of the learning rate).
RECIPES = {"steps-60": (60, "steps"), "cosine-100": (100, "cosine")}
CHOSEN = ("cosine-100", "last")  # recipe, and which weights are shipped: "last" or "averaged"
VALIDATION = 1000  # --validate: the last 1,000 of the 5,000 digits (load_mnist interleaves the classes)
EVERY = 10  # --validate: measure every 10 epochs
RUNS = {"augmented": True, "plain": False}  # run name: augment or not
FILES = {"augmented": "deep_convnet", "plain": "deep_convnet_plain"}  # + .npz (weights), .json (record)


def learning_rate(schedule, progress):
    """Adam's learning rate after the fraction `progress` (0 to 1) of all mini-batches."""
    if schedule == "cosine":  # a smooth decay from LR to 0
        return LR * 0.5 * (1 + math.cos(math.pi * progress))
    return LR * (1.0 if progress < 0.5 else 0.3 if progress < 0.8 else 0.1)  # "steps"


def train(net, x_train, t_train, augment, epochs, schedule, log, watch=None):
    """Train `net` in place; returns the mean training loss per epoch and the averaged weights.

    watch: None, or a function called as watch(epoch, net, averaged) after every epoch."""
    optimizer = Adam(lr=LR)
    rng = np.random.default_rng(SEED)  # batch order and augmentation, in one stream
    total_steps = epochs * math.ceil(len(x_train) / BATCH_SIZE)
    ema = {key: np.zeros_like(value) for key, value in net.params.items()}
    step, losses = 0, []
    for epoch in range(epochs):
        order = rng.permutation(len(x_train))
        total = 0.0
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            x = random_shift_rotate(x_train[batch], rng) if augment else x_train[batch]
            optimizer.lr = learning_rate(schedule, step / total_steps)
            grads = net.gradient(x, t_train[batch])
            optimizer.update(net.params, grads)
            step += 1
            for key, value in net.params.items():
                ema[key] *= EMA_DECAY
                ema[key] += (1 - EMA_DECAY) * value
            total += float(net.last_layer.loss) * len(batch)
        losses.append(total / len(order))
        log(f"{'augmented' if augment else 'plain'} epoch {epoch + 1}/{epochs}: lr {optimizer.lr:.3g}, "
            f"training loss {losses[-1]:.4f}")
        # Started at 0, the average is short by the factor 1 - decay**step (as Adam's moments are).
        averaged = {key: value / (1 - EMA_DECAY**step) for key, value in ema.items()}
        if watch:
            watch(epoch + 1, net, averaged)
    return losses, averaged


def network_with(params):
    net = DeepConvNet(seed=SEED, dtype=np.float32)
    net.params.update(params)  # predict hands params to the layers
    return net


def measure(net, x, t):
    """Accuracy and mean cross-entropy (Dropout off) of net on x, t."""
    scores = np.concatenate([net.predict(x[i:i + 500]) for i in range(0, len(x), 500)])
    return {"accuracy": float(np.mean(np.argmax(scores, axis=1) == t)),
            "loss": round(softmax_cross_entropy(scores.astype(np.float64), t), 5)}


def validate(name, epochs, out, log):
    """Train recipe `name` (its epochs unless `epochs`) on 4,000 digits; every EVERY epochs measure on
    the other 1,000."""
    epochs, schedule = epochs or RECIPES[name][0], RECIPES[name][1]
    (x, t), _ = load_mnist(flatten=False)
    x_fit, t_fit, x_val, t_val = x[:-VALIDATION], t[:-VALIDATION], x[-VALIDATION:], t[-VALIDATION:]
    curve = []

    def watch(epoch, net, averaged):
        if epoch % EVERY == 0 or epoch == epochs:
            curve.append({"epoch": epoch, "last": measure(net, x_val, t_val),
                          "averaged": measure(network_with(averaged), x_val, t_val)})
            log(f"  validation at epoch {epoch}: {curve[-1]}")

    losses, _ = train(DeepConvNet(seed=SEED, dtype=np.float32), x_fit, t_fit, True, epochs, schedule, log,
                      watch)
    path = out / "deep_convnet_validation.json"
    results = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    results[name] = {"epochs": epochs, "schedule": schedule, "augmented": True, "train_digits": len(x_fit),
                     "validation_digits": len(x_val), "train_loss": losses, "validation": curve}
    path.write_text(json.dumps(dict(sorted(results.items())), indent=1) + "\n", encoding="utf-8")
    log(f"{name}: wrote {path}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=None,
                        help="train only this many epochs, the schedule compressed into them (a short check)")
    parser.add_argument("--out", type=Path, default=REPO / "dataset")
    parser.add_argument("--runs", nargs="+", choices=list(RUNS), default=list(RUNS))
    parser.add_argument("--validate", choices=list(RECIPES), default=None, metavar="RECIPE",
                        help="instead: train RECIPE on 4,000 digits and measure it on the other 1,000")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    begin = time.perf_counter()

    def log(message):
        print(f"[{time.perf_counter() - begin:7.0f} s] {message}", flush=True)

    if args.validate:
        validate(args.validate, args.epochs, args.out, log)
        return
    name, shipped = CHOSEN
    epochs, schedule = RECIPES[name]
    epochs = args.epochs or epochs
    search_path = REPO / "dataset" / "deep_convnet_validation.json"
    search = json.loads(search_path.read_text(encoding="utf-8"))
    (x_train, t_train), (x_test, t_test) = load_mnist(flatten=False)
    for run in args.runs:
        augment = RUNS[run]
        net = DeepConvNet(seed=SEED, dtype=np.float32)
        losses, averaged = train(net, x_train, t_train, augment, epochs, schedule, log)
        params = averaged if shipped == "averaged" else net.params
        path = args.out / f"{FILES[run]}.npz"
        write_npz(path, params)
        accuracy = network_with(params).accuracy(x_test, t_test, batch_size=500)
        moves = {"max_shift_px": MAX_SHIFT, "max_angle_deg": MAX_ANGLE}
        record = {"run": run, "file": path.name, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
                  "bytes": path.stat().st_size, "test_accuracy": accuracy, "test_digits": len(x_test),
                  "train_digits": len(x_train), "seed": SEED, "epochs": epochs, "batch_size": BATCH_SIZE,
                  "optimizer": "Adam", "learning_rate": LR, "schedule": schedule, "ema_decay": EMA_DECAY,
                  "weights": shipped, "dtype": "float32", "augmentation": moves if augment else None,
                  "train_loss": losses, "recipe": name, "validation": search}
        (args.out / f"{FILES[run]}.json").write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        log(f"{run}: wrote {path.name} ({record['bytes']:,} bytes, SHA-256 {record['sha256']}) and "
            f"{FILES[run]}.json; test accuracy {accuracy!r}")


if __name__ == "__main__":
    main()
