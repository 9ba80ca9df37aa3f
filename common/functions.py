"""Activation functions, softmax and loss functions (primer chapters 3 and 4).

Conventions used throughout `common`:

* Inputs may be any array-like; floating inputs keep their dtype, everything else becomes float64.
* A 1-D array is one sample; an array of shape (N, ...) is a batch of N samples along axis 0.
* Targets ``t`` are either one-hot / full targets with the same shape as the prediction, or integer
  class labels with the prediction's shape minus its last axis (a scalar label for one sample).
* Bad input raises ``ValueError`` (or ``TypeError`` for a wrong kind of array) that names the problem.
"""

import numpy as np

# The primer's guard against log(0) in the probability form of cross-entropy.
CROSS_ENTROPY_DELTA = 1e-7


def _as_float(x):
    """x as a float ndarray: float16/32/64 keep their dtype, ints and bools become float64."""
    x = np.asarray(x)
    if x.dtype.kind == "f":
        return x
    if x.dtype.kind in "biu":
        return x.astype(np.float64)
    raise TypeError(f"expected a real-valued array, got dtype {x.dtype}")


def _reject_nan(x, what):
    if np.isnan(x).any():
        raise ValueError(f"{what} contains NaN")


# ---------------------------------------------------------------- activations, shape (...) -> (...)


def step_function(x):
    """Step h(x) = 1 if x > 0 else 0, element-wise. Shape (...) -> (...), float."""
    x = _as_float(x)
    return (x > 0).astype(x.dtype)


