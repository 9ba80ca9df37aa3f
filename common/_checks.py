"""The checks of `common` and `companion`, in one place (private: `from common import _checks as check`).

Each public function or method calls one of these once, at its boundary, on what it was given;
what follows in its body is the formula. Internal calls do not check again.

The contract: the wrong kind of value (a string, None, a complex number, a float where an integer
belongs) raises TypeError; a wrong value or shape raises ValueError. `what` names the function and
the parameter, as "softmax: a" or "Affine.forward: x", and begins every message. Messages are
formatted only when there is an error, so a check costs a few attribute look-ups when all is well.
"""

import math
import numbers
import warnings

import numpy as np

# How far a dense target row's sum may be from 1 (rounding in one-hot or soft rows built by a user).
ROW_SUM_TOLERANCE = 1e-6

# ------------------------------------------------------------------------------ numbers and kinds


def real_number(value, what, minimum=None, strict=False):
    """value as a float: a real number (not a bool, not a string), finite, and >= or > minimum."""
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


def positive(value, what):
    """A finite real number > 0 (a learning rate, a step h, a width)."""
    return real_number(value, what, 0, strict=True)


def fraction(value, what):
    """A real number in [0, 1) (a decay rate, a dropout ratio, a momentum)."""
    value = real_number(value, what, 0)
    if not value < 1:
        raise ValueError(f"{what} must lie in [0, 1), got {value!r}")
    return value


