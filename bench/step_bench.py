"""Training step of the 784-50-10 TwoLayerNet against the matmul floor and the primer's design.

    python bench/step_bench.py [--rounds 7] [--batches 1 100 1000] [--threads N] [--markdown]

Each measurement is a fresh process (bench/step_worker.py), so no side inherits another's
allocator or cache state. Rounds alternate the order of the sides (floor, project, primer, then
primer, project, floor, ...); for every side and batch size the figure kept is the minimum over
rounds of the per-process median. Ratios are taken between those figures.

--threads N sets OPENBLAS_NUM_THREADS for the workers; without it they inherit this environment.
--baseline DIR adds a fourth side, "baseline": the project's step with the `common` package found
in DIR (put first on PYTHONPATH), e.g. an older one: git archive REV common | tar -x -C DIR
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from machine import describe_lines

SIDES = ("floor", "project", "primer")
WORKER = Path(__file__).with_name("step_worker.py")


def run_worker(side, batch, env, baseline=None):
    if side == "baseline":
        env = {**env, "PYTHONPATH": os.pathsep.join(filter(None, [baseline, env.get("PYTHONPATH")]))}
        side = "project"
    out = subprocess.run([sys.executable, str(WORKER), side, str(batch)], env=env, check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def measure(batches, rounds, env, progress, sides=SIDES, baseline=None):
    """{(side, batch): [result per round]}, sides alternating in order from round to round."""
    results = {(side, batch): [] for side in sides for batch in batches}
    for r in range(rounds):
        order = sides if r % 2 == 0 else sides[::-1]
        for batch in batches:
            for side in order:
                result = run_worker(side, batch, env, baseline)
                results[side, batch].append(result)
                progress(f"round {r + 1}/{rounds}  batch {batch:5d}  {side:8s}"
                         f"  median {result['median_s'] * 1e6:10.1f} us"
                         f"  cpu {result['cpu_median_s'] * 1e6:10.1f} us")
    return results


def summary(results, batches, sides, key):
    """Per batch: the min over rounds of the per-process medians `key`, per side, in microseconds."""
    return {batch: {side: 1e6 * min(r[key] for r in results[side, batch]) for side in sides}
            for batch in batches}


def round_ratios(results, batches, sides, key):
    """Per batch: median over rounds of the ratios between sides measured in the same round.

    Sides of one round run back to back, so a slow spell of the machine that spans a round
    cancels out of its ratios; a robustness check of the ratios of the minima.
    """
    pairs = [("project", "floor"), ("primer", "floor"), ("project", "primer")]
    if "baseline" in sides:
        pairs += [("baseline", "floor"), ("project", "baseline")]
    return {batch: {f"{a} / {b}": statistics.median(
        ra[key] / rb[key] for ra, rb in zip(results[a, batch], results[b, batch], strict=True))
        for a, b in pairs} for batch in batches}


def ratio_table(ratios, title):
    names = list(next(iter(ratios.values())))
    lines = [title, "", "| batch | " + " | ".join(n.replace("primer", "primer-design") for n in names) + " |",
             "|---:|" + "---:|" * len(names)]
    for batch, r in ratios.items():
        lines.append(f"| {batch} | " + " | ".join(f"{r[n]:.2f}" for n in names) + " |")
    return "\n".join(lines)


def table(best, title):
    with_baseline = "baseline" in next(iter(best.values()))
    head = ("| batch | floor µs | project µs | primer-design µs | project / floor | primer-design / floor "
            "| project / primer-design |")
    rule = "|---:|---:|---:|---:|---:|---:|---:|"
    if with_baseline:
        head += " baseline µs | baseline / floor |"
        rule += "---:|---:|"
    lines = [title, "", head, rule]
    for batch, t in best.items():
        line = (f"| {batch} | {t['floor']:.1f} | {t['project']:.1f} | {t['primer']:.1f} "
                f"| {t['project'] / t['floor']:.2f} | {t['primer'] / t['floor']:.2f} "
                f"| {t['project'] / t['primer']:.2f} |")
        if with_baseline:
            line += f" {t['baseline']:.1f} | {t['baseline'] / t['floor']:.2f} |"
        lines.append(line)
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--batches", type=int, nargs="+", default=[1, 100, 1000])
    parser.add_argument("--threads", type=int, help="OPENBLAS_NUM_THREADS for the workers")
    parser.add_argument("--baseline", help="directory with another `common` to time as a fourth side")
    parser.add_argument("--quiet", action="store_true", help="no per-process lines")
    args = parser.parse_args()

    env = dict(os.environ)
    if args.threads is not None:
        env["OPENBLAS_NUM_THREADS"] = str(args.threads)
    print(f"command: python bench/step_bench.py {' '.join(sys.argv[1:])}".rstrip())
    print(f"workers' OPENBLAS_NUM_THREADS: {env.get('OPENBLAS_NUM_THREADS', 'unset')}")
    print("\n".join(describe_lines()))
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    sides = SIDES + ("baseline",) if args.baseline else SIDES
    results = measure(args.batches, args.rounds, env, (lambda _: None) if args.quiet else print,
                      sides, args.baseline)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print()
    print(table(summary(results, args.batches, sides, "median_s"),
                f"Wall time per step, min over {args.rounds} processes per side of the median over blocks"))
    print()
    print(table(summary(results, args.batches, sides, "cpu_median_s"),
                f"CPU time per step (process_time), min over {args.rounds} processes of the median"))
    print()
    print(ratio_table(round_ratios(results, args.batches, sides, "median_s"),
                      f"Ratios within each round (wall medians), median over {args.rounds} rounds"))


if __name__ == "__main__":
    main()
