"""Activation functions, softmax and loss functions (primer chapters 3 and 4).

Conventions used throughout `common`:

* Inputs may be any array-like of real numbers; floating inputs keep their dtype, integers and
  bools become float64.
* A 1-D array is one sample; an array of shape (N, ...) is a batch of N samples along axis 0.
* Targets ``t`` are either dense (one-hot, or soft rows that are probability distributions) with
  the prediction's shape, or integer class labels with the prediction's shape minus its last axis
  (a scalar label for one sample; a column (N, 1) of labels too). One rule decides which
  (`target_is_labels`), for every loss and loss layer, forward and backward.

Rules for the borderline cases (tests/test_bad_input.py holds a case for each):

* The wrong kind of input (strings, None, complex numbers, objects) raises TypeError; a wrong value
  or shape raises ValueError. Every message names the function and the parameter.
* NaN: the element-wise activations pass it through (NaN in, NaN out, as numpy does), except
  `step_function` and `relu_grad`, whose 0/1 output would hide it: they refuse it. softmax,
  log_softmax and every loss refuse NaN.
* Infinity: activations take ±inf (sigmoid(+inf) = 1). Scores for softmax, log_softmax and
  softmax_cross_entropy may hold -inf (a class of probability 0) but not +inf, and a row may not be
  all -inf (no distribution has those scores). mean_squared_error refuses ±inf.
* Probabilities given to cross_entropy_error lie in [0, 1]. Dense targets of the cross-entropies
  lie in [0, 1] and each row sums to 1 (within 1e-6): (y - t) / N is the gradient only then.
* Labels are integers in 0..C-1. When a target fits both readings (a (1,) target for a (1,)
  prediction), it is dense.
* An empty batch (0 samples) or 0 classes is refused: its mean loss would be 0 / 0.
"""

import math
import numbers

import numpy as np

# The primer's guard against log(0) in the probability form of cross-entropy.
CROSS_ENTROPY_DELTA = 1e-7
# How far a dense target row's sum may be from 1 (rounding in one-hot or soft rows built by a user).
ROW_SUM_TOLERANCE = 1e-6


def _as_float(x, what="x", part=None):
    """x as a float ndarray: float16/32/64 keep their dtype, ints and bools become float64.

    The error names `what` (and `part`, as "what: part"), formatted only when there is an error.
    """
    x = np.asarray(x)
    if x.dtype.kind == "f":
        return x
    if x.dtype.kind in "biu":
        return x.astype(np.float64)
    raise TypeError(f"{what}{'' if part is None else ': ' + part} must be an array of real numbers, "
                    f"got dtype {x.dtype}")


def _check_real_number(value, what, minimum=None, strict=False):
    """value as a float: a real number (not a bool, not a string), finite, and >= or > minimum.

    TypeError for the wrong kind, ValueError for a wrong value; both name `what` (a string, or a
    function returning one, called only when there is an error).
    """
    if callable(what):
        what = what()
    if type(value) not in (int, float) and (  # the common case first: no ABC check for it
            isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real)):
        raise TypeError(f"{what} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value!r}")
    if minimum is not None and (value <= minimum if strict else value < minimum):
        bound = ("positive" if minimum == 0 else f"> {minimum}") if strict else f">= {minimum}"
        raise ValueError(f"{what} must be {bound}, got {value!r}")
    return value


def _check_int(value, what, minimum):
    """value as an int: an integer (not a bool, not 3.0 or '3'), >= minimum; names `what`."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be an integer, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{what} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def _check_callable(fn, what):
    if not callable(fn):
        raise TypeError(f"{what} must be callable, got {type(fn).__name__} {fn!r}")


def _reject_nan(x, what):
    if np.isnan(x).any():
        raise ValueError(f"{what} contains NaN")


# ---------------------------------------------------------------- activations, shape (...) -> (...)


def step_function(x):
    """Step h(x) = 1 if x > 0 else 0, element-wise. Shape (...) -> (...), float. Refuses NaN."""
    x = _as_float(x, "step_function: x")
    _reject_nan(x, "step_function: x")  # NaN > 0 is False: it would become a silent 0
    return (x > 0).astype(x.dtype)


def sigmoid(x):
    """Sigmoid h(x) = 1 / (1 + exp(-x)), element-wise. Shape (...) -> (...).

    exp(-x) overflows for x < -709 (float64). With e = exp(-|x|), which never overflows, the sigmoid
    is 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0. Since e <= 1, the numerator of both is
    max(e, [x >= 0]): one division serves both signs, which is faster than choosing between two
    quotients with np.where (bench/RESULTS.md) and gives the same bits.
    """
    x = _as_float(x, "sigmoid: x")
    e = np.exp(-np.abs(x))
    numerator = np.maximum(e, x >= 0, out=np.empty_like(e))  # out=: an array even for a 0-d x
    numerator /= 1 + e  # in place: the numerator becomes the sigmoid
    return numerator


def sigmoid_grad(x):
    """Derivative of the sigmoid, h'(x) = h(x)(1 - h(x)). Shape (...) -> (...)."""
    y = sigmoid(_as_float(x, "sigmoid_grad: x"))
    return y * (1 - y)