def sigmoid(x):
    """Sigmoid h(x) = 1 / (1 + exp(-x)), element-wise. Shape (...) -> (...).

    exp(-x) overflows for x < -709 (float64) and numpy warns. exp(-|x|) never overflows, so each sign
    uses its own algebraically equal form: 1 / (1 + e^-x) for x >= 0 and e^x / (1 + e^x) for x < 0.
    """
    x = _as_float(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(x):
    """Derivative of the sigmoid, h'(x) = h(x)(1 - h(x)). Shape (...) -> (...)."""
    y = sigmoid(x)
    return y * (1 - y)


def relu(x):
    """ReLU h(x) = max(0, x), element-wise. Shape (...) -> (...)."""
    x = _as_float(x)
    return np.maximum(x, 0)


def relu_grad(x):
    """Derivative of ReLU: 1 where x > 0, else 0 (0 at x = 0, exactly as the `Relu` layer)."""
    x = _as_float(x)
    return (x > 0).astype(x.dtype)


def tanh(x):
    """Hyperbolic tangent, element-wise. Shape (...) -> (...)."""
    return np.tanh(_as_float(x))


def tanh_grad(x):
    """Derivative of tanh: 1 - tanh(x)^2. Shape (...) -> (...)."""
    y = tanh(x)
    return 1 - y * y


def identity(x):
    """Identity h(x) = x, the output activation for regression. Shape (...) -> (...)."""
    return _as_float(x)


# ---------------------------------------------------------------------------------------- softmax


def _check_scores(a, what):
    a = _as_float(a)
    if a.ndim == 0 or a.shape[-1] == 0:
        raise ValueError(f"{what} needs at least one class along the last axis, got shape {a.shape}")
    _reject_nan(a, what)
    if np.isposinf(a).any():
        raise ValueError(f"{what} contains +inf")
    return a


def softmax(a):
    """Stable softmax over the last axis: y_k = exp(a_k - max a) / sum_i exp(a_i - max a).

    Subtracting the maximum changes nothing mathematically (eq. 1.6 of the primer's notes: the
    constant cancels) but keeps every exp() argument <= 0, so it can never overflow.

    Shape (..., C) -> (..., C); each row along the last axis sums to 1.
    """
    a = _check_scores(a, "softmax input")
    shifted = a - a.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(a):
    """log(softmax(a)) over the last axis, computed as (a - max) - log(sum(exp(a - max))).

    Shape (..., C) -> (..., C). Finite for all finite inputs, even where softmax underflows to 0.
    """
    a = _check_scores(a, "log_softmax input")
    shifted = a - a.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


# ----------------------------------------------------------------------------------------- targets


def _batched(y, t, what):
    """Return (y2, t2, is_labels): y as (N, C) and t as (N, C) or (N,) integer labels."""
    y = _as_float(y)
    t = np.asarray(t)
    if y.ndim not in (1, 2):
        raise ValueError(f"{what}: prediction must have shape (C,) or (N, C), got {y.shape}")
    if y.shape[-1] == 0 or (y.ndim == 2 and y.shape[0] == 0):
        raise ValueError(f"{what}: prediction is empty, shape {y.shape}")
    _reject_nan(y, f"{what}: prediction")
    num_classes = y.shape[-1]
    y2 = y.reshape(-1, num_classes)  # one sample (C,) becomes a batch of one, (1, C)

    if t.shape in (y.shape, y2.shape):
        t = _as_float(t)
        _reject_nan(t, f"{what}: target")
        return y2, t.reshape(y2.shape), False

    if t.shape in (y.shape[:-1], y2.shape[:-1]):
        if t.dtype.kind not in "iu":
            raise TypeError(
                f"{what}: class labels must be integers, got dtype {t.dtype} "
                f"(a target of shape {y.shape} would be read as one-hot)"
            )
        bad = (t < 0) | (t >= num_classes)
        if bad.any():
            raise ValueError(
                f"{what}: label {t[bad].flat[0]} is out of range for {num_classes} classes "
                f"(labels must be 0..{num_classes - 1})"
            )
        return y2, t.reshape(-1), True

    if t.ndim == y.ndim:
        raise ValueError(
            f"{what}: one-hot target of shape {t.shape} does not match prediction of shape {y.shape}"
        )
    raise ValueError(
        f"{what}: target shape {t.shape} fits neither one-hot {y.shape} nor labels {y.shape[:-1]}"
    )


def to_one_hot(t, num_classes):
    """Integer labels, shape (...), to one-hot rows, shape (..., num_classes), float64."""
    t = np.asarray(t)
    if t.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers, got dtype {t.dtype}")
    if ((t < 0) | (t >= num_classes)).any():
        raise ValueError(f"labels must lie in 0..{num_classes - 1}")
    return (t[..., None] == np.arange(num_classes)).astype(np.float64)


# ------------------------------------------------------------------------------------------ losses


def mean_squared_error(y, t):
    """Squared error E = 0.5 * sum_k (y_k - t_k)^2 per sample, averaged over a batch.

    y: (C,) or (N, C). t: same shape, or integer labels (scalar or (N,)) read as one-hot.
    Returns a Python float.
    """
    y2, t2, is_labels = _batched(y, t, "mean_squared_error")
    if is_labels:
        t2 = to_one_hot(t2, y2.shape[1])
    return float(0.5 * np.sum((y2 - t2) ** 2) / y2.shape[0])


def cross_entropy_error(y, t):
    """Cross-entropy E = -sum_k t_k log(y_k + 1e-7) on probabilities, averaged over a batch.

    y: probabilities, (C,) or (N, C). t: one-hot of the same shape, or integer labels (scalar or
    (N,)). The 1e-7 keeps log() finite when a probability is exactly 0 (at most -log(1e-7) = 16.1).
    Returns a Python float.
    """
    y2, t2, is_labels = _batched(y, t, "cross_entropy_error")
    if (y2 < 0).any():
        raise ValueError("cross_entropy_error: probabilities must be >= 0")
    n = y2.shape[0]
    if is_labels:
        return float(-np.sum(np.log(y2[np.arange(n), t2] + CROSS_ENTROPY_DELTA)) / n)
    return float(-np.sum(t2 * np.log(y2 + CROSS_ENTROPY_DELTA)) / n)


def softmax_cross_entropy(logits, t):
    """Cross-entropy of softmax(logits), from the logits: E = -sum_k t_k log_softmax(a)_k.

    log_softmax needs no 1e-7 guard and stays finite for logits of any size, where
    cross_entropy_error(softmax(a), t) saturates at 16.1 once softmax underflows to 0.
    logits: (C,) or (N, C). t: one-hot of the same shape or integer labels. Returns a Python float.
    """
    a2, t2, is_labels = _batched(logits, t, "softmax_cross_entropy")
    logp = log_softmax(a2)
    n = a2.shape[0]
    if is_labels:
        return float(-np.sum(logp[np.arange(n), t2]) / n)
    # Skip zero targets so a class with log-probability -inf contributes 0, not 0 * -inf = NaN.
    return float(-np.sum(np.where(t2 != 0, t2 * logp, 0.0)) / n)
