"""SimpleConvNet's training step and its convolution layer: the project against the primer's own code.

    python bench/conv_bench.py --primer DIR [--rounds 5] [--threads 1]

DIR is a copy of the primer's repository (at least its ch07/ and common/ folders), which the project
does not ship, e.g. from a clone of github.com/oreilly-japan/deep-learning-from-scratch:
    mkdir /tmp/primer && git -C CLONE archive HEAD ch07 common | tar -x -C /tmp/primer

Measured, each in a fresh process (this script with --worker), float64 throughout as in the primer,
on the bundled MNIST training images as (N, 1, 28, 28):
  step B    one SGD step (lr 0.01) of the default SimpleConvNet (30 filters 5x5, hidden 100) at batch
            B: project = common.training's minibatches() + sgd_step() on common.simple_convnet;
            primer = its ch07/simple_convnet.py and common/ as published: a batch drawn by
            np.random.choice, network.gradient, its SGD's update
  conv      Convolution(W (30, 1, 5, 5), b) forward then backward (dx included) on a fixed batch of
            100 images, with a fixed dout (100, 30, 24, 24)
  conv1     the project's layer as SimpleConvNet uses it, input_grad=False (no dx): project only
  memory    peak bytes allocated during one batch-100 step above what was allocated before it
            (tracemalloc, which sees numpy's buffers), after a few warm-up steps
  torch64   the same network and step in PyTorch on the CPU in float64, if torch is importable
            (it is not a project dependency): step 100 only
  products  the float64 matrix products alone (np.dot, the primer's layouts, random numbers of the
            same shapes) that every implementation of the computation must make: for conv, the
            layer's three (forward, dW, the input's gradient); for step 100, the eight of a step
            (Conv1's forward and dW, each Affine's forward, dW and dx; Conv1 needs no dx). Roughly
            a floor for any float64 code on this BLAS: only another layout of the same products
            changes their time (within about 15 % in the layouts tried, bench/RESULTS.md).
Rounds alternate the order of the sides. Reported: the minimum over rounds of each process's median
time per step, the ratio of those minima, and in brackets the median over rounds of the ratio within
a round.
"""

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import tracemalloc
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
LR = 0.01
CONV_BATCH = 100


def project_side():
    """(make_step, make_conv) for the project's code."""
    from common.layers import Convolution
    from common.optimizer import SGD
    from common.simple_convnet import SimpleConvNet
    from common.training import minibatches, sgd_step

    def make_step(x, t, batch):
        net, optimizer = SimpleConvNet(seed=0), SGD(lr=LR)
        batches = minibatches(x, t, batch, seed=0)
        return lambda: sgd_step(net, optimizer, *next(batches))

    def make_conv(W, b, input_grad=True):
        return Convolution(W, b, input_grad=input_grad)

    return make_step, make_conv


def primer_side(primer_dir):
    """(make_step, make_conv) for the primer's code, imported from primer_dir (its common/ first)."""
    sys.path[:0] = [str(Path(primer_dir) / "ch07"), str(primer_dir)]
    from simple_convnet import SimpleConvNet

    from common.layers import Convolution  # the primer's
    from common.optimizer import SGD

    assert Path(sys.modules["common"].__file__).resolve().is_relative_to(Path(primer_dir).resolve())

    def make_step(x, t, batch):
        np.random.seed(0)  # noqa: NPY002 (the primer's global sampler)
        net, optimizer = SimpleConvNet(), SGD(lr=LR)

        def step():
            batch_mask = np.random.choice(len(x), batch)  # noqa: NPY002 (as the primer's Trainer draws)
            grads = net.gradient(x[batch_mask], t[batch_mask])
            optimizer.update(net.params, grads)

        return step

    return make_step, lambda W, b: Convolution(W, b)


