"""Every public function and class of common (functions, gradient, layers, networks, SGD, training,
measure) and dataset, walked with the bad inputs that apply to it.

REFUSED: each row calls one thing with one bad input and names the error it must raise and words
its message must contain (the parameter, what is wrong). ALLOWED: the borderline cases the module
docstrings decide to accept, with the value they must give. The rules themselves are written in the
docstrings of the modules; this table holds a case for each.
"""

import math
import os
import subprocess
import sys

import numpy as np
import pytest

from common import functions as F
from common.gradient import gradient_descent, numerical_diff, numerical_gradient, relative_error
from common.layers import (
    AddLayer,
    Affine,
    IdentityWithLoss,
    MulLayer,
    Relu,
    Sigmoid,
    SigmoidWithLoss,
    SoftmaxWithLoss,
)
from common.multi_layer_net import MultiLayerNet
from common.optimizer import SGD
from common.training import minibatches, sgd_step, train
from common.two_layer_net import TwoLayerNet
from companion.measure import CountingCalls, seconds_per_call
from dataset import DatasetError, download, load_mnist
from dataset.idx import IdxError, parse_idx, parse_idx_gz
from tools import REPO

NAN, INF = float("nan"), float("inf")

REFUSED = []  # (id, thunk, error type, regex the message must match)
ALLOWED = []  # (id, thunk, check of the result)


def refused(name, thunk, error, words):
    REFUSED.append(pytest.param(thunk, error, words, id=name))


def allowed(name, thunk, check):
    ALLOWED.append(pytest.param(thunk, check, id=name))


# Inputs that are not arrays of real numbers, for anything that takes one.
NOT_REAL = {
    "text": "abc",
    "None": None,
    "complex": 1 + 2j,
    "strings": np.array(["1", "2"]),
    "objects": np.array([1, None], dtype=object),
}

# ------------------------------------------------------------------------------ common.functions

ACTIVATIONS = [
    F.step_function,
    F.sigmoid,
    F.sigmoid_grad,
    F.relu,
    F.relu_grad,
    F.tanh,
    F.tanh_grad,
    F.identity,
]
for fn in ACTIVATIONS:
    for kind, bad in NOT_REAL.items():
        refused(
            f"{fn.__name__}-{kind}",
            lambda fn=fn, bad=bad: fn(bad),
            TypeError,
            rf"{fn.__name__}: x must be an array of real numbers",
        )
    if fn in (F.step_function, F.relu_grad):  # a 0/1 output would hide a NaN
        refused(
            f"{fn.__name__}-nan", lambda fn=fn: fn([0.5, NAN]), ValueError, rf"{fn.__name__}: x contains NaN"
        )
    else:  # NaN in, NaN out
        allowed(
            f"{fn.__name__}-nan-passes",
            lambda fn=fn: fn(np.array([0.5, NAN])),
            lambda y: np.isnan(y[1]) and not np.isnan(y[0]),
        )
    allowed(f"{fn.__name__}-inf", lambda fn=fn: fn(np.array([-INF, INF])), lambda y: not np.isnan(y).any())

for fn in (F.softmax, F.log_softmax):
    name = fn.__name__
    for kind, bad in NOT_REAL.items():
        refused(
            f"{name}-{kind}",
            lambda fn=fn, bad=bad: fn(bad),
            TypeError,
            rf"{name}: a must be an array of real",
        )
    refused(f"{name}-0d", lambda fn=fn: fn(1.0), ValueError, "at least one score")
    refused(f"{name}-no-classes", lambda fn=fn: fn(np.zeros((2, 0))), ValueError, "at least one score")
    refused(f"{name}-empty-batch", lambda fn=fn: fn(np.zeros((0, 3))), ValueError, "at least one score")
    refused(f"{name}-nan", lambda fn=fn: fn([[0.0, 1.0], [NAN, 0.0]]), ValueError, "contains NaN")
    refused(f"{name}-plus-inf", lambda fn=fn: fn([0.0, INF]), ValueError, r"contains \+inf")
    refused(f"{name}-row-of-minus-inf", lambda fn=fn: fn([[0.0, 1.0], [-INF, -INF]]), ValueError, "only -inf")
allowed(
    "softmax-minus-inf-is-probability-0", lambda: F.softmax([0.0, -INF]), lambda y: y.tolist() == [1.0, 0.0]
)
allowed(
    "log_softmax-minus-inf-stays-minus-inf",
    lambda: F.log_softmax([0.0, -INF]),
    lambda y: y.tolist() == [0.0, -INF],
)

