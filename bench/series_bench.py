"""Wall time of re-executing every notebook of the series, each in a fresh kernel.

    python bench/series_bench.py [--timeout 600]

Runs notebooks/*.ipynb in name order with nbclient (kernel "python3", working directory
notebooks/, as nbval and nbconvert run them), writes each executed copy to a temporary
directory that is deleted afterwards (the notebooks in the repository are not touched), and
prints the wall seconds for each notebook (kernel start included) and the total. A notebook that
raises is reported as failed with the error name; the rest still run.

Beside the wall time it prints the kernel process's CPU seconds (user + system, read from /proc
after the last cell): on a shared, busy machine the wall time grows with the load, the CPU time
much less, so the two together say how long the series takes on a quiet machine.
"""

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from machine import describe_lines
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def process_cpu_seconds(pid):
    """User + system CPU seconds of a live process, from /proc/PID/stat (None if unreadable)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def run_one(path, out_dir, timeout):
    """(wall seconds, kernel CPU seconds, status) for executing `path` from a fresh kernel."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    cpu = [None]

    def after_cell(**_):
        process = getattr(client.km.provisioner, "process", None)
        if process is not None:
            cpu[0] = process_cpu_seconds(process.pid)

    client.on_cell_complete = after_cell
    t0 = time.perf_counter()
    try:
        client.execute()
        status = "ok"
    except CellExecutionError as error:
        status = f"failed: {error.ename}"
    except Exception as error:  # a timeout or a dead kernel: report it, go on with the others
        status = f"failed: {type(error).__name__}"
    seconds = time.perf_counter() - t0
    nbformat.write(nb, out_dir / path.name)
    return seconds, cpu[0], status


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed for one cell")
    args = parser.parse_args()

    print(f"command: python bench/series_bench.py {' '.join(sys.argv[1:])}".rstrip())
    print("\n".join(describe_lines()))
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    paths = sorted(NOTEBOOKS.glob("*.ipynb"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for path in paths:
            seconds, cpu, status = run_one(path, Path(tmp), args.timeout)
            rows.append((path.name, seconds, cpu, status))
            print(f"  {path.name}: {seconds:.1f} s wall, {cpu} s kernel CPU, {status}", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print()
    print("| notebook | wall seconds | kernel CPU seconds | status |")
    print("|---|---:|---:|---|")
    for name, seconds, cpu, status in rows:
        cpu_text = "?" if cpu is None else f"{cpu:.1f}"
        print(f"| {name} | {seconds:.1f} | {cpu_text} | {status} |")
    total = sum(row[1] for row in rows)
    total_cpu = sum(row[2] or 0.0 for row in rows)
    ok = sum(row[3] == "ok" for row in rows)
    print(f"| **total ({len(rows)} notebooks)** | **{total:.1f}** | **{total_cpu:.1f}** | {ok} ok |")


if __name__ == "__main__":
    main()
