"""Timing one step of a benchmark in the process that runs it (bench/step_worker.py, bench/conv_bench.py)."""

import statistics
import time


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