refused(
    "to_one_hot-num_classes-2.5",
    lambda: F.to_one_hot([0, 1], 2.5),
    TypeError,
    "num_classes must be an integer",
)
refused(
    "to_one_hot-num_classes-text",
    lambda: F.to_one_hot([0, 1], "3"),
    TypeError,
    "num_classes must be an integer",
)
refused(
    "to_one_hot-num_classes-bool",
    lambda: F.to_one_hot([0], True),
    TypeError,
    "num_classes must be an integer",
)
refused(
    "to_one_hot-num_classes-0",
    lambda: F.to_one_hot([0], 0),
    ValueError,
    "num_classes must be an integer >= 1",
)
refused(
    "to_one_hot-float-labels", lambda: F.to_one_hot([0.0, 1.0], 3), TypeError, "labels t must be integers"
)
refused("to_one_hot-label-too-big", lambda: F.to_one_hot([0, 3], 3), ValueError, "label 3 is out of range")
refused("to_one_hot-label-negative", lambda: F.to_one_hot([-1], 3), ValueError, "label -1 is out of range")

LOSSES = [F.mean_squared_error, F.cross_entropy_error, F.softmax_cross_entropy]
Y = np.array([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])
for fn in LOSSES:
    name = fn.__name__
    refused(f"{name}-y-text", lambda fn=fn: fn("abc", [0]), TypeError, rf"{name}: y must be an array of real")
    refused(f"{name}-y-None", lambda fn=fn: fn(None, [0]), TypeError, rf"{name}: y must be an array of real")
    refused(f"{name}-y-0d", lambda fn=fn: fn(0.5, 0), ValueError, r"shape \(C,\) or \(N, C\)")
    refused(
        f"{name}-y-3d",
        lambda fn=fn: fn(np.ones((2, 2, 2)) / 2, [[0, 1], [1, 0]]),
        ValueError,
        r"shape \(C,\) or \(N, C\)",
    )
    refused(f"{name}-empty-batch", lambda fn=fn: fn(np.zeros((0, 3)), np.zeros(0, int)), ValueError, "empty")
    refused(f"{name}-no-classes", lambda fn=fn: fn(np.zeros(0), np.zeros(0)), ValueError, "empty")
    refused(f"{name}-one-hot-wrong-shape", lambda fn=fn: fn(Y, np.eye(3)[:1]), ValueError, "does not match")
    refused(
        f"{name}-target-wrong-shape", lambda fn=fn: fn(Y, np.zeros((2, 3, 1))), ValueError, "fits neither"
    )
    refused(
        f"{name}-float-labels",
        lambda fn=fn: fn(Y, np.array([0.0, 2.0])),
        TypeError,
        "labels must be integers",
    )
    refused(f"{name}-label-too-big", lambda fn=fn: fn(Y, [0, 3]), ValueError, "label 3 is out of range for 3")
    refused(f"{name}-label-negative", lambda fn=fn: fn(Y, [0, -1]), ValueError, "label -1 is out of range")
    refused(f"{name}-y-nan", lambda fn=fn: fn([[0.5, NAN, 0.5]], [0]), ValueError, "NaN")
    refused(
        f"{name}-t-nan", lambda fn=fn: fn(Y, [[1.0, 0, 0], [NAN, 0, 1]]), ValueError, "target contains NaN"
    )
    refused(
        f"{name}-t-text", lambda fn=fn: fn(Y, np.array([["a"] * 3] * 2)), TypeError, rf"{name}: t must be"
    )
for bad_y in ([0.5, INF, 0.5], [0.5, -INF, 0.5]):
    refused(
        f"mean_squared_error-y-{bad_y[1]}", lambda y=bad_y: F.mean_squared_error(y, 0), ValueError, "finite"
    )
refused(
    "mean_squared_error-t-inf", lambda: F.mean_squared_error([0.5, 0.5], [INF, 0.0]), ValueError, "finite"
)
for what, bad_y in {"above-1": [0.2, 1.3], "inf": [0.2, INF], "negative": [1.1, -0.1]}.items():
    refused(
        f"cross_entropy_error-y-{what}",
        lambda y=bad_y: F.cross_entropy_error(y, 0),
        ValueError,
        r"probabilities y must lie in \[0, 1\]",
    )
for fn in (F.cross_entropy_error, F.softmax_cross_entropy):
    refused(
        f"{fn.__name__}-t-not-a-distribution",
        lambda fn=fn: fn([0.5, 0.5], [0.5, 0.7]),
        ValueError,
        "probability distribution",
    )
    refused(
        f"{fn.__name__}-t-negative",
        lambda fn=fn: fn([0.5, 0.5], [1.5, -0.5]),
        ValueError,
        "probability distribution",
    )
    allowed(
        f"{fn.__name__}-soft-target",
        lambda fn=fn: fn([0.25, 0.75], [0.5, 0.5]),
        lambda loss: math.isfinite(loss) and loss > 0,
    )
