"""One side of the step benchmark, timed in this (fresh) process; bench/step_bench.py runs it.

    python bench/step_worker.py SIDE BATCH [--book DIR]      SIDE: floor | project | book

Prints one JSON line: median and minimum wall seconds per step over timed blocks of steps, and the
median CPU seconds per step (time.process_time).

  floor    the five matrix products a training step of the 784-50-10 net cannot avoid, with
           np.dot into preallocated outputs: x·W1, h·W2, hᵀ·d, d·W2ᵀ, xᵀ·dh
  project  common.training's minibatches() + sgd_step() on common.two_layer_net.TwoLayerNet
           (activation="relu", as the book's ch05 net) with common.optimizer.SGD: what
           common.training.train() runs per step, integer labels
  book     the book's own files, loaded from DIR (the book repository's ch05/ and common/, exported
           there by hand, never committed): ch05/two_layer_net.py's TwoLayerNet and
           common/optimizer.py's SGD, with the step of ch05/train_neuralnet.py (a batch drawn by
           np.random.choice, one-hot labels)

784-50-10, lr 0.1, float64; the data are the bundled MNIST training images (5,000 x 784).
"""

import argparse
import importlib.util
import itertools
import json
import sys
from pathlib import Path

import numpy as np
from timing import time_blocks

from dataset import load_mnist

HIDDEN, CLASSES, LR = 50, 10, 0.1


def floor_step(x, batch_size):
    rng = np.random.default_rng(0)
    d_in = x.shape[1]
    W1 = 0.01 * rng.standard_normal((d_in, HIDDEN))
    W2 = 0.01 * rng.standard_normal((HIDDEN, CLASSES))
    d = rng.standard_normal((batch_size, CLASSES))  # stands in for dL/dscores
    h = np.empty((batch_size, HIDDEN))
    scores = np.empty((batch_size, CLASSES))
    dW2 = np.empty((HIDDEN, CLASSES))
    dh = np.empty((batch_size, HIDDEN))
    dW1 = np.empty((d_in, HIDDEN))
    # Views of consecutive batches: fresh data every step, as in training, but no copy.
    views = itertools.cycle([x[i:i + batch_size] for i in range(0, len(x) - batch_size + 1, batch_size)])

    def step():
        xb = next(views)
        np.dot(xb, W1, out=h)
        np.dot(h, W2, out=scores)
        np.dot(h.T, d, out=dW2)
        np.dot(d, W2.T, out=dh)
        np.dot(xb.T, dh, out=dW1)

    return step


def project_step(x, t, batch_size):
    from common.optimizer import SGD
    from common.training import minibatches, sgd_step
    from common.two_layer_net import TwoLayerNet

    net = TwoLayerNet(x.shape[1], HIDDEN, CLASSES, seed=0, activation="relu")
    optimizer = SGD(lr=LR)
    batches = minibatches(x, t, batch_size, seed=0)

    def step():
        x_batch, t_batch = next(batches)
        return sgd_step(net, optimizer, x_batch, t_batch)

    return step


def book_step(x, t, batch_size, book_dir):
    """The book's ch05 TwoLayerNet and SGD, imported from book_dir (its own `common` package)."""
    sys.path.insert(0, str(book_dir))  # the book's scripts import `common` from their parent folder
    path = Path(book_dir, "ch05", "two_layer_net.py")
    spec = importlib.util.spec_from_file_location("book_two_layer_net", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from common.optimizer import SGD  # the book's: book_dir is first on the path

    np.random.seed(0)  # noqa: NPY002 (the book's global sampler)
    net = module.TwoLayerNet(input_size=x.shape[1], hidden_size=HIDDEN, output_size=CLASSES)
    optimizer = SGD(lr=LR)
    t_one_hot = np.eye(CLASSES)[t]
    train_size = x.shape[0]

    def step():  # the loop body of ch05/train_neuralnet.py, with the book's SGD for its update
        batch_mask = np.random.choice(train_size, batch_size)  # noqa: NPY002
        x_batch, t_batch = x[batch_mask], t_one_hot[batch_mask]
        grads = net.gradient(x_batch, t_batch)
        optimizer.update(net.params, grads)
        return net.lastLayer.loss

    return step


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("side", choices=["floor", "project", "book"])
    parser.add_argument("batch", type=int)
    parser.add_argument("--book", help="folder holding the book's ch05/ and common/ (side book)")
    parser.add_argument("--blocks", type=int, default=61)
    args = parser.parse_args()

    (x, t), _ = load_mnist()
    x = x.astype(np.float64)
    make = {"floor": lambda: floor_step(x, args.batch),
            "project": lambda: project_step(x, t, args.batch),
            "book": lambda: book_step(x, t, args.batch, args.book)}[args.side]
    median, fastest, cpu, per_block = time_blocks(make(), blocks=args.blocks)
    print(json.dumps({"side": args.side, "batch": args.batch, "median_s": median, "min_s": fastest,
                      "cpu_median_s": cpu, "steps_per_block": per_block}))


if __name__ == "__main__":
    main()