def relu(x):
    """ReLU h(x) = max(0, x), element-wise. Shape (...) -> (...)."""
    return np.maximum(_as_float(x, "relu: x"), 0)


def relu_grad(x):
    """Derivative of ReLU: 1 where x > 0, else 0 (0 at x = 0, exactly as the `Relu` layer).

    Refuses NaN, which would become a silent 0.
    """
    x = _as_float(x, "relu_grad: x")
    _reject_nan(x, "relu_grad: x")
    return (x > 0).astype(x.dtype)


def tanh(x):
    """Hyperbolic tangent, element-wise. Shape (...) -> (...)."""
    return np.tanh(_as_float(x, "tanh: x"))


def tanh_grad(x):
    """Derivative of tanh: 1 - tanh(x)^2. Shape (...) -> (...)."""
    y = tanh(_as_float(x, "tanh_grad: x"))
    return 1 - y * y


def identity(x):
    """Identity h(x) = x, the output activation for regression. Shape (...) -> (...)."""
    return _as_float(x, "identity: x")


# ---------------------------------------------------------------------------------------- softmax


def _scores_and_max(a, what):
    """a as floats and its maxima along the last axis (keepdims), refusing scores with no softmax.

    The maximum is what the formula shifts by anyway; checking it alone finds NaN anywhere in a row
    (the maximum of a row with NaN is NaN), +inf, and rows that are all -inf.
    """
    a = _as_float(a, what)
    if a.ndim == 0 or a.size == 0:
        raise ValueError(f"{what} needs at least one score along the last axis, got shape {a.shape}")
    a_max = a.max(axis=-1, keepdims=True)
    if not np.isfinite(a_max).all():
        if np.isnan(a_max).any():
            raise ValueError(f"{what} contains NaN")
        if (a_max == np.inf).any():
            raise ValueError(f"{what} contains +inf: its softmax is not defined")
        raise ValueError(f"{what} has a row of only -inf scores: no probabilities have those scores")
    return a, a_max


def softmax(a):
    """Stable softmax over the last axis: y_k = exp(a_k - max a) / sum_i exp(a_i - max a).

    Subtracting the maximum changes nothing mathematically (the constant cancels) but keeps every
    exp() argument <= 0, so it can never overflow.

    Shape (..., C) -> (..., C); each row along the last axis sums to 1.
    """
    a, a_max = _scores_and_max(a, "softmax: a")
    e = np.exp(a - a_max)
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(a):
    """log(softmax(a)) over the last axis, computed as (a - max) - log(sum(exp(a - max))).

    Shape (..., C) -> (..., C). Finite for all finite inputs, even where softmax underflows to 0.
    """
    return _log_softmax(a, "log_softmax: a")


def _log_softmax(a, what):
    """log_softmax, with errors naming `what` (the caller: a loss names its own logits)."""
    a, a_max = _scores_and_max(a, what)
    shifted = a - a_max
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


# ----------------------------------------------------------------------------------------- targets


def target_is_labels(y_shape, t):
    """The rule for what a target means: True for integer labels, False for a dense target.

    y_shape: the prediction's shape, (C,) or (N, C). t: the target (an array). Dense: t has y's
    shape, or (1, C) for one sample (C,). Labels: t has y's shape without its last axis, () or (1,)
    for one sample, or a column (N, 1) for a batch (the primer's ch07/gradient_check.py passes one).
    Dense wins where both fit. Anything else raises ValueError.
    """
    one_sample = len(y_shape) == 1
    if t.shape == y_shape or (one_sample and t.shape == (1, *y_shape)):
        return False
    if t.shape == y_shape[:-1] or (one_sample and t.shape == (1,)) or t.shape == (*y_shape[:-1], 1):
        return True
    if t.ndim == len(y_shape):
        raise ValueError(f"one-hot target of shape {t.shape} does not match prediction of shape {y_shape}")
    raise ValueError(f"target shape {t.shape} fits neither one-hot {y_shape} nor labels {y_shape[:-1]}")


def _batched(y, t, what):
    """Return (y2, t2, is_labels): y as (N, C) and t as (N, C) floats or (N,) integer labels.

    Checks shapes, the target's kind (`target_is_labels`), label range and NaN in a dense target;
    each loss checks the values of its prediction itself.
    """
    y = _as_float(y, what, "y")
    t = np.asarray(t)
    if y.ndim not in (1, 2):
        raise ValueError(f"{what}: prediction must have shape (C,) or (N, C), got {y.shape}")
    if y.size == 0:
        raise ValueError(f"{what}: prediction is empty, shape {y.shape} (a mean over it would be 0 / 0)")
    try:
        is_labels = target_is_labels(y.shape, t)
    except ValueError as err:
        raise ValueError(f"{what}: {err}") from None
    num_classes = y.shape[-1]
    y2 = y.reshape(-1, num_classes)  # one sample (C,) becomes a batch of one, (1, C)
    if not is_labels:
        t = _as_float(t, what, "t")
        if np.isnan(t).any():
            raise ValueError(f"{what}: target contains NaN")
        return y2, t.reshape(y2.shape), False
    if t.dtype.kind not in "iu":
        raise TypeError(
            f"{what}: class labels must be integers, got dtype {t.dtype} "
            f"(a target of shape {y.shape} would be read as one-hot)"
        )
    _check_labels(t, num_classes, what)
    return y2, t.reshape(-1), True