refused(
    "softmax_cross_entropy-plus-inf", lambda: F.softmax_cross_entropy([0.0, INF], 0), ValueError, r"\+inf"
)
refused(
    "softmax_cross_entropy-row-of-minus-inf",
    lambda: F.softmax_cross_entropy([[-INF, -INF]], [0]),
    ValueError,
    "only -inf",
)
allowed(
    "softmax_cross_entropy-minus-inf-elsewhere",
    lambda: F.softmax_cross_entropy([0.0, -INF], 0),
    lambda loss: loss == 0.0,
)
allowed(
    "softmax_cross_entropy-minus-inf-at-target",
    lambda: F.softmax_cross_entropy([0.0, -INF], 1),
    lambda loss: loss == INF,
)
allowed(
    "one-sample-(1,)-target-is-dense",
    lambda: F.mean_squared_error([0.5], [0.25]),
    lambda loss: loss == 0.5 * 0.25**2,
)
allowed(
    "C=1-(N,)-labels-against-(N,1)",
    lambda: F.mean_squared_error([[0.5], [0.0]], [0, 0]),
    lambda loss: loss == 0.5 * (0.25 + 1) / 2,
)
allowed(
    "target_is_labels-rule",
    lambda: (F.target_is_labels((4, 1), np.zeros(4)), F.target_is_labels((4, 1), np.zeros((4, 1)))),
    lambda r: r == (True, False),
)

# ------------------------------------------------------------------------------- common.gradient

X2 = np.array([1.0, 2.0])
for h in (0, -1e-4, NAN, INF):
    refused(
        f"numerical_diff-h-{h}", lambda h=h: numerical_diff(math.exp, 0.0, h=h), ValueError, "step h must be"
    )
    refused(
        f"numerical_gradient-h-{h}",
        lambda h=h: numerical_gradient(np.sum, X2.copy(), h=h),
        ValueError,
        "step h must be",
    )
refused(
    "numerical_diff-h-text",
    lambda: numerical_diff(math.exp, 0.0, h="1e-4"),
    TypeError,
    "step h must be a real number",
)
refused(
    "numerical_diff-method", lambda: numerical_diff(math.exp, 0.0, method="sideways"), ValueError, "method"
)
refused(
    "numerical_diff-f-None",
    lambda: numerical_diff(None, 0.0),
    TypeError,
    "numerical_diff: f must be callable",
)
refused(
    "numerical_diff-x-text", lambda: numerical_diff(math.exp, "0"), TypeError, "numerical_diff: x must be"
)
allowed("numerical_diff-nan-passes", lambda: numerical_diff(math.exp, NAN), math.isnan)
refused(
    "numerical_gradient-f-None",
    lambda: numerical_gradient(None, X2.copy()),
    TypeError,
    "numerical_gradient: f must be callable",
)
refused(
    "numerical_gradient-x-list",
    lambda: numerical_gradient(np.sum, [1.0, 2.0]),
    TypeError,
    "x must be a numpy float64 array",
)
refused(
    "numerical_gradient-x-ints",
    lambda: numerical_gradient(np.sum, np.array([1, 2])),
    TypeError,
    "float array, got dtype int64",
)
refused(
    "numerical_gradient-x-strings",
    lambda: numerical_gradient(np.sum, np.array(["a"])),
    TypeError,
    "float array",
)
refused(
    "numerical_gradient-x-nan",
    lambda: numerical_gradient(np.sum, np.array([1.0, NAN])),
    ValueError,
    "x contains NaN",
)
refused(
    "numerical_gradient-f-returns-nan",
    lambda: numerical_gradient(lambda x: NAN * x.sum(), X2.copy()),
    ValueError,
    r"f returned nan with x\[0\] moved by ±h",
)
refused(
    "numerical_gradient-f-returns-array",
    lambda: numerical_gradient(lambda x: x * 2, X2.copy()),
    ValueError,
    "f must return a scalar",
)
refused("relative_error-shapes", lambda: relative_error(np.ones(2), np.ones(3)), ValueError, "shapes differ")
refused("relative_error-nan", lambda: relative_error([1.0, NAN], [1.0, 1.0]), ValueError, "finite")
refused("relative_error-inf", lambda: relative_error([1.0, 1.0], [INF, 1.0]), ValueError, "finite")
refused("relative_error-text", lambda: relative_error("ab", [1.0]), TypeError, "relative_error: a must be")
allowed("relative_error-both-zero", lambda: relative_error(np.zeros(3), np.zeros(3)), lambda e: e == 0.0)
for lr in (0, -0.1, NAN, INF):
    refused(
        f"gradient_descent-lr-{lr}",
        lambda lr=lr: gradient_descent(np.sum, X2, lr=lr),
        ValueError,
        "lr .*must be",
    )
refused(
    "gradient_descent-lr-text",
    lambda: gradient_descent(np.sum, X2, lr="0.1"),
    TypeError,
    "lr .*must be a real number",
)
refused(
    "gradient_descent-step_num-negative",
    lambda: gradient_descent(np.sum, X2, step_num=-1),
    ValueError,
    "step_num must be an integer >= 0",
)
refused(
    "gradient_descent-step_num-2.5",
    lambda: gradient_descent(np.sum, X2, step_num=2.5),
    TypeError,
    "step_num must be an integer",
)
refused(
    "gradient_descent-step_num-text",
    lambda: gradient_descent(np.sum, X2, step_num="3"),
    TypeError,
    "step_num must be an integer",
)
refused("gradient_descent-f-None", lambda: gradient_descent(None, X2), TypeError, "f must be callable")
refused("gradient_descent-init_x-text", lambda: gradient_descent(np.sum, "ab"), TypeError, "init_x must be")
refused(
    "gradient_descent-init_x-nan",
    lambda: gradient_descent(np.sum, [NAN]),
    ValueError,
    "init_x must be finite",
)
allowed(
    "gradient_descent-zero-steps",
    lambda: gradient_descent(np.sum, X2, step_num=0),
    lambda x: x.tolist() == [1.0, 2.0],
)

