"""Small helpers of the primer's chapter 6 scripts: smoothing a loss curve, shuffling a data set."""

import numpy as np

from common import _checks as check

SMOOTH_WINDOW = 11  # samples in the moving average of smooth_curve
SMOOTH_BETA = 2.0  # shape of its Kaiser window: a bell, heavier in the middle than a flat mean


def smooth_curve(x):
    """A noisy curve (a loss per step) smoothed by a moving weighted average, same length as x.

    Each point becomes the mean of the 11 points around it, weighted by a Kaiser window (beta 2), as
    in the primer's code. At the ends the curve is mirrored (without repeating the end point) so the
    window always has 11 points; the primer's code mirrors the last point too at the right end.
    x: 1-d sequence of at least 2 numbers -> float array of the same length.
    """
    x = check.curve(x, "smooth_curve: x")
    w = np.kaiser(SMOOTH_WINDOW, SMOOTH_BETA)
    half = SMOOTH_WINDOW // 2
    padded = np.pad(x, half, mode="reflect")
    return np.convolve(padded, w / w.sum(), mode="valid")


def shuffle_dataset(x, t, seed=None):
    """x and t in one random order (the same permutation of their first axis), as new arrays.

    x: (N, ...) inputs (rows or images), t: (N,) labels or (N, C) one-hot. seed: for
    np.random.default_rng; the same seed gives the same order.
    """
    x, t = check.pair((x, t), "shuffle_dataset: (x, t)")
    order = check.rng(seed, "shuffle_dataset: seed").permutation(len(x))
    return x[order], t[order]
