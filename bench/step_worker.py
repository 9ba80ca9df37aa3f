"""One side of the step benchmark, timed in this (fresh) process; bench/step_bench.py runs it.

    python bench/step_worker.py SIDE BATCH      SIDE: floor | project | primer

Prints one JSON line: median and minimum wall seconds per step over timed blocks of steps, and the
median CPU seconds per step (time.process_time).

  floor    the five matrix products a training step of the 784-50-10 net cannot avoid, with
           np.dot into preallocated outputs: x·W1, h·W2, hᵀ·d, d·W2ᵀ, xᵀ·dh (x: contiguous batches
           of the data, taken as views)
  project  common.training's minibatches() + sgd_step() on common.networks.TwoLayerNet with
           common.optimizers.SGD: exactly what common.training.train() runs per step (for an
           older `common` without those two, the same loop body written out below)
  primer   the primer's design (bench/primer_design.py), one-hot labels as the primer trains with

Float64 throughout; the data are the bundled MNIST training images (4,000 x 784) as float64.
"""

import argparse
import itertools
import json
import statistics
import time

import numpy as np
import primer_design

from common.optimizer import SGD
from common.two_layer_net import TwoLayerNet
from dataset import load_mnist

try:
    from common.training import minibatches, sgd_step
except ImportError:  # an older `common` (step_bench.py --baseline): its train() loop body, verbatim
    def minibatches(x, t, batch_size, seed=0):
        rng = np.random.default_rng(seed)
        while True:
            order = rng.permutation(len(x))
            for start in range(0, len(x) - batch_size + 1, batch_size):
                batch = order[start:start + batch_size]
                yield x[batch], t[batch]

    def sgd_step(network, optimizer, x_batch, t_batch):
        grads = network.gradient(x_batch, t_batch)
        optimizer.update(network.params, grads)
        return network.last_layer.loss

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

    # np.dot: as fast as matmul for these shapes at batch >= 2, and much faster for the outer
    # products xᵀ·dh and hᵀ·d at batch 1, where numpy's matmul does not take its fast path.
    def step():
        xb = next(views)
        np.dot(xb, W1, out=h)
        np.dot(h, W2, out=scores)
        np.dot(h.T, d, out=dW2)
        np.dot(d, W2.T, out=dh)
        np.dot(xb.T, dh, out=dW1)

    return step


def project_step(x, t, batch_size):
    net = TwoLayerNet(x.shape[1], HIDDEN, CLASSES, seed=0)
    optimizer = SGD(lr=LR)
    batches = minibatches(x, t, batch_size, seed=0)

    def step():
        x_batch, t_batch = next(batches)
        return sgd_step(net, optimizer, x_batch, t_batch)

    return step


def primer_step(x, t, batch_size):
    np.random.seed(0)  # noqa: NPY002 (the primer's global sampler)
    return primer_design.make_step(x, np.eye(CLASSES)[t], batch_size, hidden_size=HIDDEN, lr=LR)


def time_blocks(step, warmup=0.3, block=0.005, blocks=61):
    """Seconds per step over `blocks` blocks of about `block` seconds each.

    Returns (median wall, min wall, median CPU, steps per block). Short blocks let some of them fall
    between the scheduler's interruptions on a busy machine; CPU time (time.process_time) leaves out
    the time this process waited for a core, which makes it the steadier clock when BLAS runs one
    thread (with more threads it also counts the BLAS threads' spinning).
    """
    end = time.perf_counter() + warmup
    calls = 0
    while time.perf_counter() < end:
        step()
        calls += 1
    per_block = max(1, int(calls * block / warmup))
    wall, cpu = [], []
    for _ in range(blocks):
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(per_block):
            step()
        t1, c1 = time.perf_counter(), time.process_time()
        wall.append((t1 - t0) / per_block)
        cpu.append((c1 - c0) / per_block)
    return statistics.median(wall), min(wall), statistics.median(cpu), per_block


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("side", choices=["floor", "project", "primer"])
    parser.add_argument("batch", type=int)
    parser.add_argument("--blocks", type=int, default=61)
    args = parser.parse_args()

    (x, t), _ = load_mnist()
    x = x.astype(np.float64)
    make = {"floor": lambda: floor_step(x, args.batch),
            "project": lambda: project_step(x, t, args.batch),
            "primer": lambda: primer_step(x, t, args.batch)}[args.side]
    median, fastest, cpu, per_block = time_blocks(make(), blocks=args.blocks)
    print(json.dumps({"side": args.side, "batch": args.batch, "median_s": median, "min_s": fastest,
                      "cpu_median_s": cpu, "steps_per_block": per_block}))


if __name__ == "__main__":
    main()