# --------------------------------------------------------------------------------- common.layers


def after_forward(layer, x, *rest):
    layer.forward(x, *rest)
    return layer


for cls in (Relu, Sigmoid):
    name = cls.__name__
    for kind, bad in NOT_REAL.items():
        refused(
            f"{name}.forward-{kind}",
            lambda cls=cls, bad=bad: cls().forward(bad),
            TypeError,
            "must be an array of real numbers",
        )
    refused(
        f"{name}.backward-before-forward",
        lambda cls=cls: cls().backward(np.ones(3)),
        RuntimeError,
        rf"{name}.backward called before forward",
    )
    refused(
        f"{name}.backward-broadcastable-dout",
        lambda cls=cls: after_forward(cls(), np.ones((2, 3))).backward(np.ones(3)),
        ValueError,
        r"dout has shape \(3,\), the forward output had shape \(2, 3\)",
    )
    refused(
        f"{name}.backward-scalar-dout",
        lambda cls=cls: after_forward(cls(), np.ones((2, 3))).backward(1.0),
        ValueError,
        r"dout has shape \(\)",
    )
    refused(
        f"{name}.backward-text-dout",
        lambda cls=cls: after_forward(cls(), np.ones(2)).backward(["a", "b"]),
        TypeError,
        "dout must be an array of real numbers",
    )

W43, B3 = np.ones((4, 3)), np.zeros(3)
refused("Affine-W-None", lambda: Affine(None, B3), TypeError, "Affine: W must be a float numpy array")
refused("Affine-W-list", lambda: Affine([[1.0] * 3] * 4, B3), TypeError, "W must be a float numpy array")
refused("Affine-W-ints", lambda: Affine(np.ones((4, 3), int), B3), TypeError, "W must be a float numpy array")
refused("Affine-W-1d", lambda: Affine(np.ones(3), B3), ValueError, r"W must be \(D, M\)")
refused("Affine-b-None", lambda: Affine(W43, None), TypeError, "Affine: b must be a float numpy array")
refused(
    "Affine-b-wrong-shape",
    lambda: Affine(W43, np.zeros(4)),
    ValueError,
    r"b \(M,\), got W \(4, 3\) and b \(4,\)",
)
refused(
    "Affine.forward-0d",
    lambda: Affine(W43, B3).forward(np.float64(1.0)),
    ValueError,
    r"x must be a sample \(D,\) or a batch",
)
refused(
    "Affine.forward-empty-batch",
    lambda: Affine(W43, B3).forward(np.zeros((0, 4))),
    ValueError,
    r"N >= 1, got shape \(0, 4\)",
)
refused(
    "Affine.forward-wrong-size",
    lambda: Affine(W43, B3).forward(np.zeros((2, 5))),
    ValueError,
    r"does not fit W of shape \(4, 3\)",
)
refused(
    "Affine.forward-text", lambda: Affine(W43, B3).forward("abcd"), TypeError, "x must be an array of real"
)
refused(
    "Affine.forward-rebound-W-None",
    lambda: setattr(a := Affine(W43, B3), "W", None) or a.forward(np.ones(4)),
    TypeError,
    "W must be a float numpy array",
)
refused(
    "Affine.backward-before-forward",
    lambda: Affine(W43, B3).backward(np.ones((2, 3))),
    RuntimeError,
    "Affine.backward called before forward",
)
refused(
    "Affine.backward-wrong-dout",
    lambda: after_forward(Affine(W43, B3), np.ones((2, 4))).backward(np.ones((1, 3))),
    ValueError,
    r"dout has shape \(1, 3\), the forward output had shape \(2, 3\)",
)
allowed(
    "Affine-images-flattened",
    lambda: Affine(W43, B3).forward(np.ones((2, 2, 2))),
    lambda y: y.shape == (2, 3),
)
allowed(
    "Affine-nan-passes",
    lambda: Affine(W43, B3).forward(np.array([NAN, 0, 0, 0])),
    lambda y: np.isnan(y).all(),
)
allowed(
    "MulLayer-broadcasts-as-numpy",
    lambda: after_forward(MulLayer(), np.ones((2, 3)), 2.0).backward(np.ones((2, 3))),
    lambda d: d[0].shape == (2, 3) and d[1].shape == (2, 3),
)
allowed("AddLayer-any-values", lambda: AddLayer().backward(np.ones(2)), lambda d: d[0].tolist() == [1.0, 1.0])

def diverged(thunk):
    """thunk() must warn that the network diverged (SoftmaxWithLoss on NaN or +inf scores)."""
    with pytest.warns(RuntimeWarning, match="diverged"):
        return thunk()


