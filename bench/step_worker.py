"""One side of the step benchmark, timed in this (fresh) process; bench/step_bench.py runs it.

    python bench/step_worker.py SIDE BATCH      SIDE: floor | project | primer | torch64 | torch32

Prints one JSON line: median and minimum wall seconds per step over timed blocks of steps, and the
median CPU seconds per step (time.process_time).

  floor    the five matrix products a training step of the 784-50-10 net cannot avoid, with
           np.dot into preallocated outputs: x·W1, h·W2, hᵀ·d, d·W2ᵀ, xᵀ·dh (x: contiguous batches
           of the data, taken as views)
  project  common.training's minibatches() + sgd_step() on common.two_layer_net.TwoLayerNet with
           common.optimizer.SGD: exactly what common.training.train() runs per step
  primer   the primer's design (bench/primer_design.py), one-hot labels as the primer trains with
  torch64  the same MLP and step in PyTorch on the CPU, float64: x @ W1 + b1, sigmoid, x @ W2 + b2,
  torch32  torch.nn.functional.cross_entropy, autograd, torch.optim.SGD; batches gathered by index
           the way minibatches() does; as many torch threads as OPENBLAS_NUM_THREADS (if set)

Float64 data except torch32; the data are the bundled MNIST training images (5,000 x 784).
"""

import argparse
import itertools
import json
import os
import statistics
import time

import numpy as np
import primer_design

from common.optimizer import SGD
from common.training import minibatches, sgd_step
from common.two_layer_net import TwoLayerNet
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


def torch_step(x, t, batch_size, dtype):
    import torch  # only this side needs it
    import torch.nn.functional as F

    if os.environ.get("OPENBLAS_NUM_THREADS"):
        torch.set_num_threads(int(os.environ["OPENBLAS_NUM_THREADS"]))
    dtype = {"float64": torch.float64, "float32": torch.float32}[dtype]
    X = torch.from_numpy(x).to(dtype)
    T = torch.from_numpy(t.astype(np.int64))
    g = torch.Generator().manual_seed(0)
    W1 = (0.01 * torch.randn(x.shape[1], HIDDEN, generator=g, dtype=dtype)).requires_grad_()
    b1 = torch.zeros(HIDDEN, dtype=dtype, requires_grad=True)
    W2 = (0.01 * torch.randn(HIDDEN, CLASSES, generator=g, dtype=dtype)).requires_grad_()
    b2 = torch.zeros(CLASSES, dtype=dtype, requires_grad=True)
    optimizer = torch.optim.SGD([W1, b1, W2, b2], lr=LR)
    index_batches = minibatches(np.arange(len(x)), np.arange(len(x)), batch_size, seed=0)

    def step():
        index, _ = next(index_batches)
        index = torch.from_numpy(index)
        x_batch, t_batch = X[index], T[index]
        loss = F.cross_entropy(torch.sigmoid(x_batch @ W1 + b1) @ W2 + b2, t_batch)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.item()

    return step


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
    parser.add_argument("side", choices=["floor", "project", "primer", "torch64", "torch32"])
    parser.add_argument("batch", type=int)
    parser.add_argument("--blocks", type=int, default=61)
    args = parser.parse_args()

    (x, t), _ = load_mnist()
    x = x.astype(np.float64)
    make = {"floor": lambda: floor_step(x, args.batch),
            "project": lambda: project_step(x, t, args.batch),
            "primer": lambda: primer_step(x, t, args.batch),
            "torch64": lambda: torch_step(x, t, args.batch, "float64"),
            "torch32": lambda: torch_step(x, t, args.batch, "float32")}[args.side]
    median, fastest, cpu, per_block = time_blocks(make(), blocks=args.blocks)
    print(json.dumps({"side": args.side, "batch": args.batch, "median_s": median, "min_s": fastest,
                      "cpu_median_s": cpu, "steps_per_block": per_block}))


if __name__ == "__main__":
    main()