def torch_step(x, t, batch):
    """The same network and step in PyTorch, float64, as many threads as OPENBLAS_NUM_THREADS."""
    import torch
    import torch.nn.functional as F

    if os.environ.get("OPENBLAS_NUM_THREADS"):
        torch.set_num_threads(int(os.environ["OPENBLAS_NUM_THREADS"]))
    X, T = torch.from_numpy(x), torch.from_numpy(t.astype(np.int64))
    g = torch.Generator().manual_seed(0)
    shapes = [(30, 1, 5, 5), (30,), (30 * 12 * 12, 100), (100,), (100, 10), (10,)]
    params = [(0.01 * torch.randn(*s, generator=g, dtype=torch.float64) if len(s) > 1
               else torch.zeros(s, dtype=torch.float64)).requires_grad_() for s in shapes]
    W1, b1, W2, b2, W3, b3 = params
    optimizer = torch.optim.SGD(params, lr=LR)
    rng = np.random.default_rng(0)

    def step():
        index = torch.from_numpy(rng.integers(0, len(x), batch))
        h = F.max_pool2d(F.relu(F.conv2d(X[index], W1, b1)), 2)
        loss = F.cross_entropy(F.relu(h.flatten(1) @ W2 + b2) @ W3 + b3, T[index])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()

    return step


def products_step(what, batch):
    """The matrix products of `products` above, as one step (shapes of the default SimpleConvNet)."""
    rng = np.random.default_rng(0)
    fields, filters, maps = batch * 24 * 24, 1 * 5 * 5, 30  # im2col's rows and columns; FN

    def mats(*shapes):
        return [rng.standard_normal(s) for s in shapes]

    col, col_W, dcol_out = mats((fields, filters), (filters, maps), (fields, maps))
    if what == "conv":
        return lambda: (np.dot(col, col_W), np.dot(col.T, dcol_out), np.dot(dcol_out, col_W.T))
    x2, W2, d2, x3, W3, d3 = mats((batch, maps * 12 * 12), (maps * 12 * 12, 100), (batch, 100),
                                  (batch, 100), (100, 10), (batch, 10))

    def step():
        np.dot(col, col_W), np.dot(col.T, dcol_out)  # Conv1: forward, dW
        for x, W, d in ((x2, W2, d2), (x3, W3, d3)):  # Affine1, Affine2: forward, dW, dx
            np.dot(x, W), np.dot(x.T, d), np.dot(d, W.T)

    return step


def peak_bytes(step, warmup=3):
    """Bytes allocated at the peak of one step, above what was allocated before it (tracemalloc)."""
    for _ in range(warmup):
        step()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - before


def worker(side, what, batch, data, primer_dir, blocks):
    from timing import time_blocks

    with np.load(data) as npz:
        x, t = npz["x"], npz["t"]
    if side == "torch64":
        step = torch_step(x, t, batch)
    elif side == "products":
        step = products_step(what, batch)
    else:
        make_step, make_conv = project_side() if side == "project" else primer_side(primer_dir)
        if what in ("step", "memory"):
            step = make_step(x, t, batch)
        else:
            rng = np.random.default_rng(0)
            W, b = 0.01 * rng.standard_normal((30, 1, 5, 5)), np.zeros(30)
            layer = make_conv(W, b, input_grad=False) if what == "conv1" else make_conv(W, b)
            xb, dout = x[:CONV_BATCH], rng.standard_normal((CONV_BATCH, 30, 24, 24))

            def step():
                layer.forward(xb)
                layer.backward(dout)

    if what == "memory":
        return {"peak_bytes": peak_bytes(step)}
    median, fastest, cpu, _ = time_blocks(step, warmup=0.5, block=0.02, blocks=blocks)
    return {"median_s": median, "min_s": fastest, "cpu_median_s": cpu}


def run_worker(side, what, batch, args, data, env):
    cmd = [sys.executable, str(Path(__file__)), "--worker", side, what, str(batch), "--data", data,
           "--blocks", str(args.blocks)]
    if args.primer:
        cmd += ["--primer", args.primer]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def cases(torch_ok):
    """(what, batch, sides) measured each round."""
    listed = [("step", 100, ["project", "primer"] + (["torch64"] if torch_ok else []) + ["products"]),
              ("step", 1, ["project", "primer"]),
              ("conv", CONV_BATCH, ["project", "primer", "products"]),
              ("conv1", CONV_BATCH, ["project"]),
              ("memory", 100, ["project", "primer"])]
    return listed