LOSS_LAYERS = (SoftmaxWithLoss, IdentityWithLoss)
refused("IdentityWithLoss.forward-nan", lambda: IdentityWithLoss().forward([[0.0, NAN]], [0]),
        ValueError, "NaN")
# Scores a diverged network produced: a warning and a NaN loss, as the primer's layer gives, so its
# ch06 training loops carry on (the layer's docstring); the functions refuse them (above).
allowed("SoftmaxWithLoss.forward-nan-warns",
        lambda: diverged(lambda: SoftmaxWithLoss().forward([[0.0, NAN]], [0])), np.isnan)
for cls in LOSS_LAYERS:
    name = cls.__name__
    refused(
        f"{name}.forward-label-range",
        lambda cls=cls: cls().forward(np.zeros((2, 3)), [0, 3]),
        ValueError,
        "label 3 is out of range",
    )
    refused(
        f"{name}.forward-float-labels",
        lambda cls=cls: cls().forward(np.zeros((2, 3)), [0.0, 1.0]),
        TypeError,
        "labels must be integers",
    )
    refused(
        f"{name}.forward-shape",
        lambda cls=cls: cls().forward(np.zeros((2, 3)), np.zeros((3, 3))),
        ValueError,
        "does not match",
    )
    refused(
        f"{name}.forward-empty",
        lambda cls=cls: cls().forward(np.zeros((0, 3)), np.zeros(0, int)),
        ValueError,
        "empty",
    )
    refused(
        f"{name}.forward-text", lambda cls=cls: cls().forward("abc", 0), TypeError, "must be an array of real"
    )
for cls in (*LOSS_LAYERS, SigmoidWithLoss):
    name = cls.__name__
    x, t = (np.zeros((2, 3)), np.array([0, 1])) if cls is not SigmoidWithLoss else (np.zeros(2), np.ones(2))
    refused(
        f"{name}.backward-before-forward",
        lambda cls=cls: cls().backward(),
        RuntimeError,
        rf"{name}.backward called before forward",
    )
    refused(
        f"{name}.backward-array-dout",
        lambda cls=cls, x=x, t=t: after_forward(cls(), x, t).backward(np.ones(2)),
        ValueError,
        r"dout must be a number \(the loss is one\)",
    )
    refused(
        f"{name}.backward-text-dout",
        lambda cls=cls, x=x, t=t: after_forward(cls(), x, t).backward("1"),
        TypeError,
        "dout must be a real number",
    )
    refused(
        f"{name}.backward-nan-dout",
        lambda cls=cls, x=x, t=t: after_forward(cls(), x, t).backward(NAN),
        ValueError,
        "dout must be finite",
    )
    allowed(
        f"{name}.backward-0d-array-dout",
        lambda cls=cls, x=x, t=t: after_forward(cls(), x, t).backward(np.float64(2.0)),
        lambda d, x=x: d.shape == x.shape,
    )
allowed("SoftmaxWithLoss.forward-plus-inf-warns",
        lambda: diverged(lambda: SoftmaxWithLoss().forward([0.0, INF], 0)), np.isnan)
refused(
    "SoftmaxWithLoss.forward-minus-inf-row",
    lambda: SoftmaxWithLoss().forward([[-INF, -INF]], [1]),
    ValueError,
    "only -inf",
)
refused(
    "SoftmaxWithLoss.forward-not-a-distribution",
    lambda: SoftmaxWithLoss().forward([0.0, 1.0], [1.0, 1.0]),
    ValueError,
    "probability distribution",
)
refused(
    "IdentityWithLoss.forward-inf",
    lambda: IdentityWithLoss().forward([INF, 0.0], [0.0, 0.0]),
    ValueError,
    "finite",
)
refused(
    "SigmoidWithLoss.forward-shape",
    lambda: SigmoidWithLoss().forward(np.zeros((1, 2)), np.zeros(2)),
    ValueError,
    r"target shape \(2,\) != score shape \(1, 2\)",
)
refused(
    "SigmoidWithLoss.forward-t-above-1",
    lambda: SigmoidWithLoss().forward(np.zeros(2), [2.0, 0.0]),
    ValueError,
    r"targets t must lie in \[0, 1\]",
)
refused(
    "SigmoidWithLoss.forward-t-nan",
    lambda: SigmoidWithLoss().forward(np.zeros(2), [NAN, 0.0]),
    ValueError,
    r"targets t must lie in \[0, 1\]",
)
refused(
    "SigmoidWithLoss.forward-x-nan",
    lambda: SigmoidWithLoss().forward([NAN, 0.0], [1.0, 0.0]),
    ValueError,
    "x contains NaN",
)
refused(
    "SigmoidWithLoss.forward-empty",
    lambda: SigmoidWithLoss().forward(np.zeros((0, 2)), np.zeros((0, 2))),
    ValueError,
    "empty",
)
refused(
    "SigmoidWithLoss.forward-text",
    lambda: SigmoidWithLoss().forward("ab", "ab"),
    TypeError,
    "x must be an array of real",
)
allowed(
    "SigmoidWithLoss-plus-inf-right",
    lambda: SigmoidWithLoss().forward([INF, -INF], [1.0, 0.0]),
    lambda loss: loss == 0.0,
)
allowed(
    "SigmoidWithLoss-plus-inf-wrong",
    lambda: SigmoidWithLoss().forward([INF], [0.0]),
    lambda loss: loss == INF,
)
allowed(
    "SigmoidWithLoss-soft-target",
    lambda: SigmoidWithLoss().forward([0.0], [0.5]),
    lambda loss: abs(loss - math.log(2)) < 1e-15,
)

