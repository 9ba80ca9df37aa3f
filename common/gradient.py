"""Numerical differentiation (primer chapter 4) and the relative error used by gradient checks.

Rules on input (tests/test_bad_input.py): f must be callable; the step h and the learning rate lr
are finite real numbers > 0 and step_num an integer >= 0 (TypeError for "1e-4" or "3", ValueError
for 0, -1, inf or NaN). numerical_gradient perturbs x in place, so x must be a float numpy array
(TypeError for a list or integers) without NaN; an f that returns NaN or ±inf at a perturbed point
is refused with the element named, since the difference quotient would be NaN. relative_error
refuses NaN and ±inf (the error of such arrays means nothing) and arrays of different shapes.
numerical_diff, like the activations, passes NaN through: a NaN x or f(x) gives a NaN derivative.
"""

import numpy as np

from common import _checks as check

_METHODS = ("central", "forward", "backward")


def numerical_diff(f, x, h=1e-4, method="central"):
    """Derivative of a scalar function f at the scalar x by a finite difference.

    central:  (f(x + h) - f(x - h)) / 2h   error O(h^2)
    forward:  (f(x + h) - f(x)) / h         error O(h)
    backward: (f(x) - f(x - h)) / h         error O(h)
    """
    check.numerical_diff_args(f, x, h, method, _METHODS)  # f gets x as given
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
    check.numerical_gradient_args(f, x, h)
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
        grad[idx] = (check.f_value(f_plus, idx) - check.f_value(f_minus, idx)) / (2 * h)
    return grad


def relative_error(a, b):
    """Relative error |a - b| / (|a| + |b|) with Euclidean norms over all elements, in [0, 1].

    0 when both are exactly zero. A correct backprop gradient agrees with a central-difference
    one to about 1e-8 in float64; above 1e-6 something is wrong.
    """
    a, b = check.two_finite_arrays(a, b, "relative_error")
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    if scale == 0:
        return 0.0
    return float(np.linalg.norm(a - b) / scale)


def gradient_descent(f, init_x, lr=0.01, step_num=100, return_path=False):
    """Minimise f by x <- x - lr * grad f(x), step_num times, with numerical gradients.

    init_x: float64 array, left unchanged (the primer's version overwrote it).
    Returns the final x, or (x, path) with path of shape (step_num + 1, *x.shape) if return_path.
    """
    x, step_num = check.gradient_descent_args(f, init_x, lr, step_num)
    x = x.copy()  # init_x stays as it was
    path = [x.copy()]
    for _ in range(step_num):
        x -= lr * numerical_gradient(f, x)
        path.append(x.copy())
    return (x, np.array(path)) if return_path else x


def float64_gradients(params, loss):
    """Central-difference gradients of loss() (no arguments) with respect to every array of the dict
    params, in float64: each entry is replaced by a float64 copy for the computation (in float32 the
    rounding of the loss swamps the differences) and put back after. The networks' numerical_gradient.
    """
    check.instance(params, dict, "float64_gradients: params")
    check.function(loss, "float64_gradients: loss")
    saved = dict(params)
    try:
        for key, value in saved.items():
            params[key] = np.array(value, dtype=np.float64)  # a fresh copy
        return {key: numerical_gradient(lambda _: loss(), params[key]) for key in saved}
    finally:
        params.update(saved)