def report(results, rounds):
    lines = ["| measured | project | primer | torch64 | products alone | project / primer | "
             "project / torch64 | project / primer, CPU time | products alone / primer |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for (what, batch), by_side in results.items():
        key = "peak_bytes" if what == "memory" else "median_s"
        unit, scale = ("MB", 1e-6) if what == "memory" else ("ms", 1e3)
        best = {side: min(r[key] for r in rs) for side, rs in by_side.items()}
        cells = [f"{best[s] * scale:.2f} {unit}" if s in best else ""
                 for s in ("project", "primer", "torch64", "products")]
        ratios = []
        for other in ("primer", "torch64"):
            if "project" in by_side and other in by_side:
                within = statistics.median(a[key] / b[key] for a, b in zip(by_side["project"], by_side[other],
                                                                            strict=True))
                ratios.append(f"**{best['project'] / best[other]:.2f}** ({within:.2f})")
            else:
                ratios.append("")
        if what != "memory" and "primer" in by_side:
            cpu = [min(r["cpu_median_s"] for r in by_side[s]) for s in ("project", "primer")]
            ratios.append(f"{cpu[0] / cpu[1]:.2f}")
        else:
            ratios.append("")
        ratios.append(f"**{best['products'] / best['primer']:.2f}**" if "products" in best else "")
        label = {"step": f"SGD step, batch {batch}", "conv": "Convolution fwd+bwd (dx too), batch 100",
                 "conv1": "Convolution fwd+bwd as Conv1 (no dx), batch 100",
                 "memory": "peak memory of a step, batch 100"}[what]
        lines.append(f"| {label} | {' | '.join(cells)} | {' | '.join(ratios)} |")
    lines.append(f"\n({rounds} rounds; times: minimum over rounds of each process's median wall time per "
                 "step; memory: minimum over rounds; ratios of those, in brackets the median of the "
                 "within-round ratios; CPU time: the ratio of the minima of the median CPU times "
                 "(time.process_time); products alone: the matrix products every implementation makes, "
                 "timed by themselves)")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--primer", help="folder holding the primer's ch07/ and common/")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--blocks", type=int, default=21, help="timed blocks per process")
    parser.add_argument("--threads", type=int, help="OPENBLAS_NUM_THREADS for the workers")
    parser.add_argument("--worker", nargs=3, metavar=("SIDE", "WHAT", "BATCH"), help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        side, what, batch = args.worker
        print(json.dumps(worker(side, what, int(batch), args.data, args.primer, args.blocks)))
        return
    if not args.primer or not (Path(args.primer) / "ch07" / "simple_convnet.py").is_file():
        parser.error("--primer DIR must hold the primer's ch07/simple_convnet.py and common/ (see --help)")

    sys.path.insert(0, str(HERE))
    from machine import describe_lines

    from dataset import load_mnist

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), str(REPO)])}
    if args.threads is not None:
        env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = str(args.threads)
    torch_ok = importlib.util.find_spec("torch") is not None
    print(f"command: python bench/conv_bench.py {' '.join(sys.argv[1:])}")
    print(f"workers' OPENBLAS_NUM_THREADS: {env.get('OPENBLAS_NUM_THREADS', 'unset')}; torch: "
          f"{'yes' if torch_ok else 'not installed'}")
    print("\n".join(describe_lines()))
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    (x, t), _ = load_mnist(flatten=False)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = str(Path(tmp) / "train.npz")
        np.savez(data, x=x.astype(np.float64), t=t)
        for r in range(args.rounds):
            for what, batch, sides in cases(torch_ok):
                for side in sides if r % 2 == 0 else sides[::-1]:
                    result = run_worker(side, what, batch, args, data, env)
                    results.setdefault((what, batch), {}).setdefault(side, []).append(result)
                    print(f"round {r + 1}/{args.rounds}  {what} {batch:4d}  {side:8s}  {result}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}\n")
    print(report(results, args.rounds))


if __name__ == "__main__":
    main()