# ------------------------------------------------------------------------------------ networks

for cls in (TwoLayerNet, MultiLayerNet):
    name = cls.__name__

    def make(cls=cls, input_size=4, hidden=3, output_size=2, **kw):
        return cls(input_size, hidden if cls is TwoLayerNet else [hidden], output_size, **kw)

    hidden_name = "hidden_size" if cls is TwoLayerNet else r"hidden_size_list\[0\]"
    for param, pos in (("input_size", "input_size"), ("hidden", hidden_name), ("output_size", "output_size")):
        for bad, err in (
            (4.5, TypeError),
            ("4", TypeError),
            (True, TypeError),
            (None, TypeError),
            (0, ValueError),
            (-2, ValueError),
        ):
            refused(
                f"{name}-{param}-{bad!r}",
                lambda make=make, param=param, bad=bad: make(**{param: bad}),
                err,
                f"{pos} must be an integer",
            )
    refused(
        f"{name}-activation",
        lambda make=make: make(activation="swish"),
        ValueError,
        "activation must be one of",
    )
    for bad, err in (
        (NAN, ValueError),
        (INF, ValueError),
        (-0.1, ValueError),
        ("bogus", ValueError),
        (None, TypeError),
    ):
        refused(
            f"{name}-weight_init_std-{bad!r}",
            lambda make=make, bad=bad: make(weight_init_std=bad),
            err,
            "weight_init_std must be",
        )
    for bad, err in ((-1, TypeError), (1.5, TypeError), ("0", TypeError)):
        refused(
            f"{name}-seed-{bad!r}",
            lambda make=make, bad=bad: make(seed=bad),
            ValueError if bad == -1 else err,
            "seed must be an integer",
        )
    net = make(seed=0)
    refused(
        f"{name}.predict-wrong-size",
        lambda net=net: net.predict(np.zeros((2, 5))),
        ValueError,
        "does not fit W",
    )
    refused(
        f"{name}.predict-text", lambda net=net: net.predict("abcd"), TypeError, "x must be an array of real"
    )
    refused(f"{name}.predict-empty", lambda net=net: net.predict(np.zeros((0, 4))), ValueError, "N >= 1")
    refused(
        f"{name}.loss-label-range",
        lambda net=net: net.loss(np.zeros((2, 4)), [0, 2]),
        ValueError,
        "label 2 is out of range for 2",
    )
    refused(f"{name}.loss-nan-input", lambda net=net: net.loss(np.full((1, 4), NAN), [0]), ValueError, "NaN")
    refused(
        f"{name}.gradient-label-range",
        lambda net=net: net.gradient(np.zeros((2, 4)), [0, 5]),
        ValueError,
        "out of range",
    )
    refused(
        f"{name}.numerical_gradient-shape",
        lambda net=net: net.numerical_gradient(np.zeros((2, 4)), [0]),
        ValueError,
        "fits neither",
    )
    refused(
        f"{name}.accuracy-label-range",
        lambda net=net: net.accuracy(np.zeros((2, 4)), [0, 7]),
        ValueError,
        "accuracy: label 7 is out of range for 2",
    )
    refused(
        f"{name}.accuracy-float-labels",
        lambda net=net: net.accuracy(np.zeros((2, 4)), [0.0, 1.0]),
        TypeError,
        "accuracy: class labels t must be integers",
    )
    refused(
        f"{name}.accuracy-shape",
        lambda net=net: net.accuracy(np.zeros((2, 4)), [0, 1, 1]),
        ValueError,
        "accuracy: target shape",
    )
    refused(
        f"{name}.accuracy-empty",
        lambda net=net: net.accuracy(np.zeros((0, 4)), np.zeros(0, int)),
        ValueError,
        "N >= 1|empty",
    )
    allowed(
        f"{name}-weight_init_std-0",
        lambda make=make: make(weight_init_std=0).params["W1"],
        lambda W: not W.any(),
    )
    allowed(
        f"{name}.accuracy-one-hot",
        lambda net=net: net.accuracy(np.zeros((2, 4)), np.eye(2)),
        lambda acc: acc == 0.5,
    )
refused(
    "MultiLayerNet-hidden_size_list-int",
    lambda: MultiLayerNet(4, 3, 2),
    TypeError,
    "hidden_size_list must be a list of integers",
)
refused(
    "MultiLayerNet-hidden_size_list-text",
    lambda: MultiLayerNet(4, "3", 2),
    TypeError,
    "hidden_size_list must be a list",
)
refused(
    "MultiLayerNet-hidden_size_list-3.7",
    lambda: MultiLayerNet(4, [5, 3.7], 2),
    TypeError,
    r"hidden_size_list\[1\] must be an integer",
)
for bad in (-1, NAN, INF):
    refused(
        f"MultiLayerNet-weight_decay_lambda-{bad}",
        lambda bad=bad: MultiLayerNet(4, [3], 2, weight_decay_lambda=bad),
        ValueError,
        "weight_decay_lambda must be",
    )
