"""Measuring the cost of a computation in a notebook: how many calls, and how long one call takes.

Counting calls is exact and the same on every machine, so notebooks assert counts; timings differ
between runs and machines, so notebooks print them in cells whose output nbval does not compare.

Rules on input: fn must be callable and repeat an integer >= 1 (TypeError naming the parameter
for the wrong kind, ValueError for 0 or less).
"""

import time

from common import _checks as check


class CountingCalls:
    """Wraps a function and counts how often it is called: f = CountingCalls(loss); f(x); f.calls == 1.

    To count the calls a method makes to its own object's loss, shadow it on that one object:
        net.loss = CountingCalls(net.loss)   ...   del net.loss   (back to the class's method)
    """

    def __init__(self, fn):
        check.function(fn, "CountingCalls: fn")
        self.fn = fn
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.fn(*args, **kwargs)


def seconds_per_call(fn, repeat=10):
    """The best (smallest) wall time in seconds of `repeat` calls of fn(), the least disturbed by
    other work on the machine."""
    check.function(fn, "seconds_per_call: fn")
    repeat = check.integer(repeat, "seconds_per_call: repeat", 1)
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
