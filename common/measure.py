"""Measuring the cost of a computation in a notebook: how many calls, and how long one call takes.

Counting calls is exact and the same on every machine, so notebooks assert counts; timings differ
between runs and machines, so notebooks print them in cells whose output nbval does not compare.
"""

import time


class CountingCalls:
    """Wraps a function and counts how often it is called: f = CountingCalls(loss); f(x); f.calls == 1.

    To count the calls a method makes to its own object's loss, shadow it on that one object:
        net.loss = CountingCalls(net.loss)   ...   del net.loss   (back to the class's method)
    """

    def __init__(self, fn):
        if not callable(fn):
            raise TypeError(f"CountingCalls needs a callable, got {type(fn).__name__}")
        self.fn = fn
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.fn(*args, **kwargs)


def seconds_per_call(fn, repeat=10):
    """The best (smallest) wall time in seconds of `repeat` calls of fn(), the least disturbed by
    other work on the machine."""
    if not isinstance(repeat, int) or repeat < 1:
        raise ValueError(f"repeat must be an integer >= 1, got {repeat!r}")
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best
