"""Training step of the 784-50-10 TwoLayerNet against the book's own code and the matmul floor.

    python bench/step_bench.py --book DIR [--rounds 7] [--batches 1 100 1000] [--threads N] [--baseline DIR]

Answers: is the project's training step, with every input checked at its boundary, as fast as the
book's own ch05 TwoLayerNet and SGD?

--book DIR: a folder holding the book's ch05/ and common/ (the book repository's files, exported
there at run time, outside this repository; never commit them), e.g. with the repository at hand:
git -C BOOK_REPO archive HEAD ch05 common | tar -x -C DIR

Each measurement is a fresh process (bench/step_worker.py, which describes the sides), so no side
inherits another's allocator or cache state. Rounds alternate the order of the sides (floor,
project, book, ..., then the reverse, ...). Two statistics per pair of sides: the ratio of the
minima over rounds of the per-process medians, and the median over rounds of the ratio measured
within a round (sides of one round run back to back, so a slow spell spanning a round cancels).

--threads N sets OPENBLAS_NUM_THREADS for the workers; without it they inherit this environment.
--baseline DIR adds a side "baseline": the project's step with the `common` package in DIR (first
on PYTHONPATH), e.g. an older one: git archive REV common | tar -x -C DIR
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from machine import describe_lines

WORKER = Path(__file__).with_name("step_worker.py")
PAIRS = [("project", "book"), ("baseline", "book"), ("project", "baseline"), ("project", "floor"),
         ("book", "floor")]


def sides_for(args):
    return ["floor", "project", "book"] + (["baseline"] if args.baseline else [])


def run_worker(side, batch, env, args):
    if side == "baseline":
        env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [args.baseline, env.get("PYTHONPATH")]))}
        side = "project"
    out = subprocess.run([sys.executable, str(WORKER), side, str(batch), "--book", args.book], env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(args, env, progress):
    """{(side, batch): [result per round]}, sides alternating in order from round to round."""
    results = {}
    for r in range(args.rounds):
        for batch in args.batches:
            sides = sides_for(args)
            for side in sides if r % 2 == 0 else sides[::-1]:
                result = run_worker(side, batch, env, args)
                results.setdefault((side, batch), []).append(result)
                progress(f"round {r + 1}/{args.rounds}  batch {batch:5d}  {side:8s}"
                         f"  median {result['median_s'] * 1e6:10.1f} us")
    return results


def report(results, args):
    lines = []
    for key, clock in (("median_s", "wall"), ("cpu_median_s", "CPU (process_time)")):
        lines += [f"Per step, {clock}: minimum over {args.rounds} processes of the median over blocks",
                  "", "| batch | side | µs |", "|---:|---|---:|"]
        for (side, batch), rs in sorted(results.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            lines.append(f"| {batch} | {side} | {1e6 * min(r[key] for r in rs):.1f} |")
        lines.append("")
    lines += ["Ratios: of the minima above (wall), and in brackets the median over rounds of the ratio "
              "within a round", "",
              "| batch | ratio | of minima | within-round median |", "|---:|---|---:|---:|"]
    for batch in args.batches:
        for a, b in PAIRS:
            if (a, batch) not in results or (b, batch) not in results:
                continue
            ra, rb = results[a, batch], results[b, batch]
            of_minima = min(r["median_s"] for r in ra) / min(r["median_s"] for r in rb)
            within = statistics.median(x["median_s"] / y["median_s"] for x, y in zip(ra, rb, strict=True))
            lines.append(f"| {batch} | {a} / {b} | {of_minima:.2f} | ({within:.2f}) |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--book", required=True, help="folder with the book's ch05/ and common/")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 100, 1000])
    parser.add_argument("--threads", type=int, help="OPENBLAS_NUM_THREADS for the workers")
    parser.add_argument("--baseline", help="directory with another `common` to time as a further side")
    parser.add_argument("--quiet", action="store_true", help="no per-process lines")
    args = parser.parse_args()

    env = dict(os.environ)
    if args.threads is not None:
        env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = str(args.threads)
    print(f"command: python bench/step_bench.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"workers' OPENBLAS_NUM_THREADS: {env.get('OPENBLAS_NUM_THREADS', 'unset')}")
    print("\n".join(describe_lines()))
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    results = measure(args, env, (lambda _: None) if args.quiet else print)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print()
    print(report(results, args))


if __name__ == "__main__":
    main()