refused(
    "MultiLayerNet-weight_decay_lambda-text",
    lambda: MultiLayerNet(4, [3], 2, weight_decay_lambda="0.1"),
    TypeError,
    "weight_decay_lambda must be a real number",
)
allowed(
    "MultiLayerNet-no-hidden-layer",
    lambda: MultiLayerNet(4, [], 2, seed=0).predict(np.ones(4)),
    lambda y: y.shape == (2,),
)

# ------------------------------------------------------------------------------- common.optimizer

for bad, err in (
    ("0.1", TypeError),
    (None, TypeError),
    (True, TypeError),
    (0, ValueError),
    (-0.1, ValueError),
    (INF, ValueError),
    (NAN, ValueError),
):
    refused(f"SGD-lr-{bad!r}", lambda bad=bad: SGD(lr=bad), err, r"SGD: lr \(the learning rate\) must be")
P = {"W": np.ones(3)}
refused(
    "SGD.update-params-not-a-dict",
    lambda: SGD().update([np.ones(3)], {"W": np.ones(3)}),
    TypeError,
    "params must be a dict",
)
refused(
    "SGD.update-grads-not-a-dict",
    lambda: SGD().update({"W": np.ones(3)}, None),
    TypeError,
    "grads must be a dict",
)
refused(
    "SGD.update-keys",
    lambda: SGD().update({"W": np.ones(3)}, {"V": np.ones(3)}),
    ValueError,
    "differ in keys",
)
refused(
    "SGD.update-shape",
    lambda: SGD().update({"W": np.ones(3)}, {"W": np.ones(2)}),
    ValueError,
    r"grads\['W'\] has shape \(2,\), params \(3,\)",
)
refused(
    "SGD.update-param-list",
    lambda: SGD().update({"W": [1.0, 2.0]}, {"W": np.ones(2)}),
    TypeError,
    r"params\['W'\] must be a float numpy array",
)
refused(
    "SGD.update-param-ints",
    lambda: SGD().update({"W": np.ones(2, int)}, {"W": np.ones(2)}),
    TypeError,
    r"params\['W'\] must be a float numpy array",
)

# -------------------------------------------------------------------------------- common.training

XT = (np.zeros((8, 4)), np.zeros(8, int))


def small_net():
    return TwoLayerNet(4, 3, 2, seed=0)


for kw, err, words in [
    ({"optimizer": None}, TypeError, "optimizer must have update"),
    ({"network": None}, TypeError, r"network must be a network such as TwoLayerNet \(it needs .params\)"),
    ({"steps": "3"}, TypeError, "steps must be an integer"),
    ({"steps": 2.5}, TypeError, "steps must be an integer"),
    ({"steps": 0}, ValueError, "steps must be an integer >= 1"),
    ({"steps": -3}, ValueError, "steps must be an integer >= 1"),
    ({"batch_size": 0}, ValueError, "batch_size must be an integer >= 1"),
    ({"batch_size": 9}, ValueError, r"batch_size must be in 1..8"),
    ({"batch_size": "4"}, TypeError, "batch_size must be an integer"),
    ({"eval_every": -1}, ValueError, "eval_every must be an integer >= 1"),
    ({"eval_every": 0}, ValueError, "eval_every must be an integer >= 1"),
    ({"eval_every": 1.5}, TypeError, "eval_every must be an integer"),
    ({"train_data": np.zeros((8, 4))}, TypeError, r"train_data must be an \(x, t\) pair"),
    ({"train_data": (np.zeros((8, 4)), np.zeros(7, int))}, ValueError, "train_data: 8 inputs but 7 targets"),
    ({"train_data": (np.zeros((0, 4)), np.zeros(0, int))}, ValueError, "train_data is empty"),
    ({"test_data": (np.zeros((3, 4)), np.zeros(2, int))}, ValueError, "test_data: 3 inputs but 2 targets"),
    ({"log": "print"}, TypeError, "log must be callable"),
    ({"seed": -1}, ValueError, "seed must be an integer >= 0"),
]:

    def run_train(kw=kw):
        args = {
            "network": small_net(),
            "optimizer": SGD(0.1),
            "train_data": XT,
            "steps": 2,
            "batch_size": 4,
            "log": None,
            **kw,
        }
        return train(**args)

    refused(f"train-{'-'.join(f'{k}={v!r}'[:24] for k, v in kw.items())}", run_train, err, words)
