"""Steps, towers and tower sums: the picture proof of the universal approximation theorem（万能近似定理）.

One hidden unit sigmoid(w*x + b) with a large weight w is almost a step at s = -b/w. Two opposite
steps make a tower (a box of some height), and N towers side by side follow any continuous function
on [0, 1] as closely as we like. The same works with a pair of ReLUs, which makes a ramp (the "hard
sigmoid") instead of a smooth step.

Conventions:

* ``x`` is any array of inputs, shape (...); results have the same shape unless stated.
* ``w`` is the steepness (the weight of the hidden unit), a finite number > 0.
* ``kind`` chooses the unit that makes a step: "sigmoid" (smooth), "relu" (a ramp from two ReLUs)
  or "ideal" (the limit w -> infinity: a true step, 1/2 exactly at the jump).
* N towers over [0, 1] have equal width 1/N, edges ``tower_edges(N)`` and centres ``tower_centres(N)``.
* Bad input raises ValueError naming it (N < 1, width <= 0, w <= 0, NaN or inf, wrong shapes) or
  TypeError (the wrong kind: N given as 2.5 or "3", a string for a number), by the checks of common.

Only numpy (and common.functions' sigmoid) is imported here; the interactive explorer lives in
companion.towers_view.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from common import _checks as check
from common.functions import sigmoid

KINDS = ("sigmoid", "relu", "ideal")

# Where errors are measured unless told otherwise: 1001 evenly spaced points on [0, 1].
GRID = np.linspace(0.0, 1.0, 1001)

# fit_heights refuses a linear system worse conditioned than this. Sigmoid towers reach it at a
# steepness of about 1.3 slice widths (w = 1.3 N) for any N; beyond it the fitted heights stop
# looking like the target and start cancelling each other.
MAX_CONDITION = 100.0


# ------------------------------------------------------------------------------------ checks


# The checks of common (TypeError for the wrong kind, ValueError for a wrong value), for towers' terms.


def _positive(v, what):
    return check.finite_number(v, what, minimum=0, strict=True)


def _check_kind(kind, fn):
    check.one_of(kind, KINDS, f"{fn}: kind")


def _check_n(n, fn):
    return check.integer(n, f"{fn}: the number of towers N", 1)


def _check_heights(heights, fn):
    h = check.finite_array(heights, f"{fn}: heights")
    if h.ndim != 1 or h.size == 0:
        raise ValueError(f"{fn}: heights must be a non-empty 1-D array (one per tower), "
                         f"got shape {h.shape}")
    return h


# ------------------------------------------------------------------------------------- steps


def step_position(w, b):
    """Where the unit sigmoid(w*x + b) jumps: w*x + b = 0 at s = -b/w. Scalars or arrays."""
    w = check.finite_array(w, "step_position: w")
    if (w == 0).any():
        raise ValueError("step_position: w must be non-zero: a unit with w = 0 is flat and has no step")
    return -check.finite_array(b, "step_position: b") / w


def ideal_step(x, position):
    """The limit of a step as w -> infinity: 0 left of `position`, 1 right of it, 1/2 on it."""
    x = check.finite_array(x, "ideal_step: x")
    return np.heaviside(x - check.finite_number(position, "ideal_step: position"), 0.5)


def sigmoid_step(x, position, w):
    """sigmoid(w * (x - position)): the unit sigmoid(w*x + b) with bias b = -w * position.

    Rises from 0 to 1 around `position`, over a width of about 4/w (its slope there is w/4).
    """
    x = check.finite_array(x, "sigmoid_step: x")
    s = check.finite_number(position, "sigmoid_step: position")
    return sigmoid(_positive(w, "sigmoid_step: steepness w") * (x - s))


def hard_sigmoid(x, position, w):
    """A ramp made of two ReLUs: relu(w*(x - s) + 1/2) - relu(w*(x - s) - 1/2).

    0 left of s - 1/(2w), 1 right of s + 1/(2w), a straight line of slope w in between (1/2 at s).
    This is the piecewise-linear "hard sigmoid"; each of its two ReLUs is one hidden unit.
    Computed as the equal clip(z + 1/2, 0, 1), z = w (x - s): the difference of two large ReLUs
    rounds to 1 +- 2e-16 * z on the flat top, the clip is exactly 0 and 1 on the flat parts.
    """
    x = check.finite_array(x, "hard_sigmoid: x")
    s = check.finite_number(position, "hard_sigmoid: position")
    return _ramp(_positive(w, "hard_sigmoid: steepness w") * (x - s))


def _ramp(z):
    """relu(z + 1/2) - relu(z - 1/2), written as clip(z + 1/2, 0, 1)."""
    return np.clip(z + 0.5, 0.0, 1.0)


def _needs_w(w, kind, fn):
    """kind "ideal" takes no steepness; the others need one."""
    if w is None and kind != "ideal":
        raise ValueError(f'{fn}: {kind} units need a steepness w (only kind="ideal" goes without)')


def step(x, position, w=None, kind="sigmoid"):
    """A step at `position` made by `kind` ("sigmoid", "relu" or "ideal"; "ideal" takes no w)."""
    _check_kind(kind, "step")
    _needs_w(w, kind, "step")
    if kind == "ideal":
        return ideal_step(x, position)
    if kind == "relu":
        return hard_sigmoid(x, position, w)
    return sigmoid_step(x, position, w)


# ------------------------------------------------------------------------------------ towers


def tower(x, center, width, height, w=None, kind="sigmoid"):
    """height * (step up at center - width/2  minus  step up at center + width/2).

    The second step is subtracted: an opposite step that brings the sum back down. As w grows the
    tower approaches the ideal box of that height over [center - width/2, center + width/2].
    """
    c = check.finite_number(center, "tower: center")
    half = _positive(width, "tower: width") / 2
    h = check.finite_number(height, "tower: height")
    return h * (step(x, c - half, w, kind) - step(x, c + half, w, kind))


def tower_edges(n):
    """The N + 1 edges 0, 1/N, ..., 1 of N equal towers over [0, 1]. Shape (N + 1,)."""
    return np.linspace(0.0, 1.0, _check_n(n, "tower_edges") + 1)


def tower_centres(n):
    """The centres (k + 1/2)/N, k = 0..N-1, of N equal towers over [0, 1]. Shape (N,)."""
    n = _check_n(n, "tower_centres")
    return (np.arange(n) + 0.5) / n


def _inner_steps(x, n, w, kind, fn):
    """The steps up at the N - 1 inner edges, evaluated at x. Shape (...) -> (..., N - 1)."""
    n = _check_n(n, fn)
    _check_kind(kind, fn)
    _needs_w(w, kind, fn)
    x = check.finite_array(x, f"{fn}: x")
    inner = tower_edges(n)[1:-1]
    if kind == "ideal":
        return np.heaviside(x[..., None] - inner, 0.5)
    z = _positive(w, f"{fn}: steepness w") * (x[..., None] - inner)
    if kind == "relu":
        return _ramp(z)
    return sigmoid(z)


def tower_basis(x, n, w=None, kind="sigmoid"):
    """The N towers of height 1 over [0, 1], evaluated at x. Shape (...) -> (..., N).

    Column k is step(edge k) - step(edge k+1). The first tower has no left step and the last no
    right step (they sit at -inf and +inf: constant 1 and 0 on [0, 1]), so a sum of towers does not
    sag to half height at x = 0 and x = 1. Only the N - 1 inner edges need a hidden unit.
    """
    ups = _inner_steps(x, n, w, kind, "tower_basis")
    ones = np.ones(ups.shape[:-1] + (1,))
    up_left = np.concatenate([ones, ups], axis=-1)  # step up at each tower's left edge
    up_right = np.concatenate([ups, 0 * ones], axis=-1)  # step up at each tower's right edge
    return up_left - up_right


def tower_sum(x, heights, w=None, kind="sigmoid"):
    """The sum of N = len(heights) towers of equal width over [0, 1]. x: (...) -> (...).

    heights: shape (N,), the height of each tower from left to right; w may be left out for
    kind="ideal". Computed as
    heights[0] + sum_k (heights[k] - heights[k-1]) * step(edge k): neighbouring towers share an
    edge, so the down step of one and the up step of the next merge into one unit (see as_network).
    """
    h = _check_heights(heights, "tower_sum")
    return h[0] + _inner_steps(x, h.size, w, kind, "tower_sum") @ np.diff(h)


def as_network(heights, w):
    """The tower sum written as a one-hidden-layer network y = b + sum_i c_i * sigmoid(w_i * x + b_i).

    Neighbouring towers share an edge, so their steps merge into one unit whose output weight is the
    change of height there: c_i = heights[i+1] - heights[i], and the output bias b is heights[0].
    Returns (w_hidden (N-1,), b_hidden (N-1,), c (N-1,), b). The step of unit i sits at -b_i/w_i.
    """
    h = _check_heights(heights, "as_network")
    w = _positive(w, "as_network: steepness w")
    inner = tower_edges(h.size)[1:-1]
    return np.full(inner.shape, w), -w * inner, np.diff(h), float(h[0])


# --------------------------------------------------------------------------------- fitting


def fit_heights(target, n, w=None, kind="sigmoid"):
    """Tower heights that make the sum of N towers equal the target at the N tower centres.

    target: a Target, a registry name (see TARGETS) or a vectorised function of x.
    w=None (or kind="ideal"): ideal towers, so each height is simply the target at its centre.
    Finite w: neighbouring steps leak a little into each centre, so solve the N x N linear system
    tower_basis(centres) @ heights = target(centres) instead. For a steep unit the system is close
    to the identity. A unit gentler than about 1.3 slice widths (w < 1.3 N) smears the towers so
    much that the heights would have to cancel each other (large, alternating); then the condition
    number passes MAX_CONDITION and this raises ValueError instead of returning such heights.
    Returns heights, shape (N,).
    """
    f = get_target(target)
    n = _check_n(n, "fit_heights")
    centres = tower_centres(n)
    values = check.finite_array(f(centres), "fit_heights: target values")
    if values.shape != centres.shape:
        raise ValueError(f"fit_heights: target must map shape {centres.shape} to the same shape, "
                         f"got {values.shape}")
    _check_kind(kind, "fit_heights")
    if w is None or kind == "ideal":
        return values
    a = tower_basis(centres, n, w, kind)
    cond = np.linalg.cond(a)
    if not cond <= MAX_CONDITION:
        raise ValueError(
            f"fit_heights: steepness w = {w:.4g} is too gentle for {n} towers: they overlap so much that "
            f"their heights would have to cancel out (condition number {cond:.3g} > {MAX_CONDITION:g}); "
            f"use w >= 1.5 N or so"
        )
    return np.linalg.solve(a, values)


class ApproxError(NamedTuple):
    """How far an approximation is from its target: the largest and the mean absolute difference."""

    max_abs: float
    mean_abs: float


def approximation_error(y, y_target):
    """Max and mean of |y - y_target| over the sample points. Two arrays of the same shape."""
    y = check.finite_array(y, "approximation_error: approximation")
    t = check.finite_array(y_target, "approximation_error: target values")
    if y.shape != t.shape or y.size == 0:
        raise ValueError(f"approximation_error: approximation {y.shape} and target {t.shape} must be "
                         "non-empty, same shape")
    d = np.abs(y - t)
    return ApproxError(float(d.max()), float(d.mean()))


def fit_error(target, heights, w=None, kind="sigmoid", x=None):
    """approximation_error of tower_sum(x, heights, w, kind) against the target on x (default GRID).

    Ideal towers jump at every edge, and a sample on an edge sees only the midpoint 1/2 of the jump,
    while the largest error is usually a one-sided limit there (the target has moved L/(2N) away from
    the height it is compared with). So for kind="ideal" the largest error also takes, at every point
    of x and at every tower edge, both the left and the right limit of the staircase: the height of
    the slice on each side. The mean stays the mean over x.
    """
    f = get_target(target)
    x = GRID if x is None else check.finite_array(x, "fit_error: x")
    error = approximation_error(tower_sum(x, heights, w, kind), f(x))
    if kind != "ideal":
        return error
    h = _check_heights(heights, "fit_error")
    edges = tower_edges(h.size)
    points = np.concatenate([x.ravel(), edges])
    values = f(points)
    # the slice just left of each point and the slice just right of it (the same one inside a slice)
    left = np.clip(np.searchsorted(edges, points, side="left") - 1, 0, h.size - 1)
    right = np.clip(np.searchsorted(edges, points, side="right") - 1, 0, h.size - 1)
    largest = max(np.abs(values - h[left]).max(), np.abs(values - h[right]).max())
    return ApproxError(float(largest), error.mean_abs)


def best_steepness(target, n, ws, kind="sigmoid"):
    """The auto-fit (fit_heights) at each steepness of `ws`; the one with the smallest largest error.

    Steepnesses fit_heights refuses (too gentle for n towers) are skipped. Returns (ApproxError, w);
    ValueError if it refuses every one of them.
    """
    best = None
    for w in check.finite_array(ws, "best_steepness: ws").ravel():
        try:
            heights = fit_heights(target, n, w, kind)
        except ValueError:
            continue
        err = fit_error(target, heights, w, kind)
        if best is None or err.max_abs < best[0].max_abs:
            best = (err, float(w))
    if best is None:
        raise ValueError(f"best_steepness: every steepness given is too gentle to auto-fit {n} towers")
    return best


# --------------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """A function on [0, 1] to approximate: a short name, a plain-text formula, the function, and the
    same function as a JavaScript expression in x (what the explorer evaluates in the browser;
    tests/browser/test_explorer_math.py checks that the two agree)."""

    name: str
    formula: str
    func: Callable[[np.ndarray], np.ndarray]
    js: str = ""

    def __post_init__(self):
        for field in ("name", "formula", "js"):
            if not isinstance(getattr(self, field), str):
                kind = type(getattr(self, field)).__name__
                raise TypeError(f"Target: {field} must be a string, got {kind}")
        check.function(self.func, "Target: func")

    def __call__(self, x):
        """Vectorised: x (...) -> values (...)."""
        return self.func(check.finite_array(x, "x"))


TARGETS = {
    t.name: t
    for t in (
        Target("wiggly", "0.2 + 0.4x^2 + 0.3x sin(15x) + 0.05 cos(50x)",
               lambda x: 0.2 + 0.4 * x**2 + 0.3 * x * np.sin(15 * x) + 0.05 * np.cos(50 * x),
               "0.2 + 0.4 * x ** 2 + 0.3 * x * Math.sin(15 * x) + 0.05 * Math.cos(50 * x)"),
        Target("sin", "0.5 + 0.4 sin(2 pi x)", lambda x: 0.5 + 0.4 * np.sin(2 * np.pi * x),
               "0.5 + 0.4 * Math.sin(2 * Math.PI * x)"),
        Target("bump", "exp(-(x - 0.5)^2 / 0.02)", lambda x: np.exp(-((x - 0.5) ** 2) / 0.02),
               "Math.exp(-((x - 0.5) ** 2) / 0.02)"),
        Target("abs", "|x - 0.5|", lambda x: np.abs(x - 0.5), "Math.abs(x - 0.5)"),
    )
}


def get_target(target):
    """A Target from the registry by name; a Target or any callable is returned as it is."""
    if isinstance(target, str):
        if target not in TARGETS:
            raise ValueError(f"get_target: unknown target {target!r}; choose one of {sorted(TARGETS)}")
        return TARGETS[target]
    if callable(target):
        return target
    raise TypeError(f"get_target: target must be a name from {sorted(TARGETS)} or a function, got {target!r}")
