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

The rules are enforced by common._checks: each function below makes one call into it on what it was
given, then computes its formula (a private `_name` helper when layers share the formula).
"""

import numpy as np

from common import _checks as check
from common._checks import target_is_labels  # noqa: F401 (public: the rule every loss reads targets by)

# The primer's guard against log(0) in the probability form of cross-entropy.
CROSS_ENTROPY_DELTA = 1e-7


# ---------------------------------------------------------------- activations, shape (...) -> (...)


def step_function(x):
    """Step h(x) = 1 if x > 0 else 0, element-wise. Shape (...) -> (...), float. Refuses NaN."""
    x = check.real_array_without_nan(x, "step_function: x")  # NaN > 0 is False: a silent 0
    return (x > 0).astype(x.dtype)


def sigmoid(x):
    """Sigmoid h(x) = 1 / (1 + exp(-x)), element-wise. Shape (...) -> (...)."""
    return _sigmoid(check.real_array(x, "sigmoid: x"))


def _sigmoid(x):
    """The sigmoid of a float array, without overflow.

    exp(-x) overflows for x < -709 (float64). With e = exp(-|x|), which never overflows, the sigmoid
    is 1 / (1 + e) for x >= 0 and e / (1 + e) for x < 0. Since e <= 1, the numerator of both is
    max(e, [x >= 0]): one division serves both signs, which is faster than choosing between two
    quotients with np.where (bench/RESULTS.md) and gives the same bits.
    """
    e = np.exp(-np.abs(x))
    numerator = np.maximum(e, x >= 0, out=np.empty_like(e))  # out=: an array even for a 0-d x
    numerator /= 1 + e  # in place: the numerator becomes the sigmoid
    return numerator


def sigmoid_grad(x):
    """Derivative of the sigmoid, h'(x) = h(x)(1 - h(x)). Shape (...) -> (...)."""
    y = _sigmoid(check.real_array(x, "sigmoid_grad: x"))
    return y * (1 - y)


def relu(x):
    """ReLU h(x) = max(0, x), element-wise. Shape (...) -> (...)."""
    return np.maximum(check.real_array(x, "relu: x"), 0)


def relu_grad(x):
    """Derivative of ReLU: 1 where x > 0, else 0 (0 at x = 0, exactly as the `Relu` layer).

    Refuses NaN, which would become a silent 0.
    """
    x = check.real_array_without_nan(x, "relu_grad: x")
    return (x > 0).astype(x.dtype)


def tanh(x):
    """Hyperbolic tangent, element-wise. Shape (...) -> (...)."""
    return np.tanh(check.real_array(x, "tanh: x"))


def tanh_grad(x):
    """Derivative of tanh: 1 - tanh(x)^2. Shape (...) -> (...)."""
    y = np.tanh(check.real_array(x, "tanh_grad: x"))
    return 1 - y * y


def identity(x):
    """Identity h(x) = x, the output activation for regression. Shape (...) -> (...)."""
    return check.real_array(x, "identity: x")


# ---------------------------------------------------------------------------------------- softmax


def softmax(a):
    """Stable softmax over the last axis: y_k = exp(a_k - max a) / sum_i exp(a_i - max a).

    Subtracting the maximum changes nothing mathematically (the constant cancels) but keeps every
    exp() argument <= 0, so it can never overflow.

    Shape (..., C) -> (..., C); each row along the last axis sums to 1.
    """
    a, a_max = check.scores(a, "softmax: a")
    e = np.exp(a - a_max)
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(a):
    """log(softmax(a)) over the last axis, computed as (a - max) - log(sum(exp(a - max))).

    Shape (..., C) -> (..., C). Finite for all finite inputs, even where softmax underflows to 0.
    """
    return _log_softmax(*check.scores(a, "log_softmax: a"))


def _log_softmax(a, a_max):
    shifted = a - a_max
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


# ------------------------------------------------------------------------------------------ losses


def to_one_hot(t, num_classes):
    """Integer labels, shape (...), to one-hot rows, shape (..., num_classes), float64."""
    return _one_hot(*check.labels_and_classes(t, num_classes, "to_one_hot"))


def _one_hot(t, num_classes):
    return (t[..., None] == np.arange(num_classes)).astype(np.float64)


def mean_squared_error(y, t):
    """Squared error E = 0.5 * sum_k (y_k - t_k)^2 per sample, averaged over a batch.

    y: (C,) or (N, C). t: same shape, or integer labels (scalar or (N,)) read as one-hot.
    Refuses NaN and ±inf in y and t. Returns a Python float.
    """
    return _mean_squared_error(*check.output_and_target(y, t, "mean_squared_error"))


def _mean_squared_error(y, t, is_labels):
    y = y.reshape(-1, y.shape[-1])  # one sample (C,) as a batch of one
    t = _one_hot(t.reshape(-1), y.shape[1]) if is_labels else t.reshape(y.shape)
    return float(0.5 * np.sum((y - t) ** 2) / y.shape[0])


def cross_entropy_error(y, t):
    """Cross-entropy E = -sum_k t_k log(y_k + 1e-7) on probabilities, averaged over a batch.

    y: probabilities in [0, 1], (C,) or (N, C). t: one-hot (or soft) rows of the same shape, or
    integer labels (scalar or (N,)). The 1e-7 keeps log() finite when a probability is exactly 0 (at
    most -log(1e-7) = 16.1). Returns a Python float.
    """
    y, t, is_labels = check.probabilities_and_target(y, t, "cross_entropy_error")
    n = y.shape[0]
    if is_labels:
        return float(-np.sum(np.log(y[np.arange(n), t] + CROSS_ENTROPY_DELTA)) / n)
    return float(-np.sum(t * np.log(y + CROSS_ENTROPY_DELTA)) / n)


def softmax_cross_entropy(logits, t):
    """Cross-entropy of softmax(logits), from the logits: E = -sum_k t_k log_softmax(a)_k.

    log_softmax needs no 1e-7 guard and stays finite for logits of any size, where
    cross_entropy_error(softmax(a), t) saturates at 16.1 once softmax underflows to 0.
    logits: (C,) or (N, C). t: one-hot (or soft) rows of the same shape or integer labels.
    Returns a Python float (+inf if a target class has a score of -inf).
    """
    a, t, is_labels, a_max = check.scores_and_target(logits, t, "softmax_cross_entropy")
    return _cross_entropy(_log_softmax(a, a_max), t, is_labels)


def _cross_entropy(logp, t, is_labels):
    """-(1/N) sum_n sum_k t_nk logp_nk, from log-probabilities (C,) or (N, C); t labels or dense rows."""
    logp = logp.reshape(-1, logp.shape[-1])
    n = logp.shape[0]
    if is_labels:
        return float(-logp[np.arange(n), t.reshape(-1)].sum() / n)
    return float(-_weighted(t.reshape(logp.shape), logp).sum() / n)


def _weighted(w, v):
    """w * v element-wise, 0 where w == 0: a target of 0 contributes nothing, even against an
    infinite log-probability (0 * inf would be NaN)."""
    return np.multiply(w, v, out=np.zeros(np.broadcast_shapes(w.shape, v.shape), np.result_type(w, v)),
                       where=w != 0)
