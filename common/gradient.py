"""Numerical differentiation (primer chapter 4) and the relative error used by gradient checks.

Rules on input (tests/test_bad_input.py): f must be callable; the step h and the learning rate lr
are finite real numbers > 0 and step_num an integer >= 0 (TypeError for "1e-4" or "3", ValueError
for 0, -1, inf or NaN). numerical_gradient perturbs x in place, so x must be a float numpy array
(TypeError for a list or integers) without NaN; an f that returns NaN or ±inf at a perturbed point
is refused with the element named, since the difference quotient would be NaN. relative_error
refuses NaN and ±inf (the error of such arrays means nothing) and arrays of different shapes.
numerical_diff, like the activations, passes NaN through: a NaN x or f(x) gives a NaN derivative.
"""

import warnings

import numpy as np

from common.functions import _as_float, _check_callable, _check_int, _check_real_number

_METHODS = ("central", "forward", "backward")


def _check_h(h):
    _check_real_number(h, "step h", 0, strict=True)


def numerical_diff(f, x, h=1e-4, method="central"):
    """Derivative of a scalar function f at the scalar x by a finite difference.

    central:  (f(x + h) - f(x - h)) / 2h   error O(h^2)
    forward:  (f(x + h) - f(x)) / h         error O(h)
    backward: (f(x) - f(x - h)) / h         error O(h)
    """
    _check_callable(f, "numerical_diff: f")
    _as_float(x, "numerical_diff: x")  # a number (or array) of real numbers; f gets x as given
    _check_h(h)
    if method not in _METHODS:
        raise ValueError(f"method must be one of {_METHODS}, got {method!r}")
    if method == "central":
        return (f(x + h) - f(x - h)) / (2 * h)
    if method == "forward":
        return (f(x + h) - f(x)) / h
    return (f(x) - f(x - h)) / h  # backward


def numerical_gradient(f, x, h=1e-4):
    """Gradient of the scalar function f at the float array x by central differences.

    For every element x_i: df/dx_i = (f(x with x_i + h) - f(x with x_i - h)) / 2h.

    x is perturbed in place, one element at a time, so f may read x by reference (as the
    networks' loss closures do); every element is restored to its exact original value, even if
    f raises. x: float array of any shape (float64 for trustworthy digits; lower precision
    warns). Returns an array of x's shape and dtype.
    """
    _check_callable(f, "numerical_gradient: f")
    if not isinstance(x, np.ndarray):
        raise TypeError(
            f"x must be a numpy float64 array (it is perturbed in place), got {type(x).__name__}"
        )
    if x.dtype.kind in "biu":
        raise TypeError(
            f"numerical_gradient needs a float array, got dtype {x.dtype}: x + h would be "
            "truncated back to an integer, giving garbage; pass x.astype(np.float64)"
        )
    if x.dtype.kind != "f":
        raise TypeError(f"numerical_gradient needs a float array, got dtype {x.dtype}")
    if x.dtype != np.float64:
        # Not an error (the answer is still a gradient), but it is a poor one: say so.
        warnings.warn(
            f"numerical_gradient in {x.dtype}: rounding in f is about as large as the difference "
            "over h = 1e-4, so the result can be wrong by O(1); use float64 for gradient checks",
            RuntimeWarning,
            stacklevel=2,
        )
    _check_h(h)
    if np.isnan(x).any():
        raise ValueError("numerical_gradient: x contains NaN")

    grad = np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        original = x[idx]
        try:
            x[idx] = original + h
            f_plus = f(x)
            x[idx] = original - h
            f_minus = f(x)
        finally:
            x[idx] = original
        grad[idx] = (_scalar(f_plus, idx) - _scalar(f_minus, idx)) / (2 * h)
    return grad


def _scalar(value, idx):
    value = np.asarray(value)
    if value.size != 1:
        raise ValueError(f"f must return a scalar, got an array of shape {value.shape}")
    value = float(value.reshape(()))
    if not np.isfinite(value):
        raise ValueError(f"numerical_gradient: f returned {value} with x[{', '.join(map(str, idx))}] "
                         "moved by ±h; its difference quotient is not a number")
    return value


def relative_error(a, b):
    """Relative error |a - b| / (|a| + |b|) with Euclidean norms over all elements, in [0, 1].

    0 when both are exactly zero. A correct backprop gradient agrees with a central-difference
    one to about 1e-8 in float64; above 1e-6 something is wrong.
    """
    a = _as_float(a, "relative_error: a").astype(np.float64, copy=False)
    b = _as_float(b, "relative_error: b").astype(np.float64, copy=False)
    if a.shape != b.shape:
        raise ValueError(f"relative_error: shapes differ, {a.shape} vs {b.shape}")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("relative_error: a and b must be finite (no NaN, no ±inf)")
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    if scale == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / scale)


def gradient_descent(f, init_x, lr=0.01, step_num=100, return_path=False):
    """Minimise f by x <- x - lr * grad f(x), step_num times, with numerical gradients.

    init_x: float64 array, left unchanged (the primer's version overwrote it).
    Returns the final x, or (x, path) with path of shape (step_num + 1, *x.shape) if return_path.
    """
    _check_callable(f, "gradient_descent: f")
    _check_real_number(lr, "gradient_descent: lr (the learning rate)", 0, strict=True)
    step_num = _check_int(step_num, "gradient_descent: step_num", 0)
    x = _as_float(init_x, "gradient_descent: init_x").astype(np.float64)  # a copy, always
    if not np.isfinite(x).all():
        raise ValueError("gradient_descent: init_x must be finite")
    path = [x.copy()]
    for _ in range(step_num):
        x -= lr * numerical_gradient(f, x)
        path.append(x.copy())
    return (x, np.array(path)) if return_path else x
