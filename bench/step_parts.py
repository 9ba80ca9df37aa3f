"""Where one training step of the 784-50-10 net spends its time, part by part, in one process.

    python bench/step_parts.py [--batch 100] [--threads N]

Each part is timed alone, over and over (timeit), and the minimum over repeats is kept: the least
disturbed figure on a shared machine. Also times the ways of gathering a batch, and the input checks
done on every step (NaN, label range, shapes), so their share of a step can be seen.
Float64, the bundled MNIST training images.
"""

import argparse
import itertools
import sys
import timeit

import numpy as np
from threads import rerun_with_blas_threads


def best(fn, number, repeat=15):
    """Minimum seconds per call over `repeat` runs of `number` calls."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--threads", type=int, help="re-run with OPENBLAS_NUM_THREADS set to this")
    args = parser.parse_args()
    rerun_with_blas_threads(args.threads)  # before numpy is imported

    from machine import describe_lines

    from common.functions import _batched
    from common.optimizer import SGD
    from common.training import minibatches
    from common.two_layer_net import TwoLayerNet
    from dataset import load_mnist

    print(f"command: python bench/step_parts.py {' '.join(sys.argv[1:])}".rstrip())
    print("\n".join(describe_lines()))
    (x, t), _ = load_mnist()
    x = x.astype(np.float64)
    n_batch = args.batch
    number = max(1, 20_000 // n_batch)

    net = TwoLayerNet(784, 50, 10, seed=0)
    optimizer = SGD(0.1)
    batches = minibatches(x, t, n_batch)
    affine1, sigmoid, affine2 = net.layers.values()
    loss_layer = net.last_layer
    xb, tb = next(batches)
    h = affine1.forward(xb)
    z = sigmoid.forward(h)
    scores = affine2.forward(z)
    loss_layer.forward(scores, tb)
    d_scores = loss_layer.backward(1)
    d_z = affine2.backward(d_scores)
    d_h = sigmoid.backward(d_z)
    affine1.backward(d_h)
    grads = {"W1": affine1.dW, "b1": affine1.db, "W2": affine2.dW, "b2": affine2.db}

    parts = {
        "gather a batch (minibatches)": lambda: next(batches),
        "Affine 1 forward": lambda: affine1.forward(xb),
        "Sigmoid forward": lambda: sigmoid.forward(h),
        "Affine 2 forward": lambda: affine2.forward(z),
        "SoftmaxWithLoss forward": lambda: loss_layer.forward(scores, tb),
        "SoftmaxWithLoss backward": lambda: loss_layer.backward(1),
        "Affine 2 backward": lambda: affine2.backward(d_scores),
        "Sigmoid backward": lambda: sigmoid.backward(d_z),
        "Affine 1 backward (no dX)": lambda: affine1.backward(d_h),
        "SGD update": lambda: optimizer.update(net.params, grads),
    }
    times = {name: best(fn, number) for name, fn in parts.items()}
    whole = best(lambda: (lambda xy: optimizer.update(net.params, net.gradient(*xy)))(next(batches)), number)

    # The checks every step makes on the scores and labels (shape, NaN, label range; +inf on row maxima).
    def checks():
        _batched(scores, tb, "softmax_cross_entropy")
        return (scores.max(axis=1) == np.inf).any()

    check_time = best(checks, number)

    print()
    print(f"batch {n_batch}: each part alone, min over repeats (µs)")
    print()
    print("| part | µs | share of the sum |")
    print("|---|---:|---:|")
    total = sum(times.values())
    for name, seconds in times.items():
        print(f"| {name} | {seconds * 1e6:.1f} | {seconds / total:.1%} |")
    print(f"| sum of the parts | {total * 1e6:.1f} | 100% |")
    print(f"| whole step (gather + gradient() + update) | {whole * 1e6:.1f} | |")
    print(f"| input checks on every step (inside SoftmaxWithLoss forward) | {check_time * 1e6:.1f} "
          f"| {check_time / total:.1%} |")

    # Ways to gather a batch; per step, in µs. Each call takes the next batch of a fresh permutation,
    # so the rows come from memory as in training (the same rows again would sit in the cache).
    # take() runs with mode="clip": with out= and the default mode="raise" numpy buffers the copy.
    per_epoch = len(x) // n_batch
    perms = [np.random.default_rng(seed).permutation(len(x)) for seed in range(8)]
    index_sets = itertools.cycle([p[i * n_batch:(i + 1) * n_batch] for p in perms for i in range(per_epoch)])
    orders = itertools.cycle(perms)
    buffer = np.empty((n_batch, x.shape[1]))
    whole_set = np.empty_like(x)
    gathers = {
        "fancy index x[idx] (a new array)": best(lambda: x[next(index_sets)], number),
        "np.take(x, idx, axis=0, out=buffer, mode='clip') (reused)": best(
            lambda: np.take(x, next(index_sets), axis=0, out=buffer, mode="clip"), number),
        "x[order] once an epoch, slices after (new array)": best(lambda: x[next(orders)], 3) / per_epoch,
        "np.take(x, order, out=..., mode='clip') once an epoch (reused)": best(
            lambda: np.take(x, next(orders), axis=0, out=whole_set, mode="clip"), 3) / per_epoch,
    }
    print()
    print(f"gathering a batch of {n_batch} from {len(x)} x {x.shape[1]} float64, per step (µs)")
    print()
    print("| way | µs per step |")
    print("|---|---:|")
    for name, seconds in gathers.items():
        print(f"| {name} | {seconds * 1e6:.1f} |")


if __name__ == "__main__":
    main()