def integer(value, what, minimum):
    """value as an int: an integer (not a bool, not 3.0 or '3'), >= minimum."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{what} must be an integer, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{what} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def function(fn, what):
    """fn is callable."""
    if not callable(fn):
        raise TypeError(f"{what} must be callable, got {type(fn).__name__} {fn!r}")
    return fn


def rng(seed, what):
    """np.random.default_rng(seed) for a seed that is None, an integer >= 0 or a numpy Generator."""
    if seed is not None and not isinstance(seed, np.random.Generator | np.random.SeedSequence):
        integer(seed, what, 0)
    return np.random.default_rng(seed)


def one_of(value, options, what):
    """value is one of `options` (a name such as an activation's): TypeError for a non-string."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be one of {sorted(options)}, got {type(value).__name__} {value!r}")
    if value not in options:
        raise ValueError(f"{what} must be one of {sorted(options)}, got {value!r}")
    return value


def instance(obj, cls, what):
    """obj is a `cls` (TypeError naming the class otherwise)."""
    if not isinstance(obj, cls):
        raise TypeError(f"{what} must be a {cls.__module__}.{cls.__name__}, got {type(obj).__name__}")
    return obj


def has(obj, attributes, what, example):
    """obj has every attribute named (a network, an optimizer): TypeError naming the first missing."""
    for name in attributes:
        if not hasattr(obj, name):
            raise TypeError(f"{what} must be {example} (it needs .{name}), got {type(obj).__name__}")
    return obj


# ----------------------------------------------------------------------------------------- arrays


def real_values(what, **values):
    """Each value a real number or an array-like of real numbers (bools count as 0 and 1); unchanged."""
    for name, value in values.items():
        if type(value) not in (int, float):  # the common case: nothing to look at
            real_array(value, f"{what}: {name}")


def real_array(x, what, part=None):
    """x as a float ndarray: float16/32/64 keep their dtype, ints and bools become float64.

    The message names `what`, or "what: part" (joined only when there is an error).
    """
    x = np.asarray(x)
    if x.dtype.kind == "f":
        return x
    if x.dtype.kind in "biu":
        return x.astype(np.float64)
    raise TypeError(f"{what if part is None else f'{what}: {part}'} must be an array of real numbers, "
                    f"got dtype {x.dtype}")


def real_array_without_nan(x, what):
    """real_array, refusing NaN (for a function whose 0/1 output would hide it)."""
    x = real_array(x, what)
    if np.isnan(x).any():
        raise ValueError(f"{what} contains NaN")
    return x


def finite_array(x, what):
    """real_array in float64, refusing NaN and ±inf."""
    x = real_array(x, what).astype(np.float64, copy=False)
    if not np.isfinite(x).all():
        raise ValueError(f"{what} contains NaN" if np.isnan(x).any() else f"{what} contains inf")
    return x


def finite_number(value, what, minimum=None, strict=False):
    """A single real number (a Python or numpy scalar, or a 0-d array), finite, as a float; >= or >
    minimum if given."""
    arr = np.asarray(value)
    if arr.ndim != 0 or arr.dtype.kind not in "iuf":
        raise TypeError(f"{what} must be a single real number, got {type(value).__name__} {value!r}")
    return real_number(float(arr), what, minimum, strict)


def parameter(array, what):
    """A parameter held by reference (Affine's W, Batch Normalization's gamma): a float ndarray."""
    if not (isinstance(array, np.ndarray) and array.dtype.kind == "f"):
        dtype = f" of dtype {array.dtype}" if isinstance(array, np.ndarray) else ""
        raise TypeError(f"{what} must be a float numpy array (held by reference), "
                        f"got {type(array).__name__}{dtype}")
    return array


def curve(x, what):
    """x as a float64 1-d array of at least 2 real numbers."""
    x = real_array(x, what).astype(np.float64, copy=False)
    if x.ndim != 1 or len(x) < 2:
        raise ValueError(f"{what} must be a 1-d sequence of at least 2 values, got shape {x.shape}")
    return x


def pair(data, what):
    """data as (x, t) arrays with as many targets as inputs (at least one)."""
    if not (isinstance(data, tuple | list) and len(data) == 2):
        raise TypeError(f"{what} must be an (x, t) pair of arrays, got {type(data).__name__}")
    x, t = np.asarray(data[0]), np.asarray(data[1])
    if x.ndim == 0 or t.ndim == 0:
        raise ValueError(f"{what}: x and t must be arrays with one row per sample")
    if len(x) != len(t):
        raise ValueError(f"{what}: {len(x)} inputs but {len(t)} targets")
    if len(x) == 0:
        raise ValueError(f"{what} is empty")
    return x, t


# ------------------------------------------------------------------- numerical differentiation


def numerical_diff_args(f, x, h, method, methods):
    """f callable, x (real numbers), h > 0, method one of `methods`."""
    function(f, "numerical_diff: f")
    real_array(x, "numerical_diff: x")
    positive(h, "numerical_diff: step h")
    one_of(method, methods, "numerical_diff: method")


def numerical_gradient_args(f, x, h):
    """f callable; x a float ndarray without NaN (it is perturbed in place); h > 0.

    A float32 or float16 x is allowed with a warning: its rounding swamps a difference over h.
    """
    function(f, "numerical_gradient: f")
    if not isinstance(x, np.ndarray):
        raise TypeError(f"numerical_gradient: x must be a numpy float64 array (it is perturbed in place), "
                        f"got {type(x).__name__}")
    if x.dtype.kind in "biu":
        raise TypeError(f"numerical_gradient needs a float array, got dtype {x.dtype}: x + h would be "
                        "truncated back to an integer, giving garbage; pass x.astype(np.float64)")
    if x.dtype.kind != "f":
        raise TypeError(f"numerical_gradient needs a float array, got dtype {x.dtype}")
    if x.dtype != np.float64:
        warnings.warn(f"numerical_gradient in {x.dtype}: rounding in f is about as large as the difference "
                      "over h = 1e-4, so the result can be wrong by O(1); use float64 for gradient checks",
                      RuntimeWarning, stacklevel=3)
    positive(h, "numerical_gradient: step h")
    if np.isnan(x).any():
        raise ValueError("numerical_gradient: x contains NaN")


def f_value(value, idx):
    """What f returned at x with x[idx] moved, as a float: one finite number."""
    value = np.asarray(value)
    if value.size != 1:
        raise ValueError(f"numerical_gradient: f must return a scalar, got an array of shape {value.shape}")
    value = float(value.reshape(()))
    if not math.isfinite(value):
        raise ValueError(f"numerical_gradient: f returned {value} with x[{', '.join(map(str, idx))}] "
                         "moved by ±h; its difference quotient is not a number")
    return value


def two_finite_arrays(a, b, what):
    """a and b as float64 arrays of one shape, finite."""
    a = real_array(a, f"{what}: a").astype(np.float64, copy=False)
    b = real_array(b, f"{what}: b").astype(np.float64, copy=False)
    if a.shape != b.shape:
        raise ValueError(f"{what}: shapes differ, {a.shape} vs {b.shape}")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError(f"{what}: a and b must be finite (no NaN, no ±inf)")
    return a, b


def gradient_descent_args(f, init_x, lr, step_num):
    """(x, step_num): init_x as finite float64 (maybe init_x itself), step_num an integer >= 0."""
    function(f, "gradient_descent: f")
    positive(lr, "gradient_descent: lr (the learning rate)")
    step_num = integer(step_num, "gradient_descent: step_num", 0)
    x = real_array(init_x, "gradient_descent: init_x").astype(np.float64, copy=False)
    if not np.isfinite(x).all():
        raise ValueError("gradient_descent: init_x must be finite")
    return x, step_num


# ----------------------------------------------------------------------- scores and targets


def scores(a, what):
    """a as floats and its maxima along the last axis (keepdims), refusing scores with no softmax.

    The maximum is what the softmax shifts by anyway; checking it alone finds NaN anywhere in a row
    (the maximum of a row with NaN is NaN), +inf, and rows that are all -inf.
    """
    a = real_array(a, what)
    if a.ndim == 0 or a.size == 0:
        raise ValueError(f"{what} needs at least one score along the last axis, got shape {a.shape}")
    a_max = a.max(axis=-1, keepdims=True)
    if not np.isfinite(a_max).all():
        _refuse_maxima(a_max, what)
    return a, a_max


def _refuse_maxima(a_max, what):
    if np.isnan(a_max).any():
        raise ValueError(f"{what} contains NaN")
    if (a_max == np.inf).any():
        raise ValueError(f"{what} contains +inf: its softmax is not defined")
    raise ValueError(f"{what} has a row of only -inf scores: no probabilities have those scores")


def scores_and_target(x, t, what, diverged=None):
    """(x, t, is_labels, x_max) for a softmax cross-entropy: x scores (C,) or (N, C) as floats, t
    checked as by prediction_and_target and shaped as x (dense) or as x without its last axis
    (labels), x_max the row maxima of x (keepdims), refused if not finite as by `scores`.

    With `diverged` (a message), scores holding NaN or +inf warn it (RuntimeWarning) and give
    x_max None instead of raising: a diverged network, which SoftmaxWithLoss reports and runs on.
    """
    x, t, is_labels = _read(x, t, what)
    t = t.reshape(x.shape[:-1] if is_labels else x.shape)
    if not is_labels:
        distributions(t.reshape(-1, x.shape[-1]), what)
    x_max = x.max(axis=-1, keepdims=True)
    if not np.isfinite(x_max).all():
        if diverged is not None and (np.isnan(x_max) | (x_max == np.inf)).any():
            warnings.warn(diverged, RuntimeWarning, stacklevel=3)
            return x, t, is_labels, None
        _refuse_maxima(x_max, f"{what}: x")
    return x, t, is_labels, x_max


def output_and_target(y, t, what):
    """(y, t, is_labels) for a squared error: y (C,) or (N, C) and t finite, t shaped as y (dense) or
    as y without its last axis (integer labels in 0..C-1)."""
    y, t, is_labels = _read(y, t, what)
    t = t.reshape(y.shape[:-1] if is_labels else y.shape)
    if not (np.isfinite(y).all() and (is_labels or np.isfinite(t).all())):
        raise ValueError(f"{what}: y and t must be finite (no NaN, no ±inf)")
    return y, t, is_labels


def binary_scores_and_target(x, t, what):
    """(x, t) for a sigmoid cross-entropy: x scores without NaN, not empty; t in [0, 1], x's shape."""
    x = real_array(x, f"{what}: x")
    t = real_array(t, f"{what}: t")
    if t.shape != x.shape:
        raise ValueError(f"{what}: target shape {t.shape} != score shape {x.shape}")
    if x.size == 0:
        raise ValueError(f"{what}: x is empty, shape {x.shape} (its mean loss would be 0 / 0)")
    if np.isnan(x).any():
        raise ValueError(f"{what}: x contains NaN")
    if not ((t >= 0) & (t <= 1)).all():  # also False for NaN
        raise ValueError(f"{what}: targets t must lie in [0, 1]")
    return x, t


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


def prediction_and_target(y, t, what):
    """(y2, t2, is_labels): y as (N, C) floats, t as (N, C) floats or (N,) integer labels in 0..C-1.

    Checks shapes, the target's kind (`target_is_labels`), the labels' range and NaN in a dense
    target; the values of the prediction are each loss's own business.
    """
    y, t, is_labels = _read(y, t, what)
    y2 = y.reshape(-1, y.shape[-1])  # one sample (C,) becomes a batch of one, (1, C)
    return y2, t.reshape(-1) if is_labels else t.reshape(y2.shape), is_labels


def _read(y, t, what):
    """y as floats of shape (C,) or (N, C), not empty; t as checked dense floats or integer labels."""
    y = real_array(y, what, "y")
    t = np.asarray(t)
    if y.ndim not in (1, 2):
        raise ValueError(f"{what}: prediction must have shape (C,) or (N, C), got {y.shape}")
    if y.size == 0:
        raise ValueError(f"{what}: prediction is empty, shape {y.shape} (a mean over it would be 0 / 0)")
    try:
        is_labels = target_is_labels(y.shape, t)
    except ValueError as err:
        raise ValueError(f"{what}: {err}") from None
    if not is_labels:
        t = real_array(t, what, "t")
        if np.isnan(t).any():
            raise ValueError(f"{what}: target contains NaN")
        return y, t, False
    if t.dtype.kind not in "iu":
        raise TypeError(f"{what}: class labels must be integers, got dtype {t.dtype} "
                        f"(a target of shape {y.shape} would be read as one-hot)")
    labels(t, y.shape[-1], what)
    return y, t, True


def labels(t, num_classes, what):
    """Integer labels t lie in 0..num_classes-1: a reduction or two, no mask (cheap at any N)."""
    # Unsigned labels (MNIST's uint8) cannot be < 0.
    if t.size and ((t.dtype.kind == "i" and t.min() < 0) or t.max() >= num_classes):
        bad = (t < 0) | (t >= num_classes)
        raise ValueError(f"{what}: label {t[bad].flat[0]} is out of range for {num_classes} classes "
                         f"(labels must be 0..{num_classes - 1})")
    return t


def labels_and_classes(t, num_classes, what):
    """(t, num_classes): integer labels (TypeError for floats) in 0..num_classes-1, num_classes >= 1."""
    num_classes = integer(num_classes, f"{what}: num_classes", 1)
    t = np.asarray(t)
    if t.dtype.kind not in "iu":
        raise TypeError(f"{what}: labels t must be integers, got dtype {t.dtype}")
    return labels(t, num_classes, what), num_classes


def probabilities_and_target(y, t, what):
    """prediction_and_target for probabilities y: in [0, 1], and dense targets probability rows."""
    y, t, is_labels = prediction_and_target(y, t, what)
    if not ((y >= 0) & (y <= 1)).all():  # also False for NaN
        raise ValueError(f"{what}: probabilities y must lie in [0, 1] (not NaN)")
    if not is_labels:
        distributions(t, what)
    return y, t, is_labels


def distributions(t2, what):
    """Dense cross-entropy targets: entries >= 0 and every row summing to 1 (one-hot or soft)."""
    if (t2 < 0).any() or (np.abs(t2.sum(axis=1) - 1) > ROW_SUM_TOLERANCE).any():
        raise ValueError(f"{what}: each target row must be a probability distribution (entries >= 0 "
                         "summing to 1, such as a one-hot row)")


# ---------------------------------------------------------------------------------- layers


def dout(layer, dout, out_shape, needs=None):
    """dout of a layer's backward: floats of the forward output's shape.

    out_shape None: no forward yet (RuntimeError), or none of the kind `needs` names.
    """
    if out_shape is None:
        raise RuntimeError(f"{type(layer).__name__}.backward needs {needs} first" if needs else
                           f"{type(layer).__name__}.backward called before forward: there is no output to "
                           "differentiate")
    dout = np.asarray(dout)
    if dout.dtype.kind != "f":
        dout = real_array(dout, f"{type(layer).__name__}.backward: dout")
    if dout.shape != out_shape:
        raise ValueError(f"{type(layer).__name__}.backward: dout has shape {dout.shape}, "
                         f"the forward output had shape {out_shape}")
    return dout


def loss_dout(layer, dout):
    """dout of a loss layer's backward: a finite real number (the loss is one number); 1 by default."""
    if layer.y is None:
        raise RuntimeError(f"{type(layer).__name__}.backward called before forward: there is no loss yet")
    if dout.__class__ is int:  # the book's dout = 1
        return dout
    if isinstance(dout, np.ndarray):
        if dout.ndim != 0:
            raise ValueError(f"{type(layer).__name__}.backward: dout must be a number (the loss is one), "
                             f"got shape {dout.shape}")
        dout = dout[()]
    real_number(dout, f"{type(layer).__name__}.backward: dout")
    return dout


def affine_input(x, W, b, what):
    """x for X·W + b: real numbers, one sample (D,) or a batch (N, ...) of N >= 1 samples of D values.

    W and b are checked again (as by affine_params): a network may have rebound them since __init__.
    """
    affine_params(W, b, "Affine")
    x = np.asarray(x)
    if x.dtype.kind != "f":
        x = real_array(x, f"{what}: x")
    if x.ndim == 0 or (x.ndim > 1 and x.shape[0] == 0):
        raise ValueError(f"{what}: x must be a sample (D,) or a batch (N, ...) with N >= 1, "
                         f"got shape {x.shape}")
    if x.size != (1 if x.ndim == 1 else x.shape[0]) * W.shape[0]:
        raise ValueError(f"{what}: input of shape {x.shape} does not fit W of shape {W.shape} "
                         f"(each sample must have {W.shape[0]} values)")
    return x


def affine_params(W, b, what):
    """W (D, M) and b (M,), float arrays held by reference."""
    if W.__class__ is np.ndarray and b.__class__ is np.ndarray and W.dtype.kind == b.dtype.kind == "f" \
            and W.ndim == 2 and b.shape == W.shape[1:]:  # all is well: one condition (forward runs it)
        return W, b
    parameter(W, f"{what}: W")
    parameter(b, f"{what}: b")
    if W.ndim != 2 or b.shape != W.shape[1:]:
        raise ValueError(f"{what}: W must be (D, M) and b (M,), got W {W.shape} and b {b.shape}")
    return W, b


def batch_of_features(x, gamma, beta, what):
    """x: a batch (N, ...) of N >= 1 samples with gamma's D features each (gamma and beta (D,))."""
    x = real_array(x, f"{what}: x")
    if x.ndim < 2 or x.shape[0] == 0:
        raise ValueError(f"{what}: x must be a batch (N, D) or (N, C, H, W) with N >= 1, got shape {x.shape}")
    D = x.size // x.shape[0]
    if gamma.shape != (D,) or beta.shape != (D,):
        raise ValueError(f"{what}: input of shape {x.shape} has {D} features per sample, "
                         f"gamma {gamma.shape} and beta {beta.shape} need ({D},)")
    return x


# --------------------------------------------------------------------------------- networks


# ------------------------------------------------------------------------- images and windows


def images(layer, x, channels=None):
    """x as a float batch of images (N, C, H, W), N >= 1; C must equal `channels` if given."""
    x = real_array(x, f"{layer}.forward: x")
    if x.ndim != 4 or 0 in x.shape:
        raise ValueError(f"{layer}.forward: x must be a non-empty batch of images (N, C, H, W), got shape "
                         f"{x.shape}")
    if channels is not None and x.shape[1] != channels:
        raise ValueError(f"{layer}.forward: x has {x.shape[1]} channels, the filters W have {channels}")
    return x


def conv_params(W, b, what):
    """(W, b): filters W (FN, C, FH, FW) and biases b (FN,), float arrays held by reference; b may be
    one number, the bias of every filter (then returned as an (FN,) array)."""
    if W.__class__ is np.ndarray and b.__class__ is np.ndarray and W.dtype.kind == b.dtype.kind == "f" \
            and W.ndim == 4 and b.shape == W.shape[:1] and 0 not in W.shape:  # all is well
        return W, b
    parameter(W, f"{what}: W")
    if isinstance(b, numbers.Real) and not isinstance(b, bool | np.bool_):
        b = np.full(W.shape[:1], float(b))  # one bias for every filter
    if not (isinstance(b, np.ndarray) and b.dtype.kind == "f"):
        raise TypeError(f"{what}: b must be a float numpy array (held by reference) or a number, "
                        f"got {type(b).__name__}")
    if W.ndim != 4 or 0 in W.shape or b.shape != W.shape[:1]:
        raise ValueError(f"{what}: W must be (FN, C, FH, FW) and b (FN,), got W {W.shape} and b {b.shape}")
    return W, b


def output_size(size, filter_size, stride, pad, what, size_name, filter_name):
    """(size + 2*pad - filter_size) / stride + 1 as an int; ValueError naming `what` and the parameter."""
    span = size + 2 * pad - filter_size
    if span < 0:
        raise ValueError(f"{what}: {filter_name} {filter_size} is larger than {size_name} {size} "
                         f"plus twice pad {pad}")
    if span % stride:
        raise ValueError(f"{what}: stride {stride} does not fit: ({size_name} + 2*pad - {filter_name}) "
                         f"/ stride + 1 = ({size} + {2 * pad} - {filter_size}) / {stride} + 1 = "
                         f"{span / stride + 1:g} is not a whole number")
    return span // stride + 1


def window_sizes(shape, filter_h, filter_w, stride, pad, what, names=("filter_h", "filter_w")):
    """(out_h, out_w) for an (N, C, H, W) shape, after checking the four sizes and the two formulas.

    Errors name `what` (the caller) and the window's sizes by `names`."""
    for name, value, minimum in ((names[0], filter_h, 1), (names[1], filter_w, 1), ("stride", stride, 1),
                                 ("pad", pad, 0)):
        integer(value, f"{what}: {name}", minimum)
    if len(shape) != 4 or 0 in shape:
        raise ValueError(f"{what}: input must be a non-empty batch of images (N, C, H, W), got shape {shape}")
    H, W = shape[2:]
    return (output_size(H, filter_h, stride, pad, what, "H", names[0]),
            output_size(W, filter_w, stride, pad, what, "W", names[1]))


CONV_KEYS = ("filter_num", "filter_size", "pad", "stride")


def convnet(name, input_dim, conv_param, hidden_size, output_size, weight_init_std, seed):
    """((C, H, W), (FN, FS, pad, stride), hidden_size, output_size, std, rng) for a convolutional
    network's constructor: input_dim (C, H, W) and the four conv_param entries integers (sizes >= 1,
    pad >= 0), hidden and output sizes >= 1, weight_init_std a finite number >= 0, seed None or an
    integer >= 0 (made into np.random.default_rng(seed))."""
    if not (isinstance(input_dim, tuple | list) and len(input_dim) == 3):
        raise TypeError(f"{name}: input_dim must be (C, H, W), got {input_dim!r}")
    dims = tuple(integer(n, f"{name}: input_dim[{i}]", 1) for i, n in enumerate(input_dim))
    if not isinstance(conv_param, dict):
        raise TypeError(f"{name}: conv_param must be a dict with keys {CONV_KEYS}, got "
                        f"{type(conv_param).__name__}")
    if set(conv_param) != set(CONV_KEYS):
        raise ValueError(f"{name}: conv_param must have exactly the keys {CONV_KEYS}, "
                         f"got {tuple(conv_param)}")
    minimum = {"filter_num": 1, "filter_size": 1, "pad": 0, "stride": 1}
    conv = tuple(integer(conv_param[key], f"{name}: conv_param['{key}']", minimum[key]) for key in CONV_KEYS)
    return (dims, conv, integer(hidden_size, f"{name}: hidden_size", 1),
            integer(output_size, f"{name}: output_size", 1),
            real_number(weight_init_std, f"{name}: weight_init_std", 0), rng(seed, f"{name}: seed"))


def three_layer_forward(network, x, hidden, output):
    """x as real numbers, for a network dict of W1, b1, W2, b2, W3, b3 and two activation functions."""
    keys = ("W1", "b1", "W2", "b2", "W3", "b3")
    if not (isinstance(network, dict) and all(k in network for k in keys)):
        raise TypeError(f"forward: network must be a dict of {', '.join(keys)} (see init_network), "
                        f"got {type(network).__name__}")
    function(hidden, "forward: hidden")
    function(output, "forward: output")
    return real_array(x, "forward: x")


def network(name, input_size, hidden_size_list, output_size, activation, activations, weight_init_std,
            gains, weight_decay_lambda, seed):
    """(sizes, weight_init_std, weight_decay_lambda, rng) for a network's constructor.

    Sizes are integers >= 1; activation a name in `activations`; weight_init_std a finite number
    >= 0 (as a float) or a name in `gains` (returned in lower case); weight_decay_lambda a finite
    number >= 0; seed None or an integer >= 0, made into np.random.default_rng(seed).
    """
    one_of(activation, activations, f"{name}: activation")
    if isinstance(hidden_size_list, str) or not hasattr(hidden_size_list, "__iter__"):
        raise TypeError(f"{name}: hidden_size_list must be a list of integers, got {hidden_size_list!r}")
    hidden = [integer(n, f"{name}: hidden_size_list[{i}]", 1) for i, n in enumerate(hidden_size_list)]
    sizes = [integer(input_size, f"{name}: input_size", 1), *hidden,
             integer(output_size, f"{name}: output_size", 1)]
    if isinstance(weight_init_std, str):
        if weight_init_std.lower() not in gains:
            raise ValueError(f"{name}: weight_init_std must be a number or one of {sorted(gains)}, "
                             f"got {weight_init_std!r}")
        weight_init_std = weight_init_std.lower()
    else:
        weight_init_std = real_number(weight_init_std, f"{name}: weight_init_std", 0)
    weight_decay_lambda = real_number(weight_decay_lambda, f"{name}: weight_decay_lambda", 0)
    if seed is not None:
        integer(seed, f"{name}: seed", 0)
    return sizes, weight_init_std, weight_decay_lambda, np.random.default_rng(seed)


def scores_of_finite_input(scores, x, name):
    """The scores, once NaN or inf in the input x is refused.

    Scores holding NaN or +inf come from bad data (refused here, naming the network) or from a
    diverged network (left to SoftmaxWithLoss, which warns). The input is looked at only then: one
    reduction over the scores instead of a scan of every input on every step.
    """
    if scores.size and not scores.max() < np.inf:
        if not np.isfinite(np.asarray(x)).all():
            raise ValueError(f"{name}: the input x contains NaN or inf")
    return scores


def accuracy_target(scores, t, what):
    """(t, is_labels): t read by the rule of the losses against scores (C,) or (N, C), N >= 1; labels
    integers in 0..C-1, dense rows shaped as the scores."""
    t = np.asarray(t)
    if scores.ndim == 2 and len(scores) == 0:
        raise ValueError(f"{what}: the batch is empty (the fraction would be 0 / 0)")
    try:
        is_labels = target_is_labels(scores.shape, t)
    except ValueError as err:
        raise ValueError(f"{what}: {err}") from None
    if not is_labels:
        return t.reshape(scores.shape), False
    if t.dtype.kind not in "iu":
        raise TypeError(f"{what}: class labels t must be integers, got dtype {t.dtype}")
    return labels(t, scores.shape[-1], what), True


def model(network, optimizer, what, needs=("params", "gradient", "last_layer")):
    """network has the attributes a training step uses (and `needs`), optimizer an update method."""
    has(network, needs, f"{what}: network", "a network such as TwoLayerNet")
    if not callable(getattr(optimizer, "update", None)):
        raise TypeError(f"{what}: optimizer must have update(params, grads), such as SGD, got "
                        f"{type(optimizer).__name__}")


def trainer(network, optimizer, optimizers, epochs, mini_batch_size, evaluate_sample_num_per_epoch,
            optimizer_param):
    """(optimizer's name in lower case, epochs, mini_batch_size, evaluate_sample_num_per_epoch)."""
    has(network, ("params", "gradient", "loss", "accuracy", "last_layer"), "Trainer: network",
        "a network such as MultiLayerNet")
    if not isinstance(optimizer, str):
        raise TypeError(f"Trainer: optimizer must be one of {sorted(optimizers)}, "
                        f"got {type(optimizer).__name__}")
    name = one_of(optimizer.lower(), optimizers, "Trainer: optimizer")
    epochs = integer(epochs, "Trainer: epochs", 1)
    mini_batch_size = integer(mini_batch_size, "Trainer: mini_batch_size", 1)
    if evaluate_sample_num_per_epoch is not None:
        evaluate_sample_num_per_epoch = integer(evaluate_sample_num_per_epoch,
                                                "Trainer: evaluate_sample_num_per_epoch", 1)
    if optimizer_param is not None and not isinstance(optimizer_param, dict):
        raise TypeError(f"Trainer: optimizer_param must be a dict of the optimizer's arguments, got "
                        f"{type(optimizer_param).__name__}")
    return name, epochs, mini_batch_size, evaluate_sample_num_per_epoch


def minibatches(x, t, batch_size, seed):
    """(x, t, batch_size, rng): a data set (x, t), batch_size in 1..N, rng = default_rng(seed)."""
    x, t = pair((x, t), "minibatches: (x, t)")
    batch_size = integer(batch_size, "minibatches: batch_size", 1)
    if batch_size > len(x):
        raise ValueError(f"minibatches: batch_size must be in 1..{len(x)} (the training set size), "
                         f"got {batch_size}")
    return x, t, batch_size, rng(seed, "minibatches: seed")


def descent(optimizer, steps, start, stop_within, what):
    """(steps, start as two floats) for following an optimizer on a surface from `start`."""
    if not callable(getattr(optimizer, "update", None)):
        raise TypeError(f"{what}: optimizer must have update(params, grads), such as SGD, got "
                        f"{type(optimizer).__name__}")
    steps = integer(steps, f"{what}: steps", 0)
    start = finite_array(start, f"{what}: start")
    if start.shape != (2,):
        raise ValueError(f"{what}: start must be a point (x, y), got shape {start.shape}")
    if stop_within is not None:
        positive(stop_within, f"{what}: stop_within")
    return steps, (float(start[0]), float(start[1]))


# ------------------------------------------------------------------------------- optimizers


def params_and_grads(params, grads, owner):
    """Two dicts with the same keys; each parameter a float array (updated in place) or a number
    (rebound by `-=`: the primer's bowl f(x, y) has two); each gradient of its parameter's shape.
    Messages name the update of `owner` (an optimizer), formatted only for an error."""
    if params.__class__ is dict and grads.__class__ is dict and params.keys() == grads.keys():
        for key, grad in grads.items():  # the common case, float arrays: few look-ups each
            param = params[key]
            if not (param.__class__ is np.ndarray and param.dtype.kind == "f"
                    and grad.__class__ is np.ndarray and grad.shape == param.shape):
                break  # look closer below
        else:
            return
    what = f"{type(owner).__name__}.update"
    for name, d in (("params", params), ("grads", grads)):
        if not isinstance(d, dict):
            raise TypeError(f"{what}: {name} must be a dict of arrays, got {type(d).__name__}")
    if params.keys() != grads.keys():
        raise ValueError(f"{what}: params and grads differ in keys: {sorted(params)} vs {sorted(grads)}")
    for key, grad in grads.items():
        param = params[key]
        is_array = isinstance(param, np.ndarray) and param.dtype.kind == "f"
        is_number = isinstance(param, float | np.floating | int | np.integer) and not isinstance(param, bool)
        if not (is_array or is_number):  # integer arrays would truncate every step
            dtype = f" of dtype {param.dtype}" if isinstance(param, np.ndarray) else ""
            raise TypeError(f"{what}: params[{key!r}] must be a float numpy array (updated in place) or a "
                            f"number, got {type(param).__name__}{dtype}")
        if np.shape(grad) != np.shape(param):
            raise ValueError(f"{what}: grads[{key!r}] has shape {np.shape(grad)}, params {np.shape(param)}")