def _check_labels(t, num_classes, what):
    # A reduction or two, no mask: cheap at any N. Unsigned labels (MNIST's uint8) cannot be < 0.
    if t.size and ((t.dtype.kind == "i" and t.min() < 0) or t.max() >= num_classes):
        bad = (t < 0) | (t >= num_classes)
        raise ValueError(
            f"{what}: label {t[bad].flat[0]} is out of range for {num_classes} classes "
            f"(labels must be 0..{num_classes - 1})"
        )


def _check_distributions(t2, what):
    """Dense cross-entropy targets: entries >= 0 and every row summing to 1 (one-hot or soft)."""
    if (t2 < 0).any() or (np.abs(t2.sum(axis=1) - 1) > ROW_SUM_TOLERANCE).any():
        raise ValueError(
            f"{what}: each target row must be a probability distribution (entries >= 0 summing to "
            "1, such as a one-hot row)"
        )


def to_one_hot(t, num_classes):
    """Integer labels, shape (...), to one-hot rows, shape (..., num_classes), float64."""
    num_classes = _check_int(num_classes, "to_one_hot: num_classes", 1)
    t = np.asarray(t)
    if t.dtype.kind not in "iu":
        raise TypeError(f"to_one_hot: labels t must be integers, got dtype {t.dtype}")
    _check_labels(t, num_classes, "to_one_hot")
    return (t[..., None] == np.arange(num_classes)).astype(np.float64)


def _weighted(w, v):
    """w * v element-wise, 0 where w == 0: a target of 0 contributes nothing, even against an
    infinite log-probability (0 * inf would be NaN)."""
    return np.multiply(w, v, out=np.zeros(np.broadcast_shapes(w.shape, v.shape), np.result_type(w, v)),
                       where=w != 0)


# ------------------------------------------------------------------------------------------ losses


def mean_squared_error(y, t):
    """Squared error E = 0.5 * sum_k (y_k - t_k)^2 per sample, averaged over a batch.

    y: (C,) or (N, C). t: same shape, or integer labels (scalar or (N,)) read as one-hot.
    Refuses NaN and ±inf in y and t. Returns a Python float.
    """
    y2, t2, is_labels = _batched(y, t, "mean_squared_error")
    if is_labels:
        t2 = to_one_hot(t2, y2.shape[1])
    if not (np.isfinite(y2).all() and np.isfinite(t2).all()):
        raise ValueError("mean_squared_error: y and t must be finite (no NaN, no ±inf)")
    return float(0.5 * np.sum((y2 - t2) ** 2) / y2.shape[0])


def cross_entropy_error(y, t):
    """Cross-entropy E = -sum_k t_k log(y_k + 1e-7) on probabilities, averaged over a batch.

    y: probabilities in [0, 1], (C,) or (N, C). t: one-hot (or soft) rows of the same shape, or
    integer labels (scalar or (N,)). The 1e-7 keeps log() finite when a probability is exactly 0 (at
    most -log(1e-7) = 16.1). Returns a Python float.
    """
    y2, t2, is_labels = _batched(y, t, "cross_entropy_error")
    if not ((y2 >= 0) & (y2 <= 1)).all():  # also False for NaN
        raise ValueError("cross_entropy_error: probabilities y must lie in [0, 1] (not NaN)")
    n = y2.shape[0]
    if is_labels:
        return float(-np.sum(np.log(y2[np.arange(n), t2] + CROSS_ENTROPY_DELTA)) / n)
    _check_distributions(t2, "cross_entropy_error")
    return float(-np.sum(t2 * np.log(y2 + CROSS_ENTROPY_DELTA)) / n)


def softmax_cross_entropy(logits, t):
    """Cross-entropy of softmax(logits), from the logits: E = -sum_k t_k log_softmax(a)_k.

    log_softmax needs no 1e-7 guard and stays finite for logits of any size, where
    cross_entropy_error(softmax(a), t) saturates at 16.1 once softmax underflows to 0.
    logits: (C,) or (N, C). t: one-hot (or soft) rows of the same shape or integer labels.
    Returns a Python float (+inf if a target class has a score of -inf).
    """
    a2, t2, is_labels = _batched(logits, t, "softmax_cross_entropy")
    logp = _log_softmax(a2, "softmax_cross_entropy: logits")
    n = a2.shape[0]
    if is_labels:
        return float(-logp[np.arange(n), t2].sum() / n)
    _check_distributions(t2, "softmax_cross_entropy")
    return float(-_weighted(t2, logp).sum() / n)