refused(
    "minibatches-batch_size-0", lambda: minibatches(*XT, 0), ValueError, "batch_size must be an integer >= 1"
)
refused(
    "minibatches-batch_size-too-big", lambda: minibatches(*XT, 9), ValueError, r"batch_size must be in 1..8"
)
refused(
    "minibatches-mismatch",
    lambda: minibatches(np.zeros((8, 4)), np.zeros(3), 2),
    ValueError,
    "8 inputs but 3 targets",
)
refused("minibatches-seed-text", lambda: minibatches(*XT, 2, seed="0"), TypeError, "seed must be an integer")
refused(
    "sgd_step-optimizer-None",
    lambda: sgd_step(small_net(), None, *XT),
    TypeError,
    "optimizer must have update",
)
refused("sgd_step-network-None", lambda: sgd_step(None, SGD(), *XT), TypeError, "network must be a network")
refused(
    "sgd_step-labels", lambda: sgd_step(small_net(), SGD(), XT[0], np.full(8, 2)), ValueError, "out of range"
)
allowed(
    "train-eval_every-None-is-once-an-epoch",
    lambda: train(small_net(), SGD(0.1), XT, steps=4, batch_size=4, log=None).eval_steps,
    lambda s: s == [2, 4],
)

# --------------------------------------------------------------------------------- companion.measure

refused("CountingCalls-None", lambda: CountingCalls(None), TypeError, "CountingCalls: fn must be callable")
refused(
    "seconds_per_call-fn-None",
    lambda: seconds_per_call(None),
    TypeError,
    "seconds_per_call: fn must be callable",
)
for bad, err in ((0, ValueError), (-1, ValueError), (2.5, TypeError), (True, TypeError), ("3", TypeError)):
    refused(
        f"seconds_per_call-repeat-{bad!r}",
        lambda bad=bad: seconds_per_call(lambda: None, bad),
        err,
        "repeat must be an integer",
    )

# ---------------------------------------------------------------------------------------- dataset

for param in ("normalize", "flatten", "one_hot_label"):
    for bad in ("no", None, 1):
        refused(
            f"load_mnist-{param}-{bad!r}",
            lambda param=param, bad=bad: load_mnist(**{param: bad}),
            TypeError,
            f"load_mnist: {param} must be True or False",
        )
refused(
    "load_mnist-source", lambda: load_mnist(source="web"), ValueError, "load_mnist: source must be one of"
)
refused("cache_dir-not-a-path", lambda: download.cache_dir(123), TypeError, "directory must be a path")
refused("parse_idx-garbage", lambda: parse_idx(b"\x01\x02\x03\x04"), IdxError, "bad magic number")
refused("parse_idx-short", lambda: parse_idx(b"\x00"), IdxError, "too short")
refused(
    "parse_idx_gz-not-gzip", lambda: parse_idx_gz(b"not gzip at all"), IdxError, "not a complete gzip file"
)


@pytest.fixture
def cache_with_a_directory(tmp_path, monkeypatch):
    """A cache directory in which the first data file is a directory."""
    blocked = tmp_path / download.TRAIN_FILES["images"].name
    blocked.mkdir()
    monkeypatch.setenv(download.ENV_VAR, str(tmp_path))
    return tmp_path, blocked


@pytest.mark.parametrize("thunk, error, words", REFUSED)
def test_refused(thunk, error, words):
    with pytest.raises(error, match=words):
        thunk()


@pytest.mark.parametrize("thunk, check", ALLOWED)
def test_allowed(thunk, check):
    assert check(thunk())


def test_table_size():
    """The table holds the number of cases the closing note of issue 14 reports (update both)."""
    assert (len(REFUSED), len(ALLOWED)) == (364, 44)


def test_load_mnist_full_with_a_directory_for_a_file(cache_with_a_directory):
    _, blocked = cache_with_a_directory
    with pytest.raises(DatasetError, match=f"{blocked} is a directory, not the data file"):
        load_mnist(source="full")  # refused before any download is tried


def test_download_with_a_directory_for_a_file(cache_with_a_directory):
    directory, blocked = cache_with_a_directory
    with pytest.raises(DatasetError, match="is a directory"):
        download.download_mnist(directory, mirrors=["http://127.0.0.1:9/"])


def test_check_file_reports_a_directory(cache_with_a_directory):
    _, blocked = cache_with_a_directory
    assert download.check_file(blocked, download.TRAIN_FILES["images"]) == (
        "a directory, not a file (remove or rename it)"
    )


@pytest.mark.parametrize("extra", [[], ["--download"]])
def test_command_with_a_directory_for_a_file_exits_1_with_one_paragraph(cache_with_a_directory, extra):
    directory, blocked = cache_with_a_directory
    done = subprocess.run(
        [sys.executable, "-m", "dataset.mnist", "--dir", str(directory), *extra],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    error_lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(error_lines) == 1 and error_lines[0].startswith("error: ") and str(blocked) in error_lines[0]


def test_command_with_a_file_for_the_directory(tmp_path):
    not_a_dir = tmp_path / "cache"
    not_a_dir.write_text("")
    done = subprocess.run(
        [sys.executable, "-m", "dataset.mnist", "--dir", str(not_a_dir)],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"error: the cache directory {not_a_dir} is a file, not a directory: "
        "remove or rename it, or choose another one with --dir."
    )
