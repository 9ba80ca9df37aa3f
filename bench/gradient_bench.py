"""Numerical against backpropagated gradient of the 784-50-10 TwoLayerNet on one batch.

    OPENBLAS_NUM_THREADS=1 python bench/gradient_bench.py [--batch 100] [--backprop-repeats 200]

The numerical gradient (central differences, two loss evaluations for each of the 39,760
parameters) is measured once, in full: no subset, no extrapolation. The backprop gradient is
timed over many calls (median and minimum). Both are checked against each other (relative error
per parameter array) so the timing is of two computations that agree. Float64, sigmoid hidden
layer, the first `batch` images of the bundled MNIST training set.
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np
from machine import describe_lines

from common.gradient import relative_error
from common.two_layer_net import TwoLayerNet
from dataset import load_mnist


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--backprop-repeats", type=int, default=200)
    args = parser.parse_args()

    print(f"command: python bench/gradient_bench.py {' '.join(sys.argv[1:])}".rstrip())
    print("\n".join(describe_lines()))
    (x, t), _ = load_mnist()
    x, t = x[:args.batch].astype(np.float64), t[:args.batch]
    net = TwoLayerNet(784, 50, 10, seed=0)
    n_params = sum(p.size for p in net.params.values())

    for _ in range(10):
        net.gradient(x, t)  # warm up
    backprop_times, backprop_cpu = [], []
    for _ in range(args.backprop_repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        backprop = net.gradient(x, t)
        backprop_times.append(time.perf_counter() - t0)
        backprop_cpu.append(time.process_time() - c0)
    backprop_median = statistics.median(backprop_times)
    backprop_cpu_median = statistics.median(backprop_cpu)

    c0, t0 = time.process_time(), time.perf_counter()
    numeric = net.numerical_gradient(x, t)
    numeric_seconds = time.perf_counter() - t0
    numeric_cpu = time.process_time() - c0

    errors = {key: relative_error(backprop[key], numeric[key]) for key in backprop}
    worst = max(errors.values())
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print()
    print(f"batch {args.batch}, {n_params} parameters, {2 * n_params} loss evaluations")
    print()
    print("| gradient | wall seconds | CPU seconds |")
    print("|---|---:|---:|")
    print(f"| numerical (central differences, measured once in full) | {numeric_seconds:.2f} "
          f"| {numeric_cpu:.2f} |")
    print(f"| backprop (median of {args.backprop_repeats}) | {backprop_median:.6f} "
          f"| {backprop_cpu_median:.6f} |")
    print(f"| backprop (minimum of {args.backprop_repeats}) | {min(backprop_times):.6f} | |")
    print(f"| ratio numerical / backprop median | {numeric_seconds / backprop_median:,.0f}x "
          f"| {numeric_cpu / backprop_cpu_median:,.0f}x |")
    print(f"| numerical per loss evaluation | {numeric_seconds / (2 * n_params) * 1e6:.0f} µs | |")
    print()
    print("relative error backprop vs numerical: "
          + ", ".join(f"{key} {value:.1e}" for key, value in errors.items()))
    if worst > 1e-6:
        raise SystemExit(f"gradients disagree: worst relative error {worst:.1e}")


if __name__ == "__main__":
    main()
