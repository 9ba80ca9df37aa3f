"""Layers with forward() and backward(dout), as built in the primer's backpropagation chapter.

Each layer remembers what its backward pass needs from the forward pass. backward(dout) takes the
gradient of the loss with respect to the layer's output and returns the gradient with respect to its
input; it never modifies `dout` (the caller may still need it). Parameter layers keep their
gradients as attributes (Affine.dW, Affine.db).
"""

import numpy as np

from common.functions import (
    _as_float,
    _batched,
    mean_squared_error,
    sigmoid,
    to_one_hot,
)

# ------------------------------------------------------------------------------- scalar nodes


class MulLayer:
    """Multiply node z = x * y. Backward swaps the inputs: dz/dx = y, dz/dy = x."""

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        """Returns (dL/dx, dL/dy) = (dout * y, dout * x)."""
        return dout * self.y, dout * self.x


class AddLayer:
    """Add node z = x + y. Backward passes dout unchanged to both inputs (dz/dx = dz/dy = 1)."""

    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        """Returns (dL/dx, dL/dy) = (dout, dout)."""
        return dout * 1, dout * 1


# -------------------------------------------------------------------------------- activations


class Relu:
    """y = max(0, x). Backward lets dout through where x > 0 and stops it where x <= 0."""

    def __init__(self):
        self.mask = None  # True where x <= 0: the switch is off

    def forward(self, x):
        """x: any shape -> y: same shape."""
        x = _as_float(x)
        self.mask = x <= 0
        return np.where(self.mask, 0, x).astype(x.dtype, copy=False)

    def backward(self, dout):
        """dout: the shape of y -> dL/dx, same shape (a new array)."""
        return np.where(self.mask, 0, dout).astype(np.result_type(dout), copy=False)


def _sigmoid(x):
    """common.functions.sigmoid, bit for bit, with one division instead of two and a select.

    With e = exp(-|x|) (never overflows), sigmoid is 1 / (1 + e) for x >= 0 and e / (1 + e) for
    x < 0. Since e <= 1, the numerator max(e, [x >= 0]) is 1 for x >= 0 and e for x < 0, so one
    quotient serves both signs; np.where on a mixed-sign mask was the slow part (bench/RESULTS.md).
    """
    x = _as_float(x)
    e = np.exp(-np.abs(x))
    y = np.maximum(e, x >= 0, out=np.empty_like(e))  # out=: an array even for a 0-d x
    y /= 1 + e  # in place: y is a new array already
    return y


class Sigmoid:
    """y = 1 / (1 + exp(-x)). Backward: dL/dx = dout * y * (1 - y), using the stored output y."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        """x: any shape -> y: same shape."""
        self.out = _sigmoid(x)
        return self.out

    def backward(self, dout):
        """dout: the shape of y -> dL/dx, same shape."""
        dx = dout * self.out
        dx *= 1 - self.out  # in place: (dout * y) * (1 - y) with one array fewer
        return dx


# ----------------------------------------------------------------------------------- affine


class Affine:
    """Fully connected layer Y = X·W + b.

    W: (D, M), b: (M,). forward takes X of shape (N, D), a single sample (D,), or (N, d1, d2, ...)
    with d1*d2*... = D, which is flattened to (N, D) as in the primer (images into an MLP).

    backward(dout), dout of shape (N, M):
        dL/dX = dout · Wᵀ        (N, D), reshaped back to X's shape
        dL/dW = Xᵀ · dout        (D, M), kept as self.dW
        dL/db = sum over N of dout   (M,), kept as self.db: b was added to every row
    With input_grad=False, backward skips dL/dX and returns None (for a first layer, whose input is
    data: nobody needs that gradient, and it costs a matrix product as large as dW).
    """

    def __init__(self, W, b, input_grad=True):
        self.W = W
        self.b = b
        self.input_grad = input_grad
        self.x = None
        self.x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        x = _as_float(x)
        D, M = self.W.shape
        if self.b.shape != (M,):
            raise ValueError(f"Affine: b has shape {self.b.shape}, W {self.W.shape} needs ({M},)")
        self.x_shape = x.shape
        x2 = x.reshape(1, -1) if x.ndim == 1 else x.reshape(x.shape[0], -1)
        if x2.shape[1] != D:
            raise ValueError(
                f"Affine: input of shape {x.shape} does not fit W of shape {self.W.shape} "
                f"(each sample must have {D} values, it has {x2.shape[1]})"
            )
        if x2.dtype != self.W.dtype:
            # Cast data to the weights' precision once (float32 images, float64 weights): both
            # products with X, here and in backward, use this copy instead of each making its own.
            x2 = x2.astype(np.result_type(x2, self.W), copy=False)
        self.x = x2
        out = x2 @ self.W
        if out.dtype == self.b.dtype:
            out += self.b  # in place: no second (N, M) array
        else:
            out = out + self.b  # mixed dtypes: numpy picks the sum's dtype, as in the formula
        return out[0] if x.ndim == 1 else out

    def backward(self, dout):
        dout = np.asarray(dout)
        dout2 = dout.reshape(1, -1) if dout.ndim == 1 else dout
        if dout2.shape != (self.x.shape[0], self.W.shape[1]):
            raise ValueError(
                f"Affine.backward: dout has shape {dout.shape}, the forward output had shape "
                f"{(self.x.shape[0], self.W.shape[1])}"
            )
        # np.dot rather than @: same BLAS call and bits, but for a batch of one (an outer product)
        # numpy's matmul took about three times as long here (bench/RESULTS.md).
        self.dW = np.dot(self.x.T, dout2)
        self.db = dout2.sum(axis=0)
        if not self.input_grad:
            return None
        return (dout2 @ self.W.T).reshape(self.x_shape)


# ------------------------------------------------------------------------------- loss layers


def _dense_target(t, y):
    """The target as an array of y's shape: one-hot rows for integer labels."""
    t = np.asarray(t)
    dense = t if t.size == y.size else to_one_hot(t, y.shape[-1])
    return dense.reshape(y.shape)


def _batch_size(x):
    """N for a batch (N, ...) along axis 0; 1 for a single sample (a 0-d or 1-d array)."""
    return 1 if x.ndim <= 1 else x.shape[0]


def _softmax_and_log_softmax(x2):
    """softmax and log-softmax of the rows of x2 (N, C), from one exp(); +inf scores are refused.

    The formulas of common.functions.softmax and log_softmax, sharing the shifted scores and exp().
    """
    row_max = x2.max(axis=1, keepdims=True)
    if (row_max == np.inf).any():  # a row holds +inf exactly when its maximum is +inf
        raise ValueError("log_softmax input contains +inf")
    shifted = x2 - row_max  # <= 0: exp() cannot overflow
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    log_softmax = shifted - np.log(total)
    e /= total  # in place: e becomes softmax(x2)
    return e, log_softmax


class SoftmaxWithLoss:
    """Softmax followed by cross-entropy, as one layer (primer appendix A).

    forward(x, t): x scores (N, C) or (C,); t one-hot of the same shape or integer labels.
    The loss is computed from the scores with log-softmax (finite for any scores, no 1e-7 guard).
    backward(dout=1) returns dout * (y - t) / N: the softmax output minus the target, per sample.
    The attribute t is the target as rows of y's shape (one-hot rows when labels were given).
    """

    def __init__(self):
        self.y = None
        self.loss = None
        self._t_dense = None  # the target as rows of y's shape, when it was given that way
        self._labels = None  # (N,) integer labels (a copy), when the target was given as labels

    def forward(self, x, t):
        x2, t2, is_labels = _batched(x, t, "softmax_cross_entropy")  # shapes, labels, NaN: once
        y2, logp = _softmax_and_log_softmax(x2)
        n = x2.shape[0]
        if is_labels:
            self.loss = float(-np.sum(logp[np.arange(n), t2]) / n)
        else:
            # Skip zero targets so a class with log-probability -inf contributes 0, not 0 * -inf = NaN.
            self.loss = float(-np.sum(np.where(t2 != 0, t2 * logp, 0.0)) / n)
        self.y = y2.reshape(np.shape(x))
        self._labels = t2.copy() if is_labels else None
        self._t_dense = None if is_labels else _dense_target(t, self.y)
        return self.loss

    @property
    def t(self):
        """The target as an array of y's shape: one-hot rows for labels, built only when asked for."""
        if self._labels is not None:
            return to_one_hot(self._labels, self.y.shape[-1]).reshape(self.y.shape)
        return self._t_dense

    @t.setter
    def t(self, value):
        self._t_dense, self._labels = value, None

    def backward(self, dout=1):
        """Returns dL/dx = dout * (y - t) / N, shape of x."""
        if self._labels is None:
            return dout * (self.y - self.t) / _batch_size(self.y)
        # y - t for one-hot t: y with 1 subtracted at each sample's label; no (N, C) one-hot built.
        # The copy is at least float64, as y - t with float64 one-hot rows would be.
        diff = self.y.astype(np.result_type(self.y, np.float64))
        rows = diff.reshape(-1, diff.shape[-1])  # a view: (C,) becomes (1, C)
        rows[np.arange(len(rows)), self._labels] -= 1
        dx = dout * diff
        dx /= _batch_size(self.y)  # in place: dout * (y - t) / N, in the formula's order
        return dx


class SigmoidWithLoss:
    """Sigmoid followed by binary cross-entropy, as one layer.

    forward(x, t): x scores of any shape, t targets in [0, 1] of the same shape.
    Loss per element: -[t log σ(x) + (1 - t) log(1 - σ(x))], computed stably from x as
    max(x, 0) - x t + log(1 + exp(-|x|)); summed over outputs and averaged over the batch (axis 0).
    backward(dout=1) returns dout * (σ(x) - t) / N.
    """

    def __init__(self):
        self.y = None
        self.t = None
        self.loss = None

    def forward(self, x, t):
        x = _as_float(x)
        t = _as_float(t)
        if t.shape != x.shape:
            raise ValueError(f"SigmoidWithLoss: target shape {t.shape} != score shape {x.shape}")
        if np.isnan(x).any() or np.isnan(t).any():
            raise ValueError("SigmoidWithLoss: input contains NaN")
        if ((t < 0) | (t > 1)).any():
            raise ValueError("SigmoidWithLoss: targets must lie in [0, 1]")
        self.y = sigmoid(x)
        self.t = t
        per_element = np.maximum(x, 0) - x * t + np.log1p(np.exp(-np.abs(x)))
        self.loss = float(np.sum(per_element) / _batch_size(x))
        return self.loss

    def backward(self, dout=1):
        """Returns dL/dx = dout * (σ(x) - t) / N, shape of x."""
        return dout * (self.y - self.t) / _batch_size(self.y)


class IdentityWithLoss:
    """Identity output followed by squared error, as one layer (for regression).

    forward(x, t): x outputs (N, D) or (D,); t targets of the same shape (or integer labels).
    Loss: 0.5 * sum (x - t)^2 per sample, averaged over the batch.
    backward(dout=1) returns dout * (y - t) / N with y = x.
    """

    def __init__(self):
        self.y = None
        self.t = None
        self.loss = None

    def forward(self, x, t):
        self.loss = mean_squared_error(x, t)  # also checks shapes, labels and NaN
        self.y = _as_float(x)
        self.t = _dense_target(t, self.y)
        return self.loss

    def backward(self, dout=1):
        """Returns dL/dx = dout * (y - t) / N, shape of x."""
        return dout * (self.y - self.t) / _batch_size(self.y)


# ------------------------------------------------------------------- regularisation (primer §6.3-6.4)


class Dropout:
    """Dropout (primer §6.4.3): in training, each unit is switched off with probability dropout_ratio.

    forward(x, train_flg=True):
        training:   y = x ⊙ mask,  mask = (u > dropout_ratio), u ~ Uniform[0, 1) drawn afresh per call
        inference:  y = x * (1 - dropout_ratio)   (the fraction of units a training pass keeps, on average)
    backward(dout) = dout ⊙ mask: the units that were off pass no gradient back.
    x: any shape. seed: seeds np.random.default_rng (the attribute `rng`, which a caller may replace
    to replay the same masks).
    """

    def __init__(self, dropout_ratio=0.5, seed=None):
        if not 0 <= dropout_ratio < 1:
            raise ValueError(f"dropout_ratio must lie in [0, 1), got {dropout_ratio!r}")
        self.dropout_ratio = dropout_ratio
        self.rng = np.random.default_rng(seed)
        self.mask = None

    def forward(self, x, train_flg=True):
        x = _as_float(x)
        if train_flg:
            self.mask = self.rng.random(x.shape) > self.dropout_ratio
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)

    def backward(self, dout):
        if self.mask is None:
            raise ValueError("Dropout.backward needs a training-mode forward first (it uses its mask)")
        return dout * self.mask


class BatchNormalization:
    """Batch Normalization (primer §6.3): normalise each feature over the mini-batch, then scale and shift.

    Training (train_flg=True), for x of shape (N, D), with means over the batch axis:
        mu = mean(x),  var = mean((x - mu)^2),  std = sqrt(var + eps)
        xn = (x - mu) / std,  y = gamma ⊙ xn + beta
        running_mean <- momentum * running_mean + (1 - momentum) * mu    (same for running_var, var)
    Inference (train_flg=False): xn = (x - running_mean) / sqrt(running_var + eps).
    gamma, beta: (D,). x may also be (N, C, H, W) (after a convolution), normalised as (N, C*H*W).
    eps = 1e-6, as in the primer's code. The running statistics start at mean 0 and variance 1.

    backward(dout), dout of y's shape, after a training-mode forward:
        dbeta = sum(dout),  dgamma = sum(dout ⊙ xn)      kept as self.dbeta, self.dgamma
        dxn = gamma ⊙ dout
        dx = (dxn - mean(dxn) - xn ⊙ mean(dxn ⊙ xn)) / std
    The last line is the chain rule through mu and var as well as x: the mean of dxn is what moving
    every sample together changes, and xn ⊙ mean(dxn ⊙ xn) what stretching them all changes; the
    normalisation undoes both, so neither reaches x.
    """

    EPS = 1e-6

    def __init__(self, gamma, beta, momentum=0.9, running_mean=None, running_var=None):
        self.gamma = gamma
        self.beta = beta
        if not 0 <= momentum < 1:
            raise ValueError(f"momentum must lie in [0, 1), got {momentum!r}")
        self.momentum = momentum
        self.running_mean = running_mean
        self.running_var = running_var
        self.input_shape = None
        self.xn = None
        self.std = None
        self.dgamma = None
        self.dbeta = None

    def forward(self, x, train_flg=True):
        x = _as_float(x)
        self.input_shape = x.shape
        x2 = x.reshape(x.shape[0], -1)
        D = x2.shape[1]
        if self.gamma.shape != (D,) or self.beta.shape != (D,):
            raise ValueError(f"BatchNormalization: input of shape {x.shape} has {D} features per sample, "
                             f"gamma {self.gamma.shape} and beta {self.beta.shape} need ({D},)")
        if self.running_mean is None:
            self.running_mean, self.running_var = np.zeros(D), np.ones(D)
        if train_flg:
            mu = x2.mean(axis=0)
            var = ((x2 - mu) ** 2).mean(axis=0)
            self.std = np.sqrt(var + self.EPS)
            self.xn = (x2 - mu) / self.std
            self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
            self.running_var = self.momentum * self.running_var + (1 - self.momentum) * var
            xn = self.xn
        else:
            self.xn = self.std = None  # backward belongs to a training pass
            xn = (x2 - self.running_mean) / np.sqrt(self.running_var + self.EPS)
        return (self.gamma * xn + self.beta).reshape(self.input_shape)

    def backward(self, dout):
        if self.xn is None:
            raise ValueError("BatchNormalization.backward needs a training-mode forward first")
        dout2 = np.asarray(dout).reshape(self.xn.shape)
        self.dbeta = dout2.sum(axis=0)
        self.dgamma = (dout2 * self.xn).sum(axis=0)
        dxn = self.gamma * dout2
        dx = (dxn - dxn.mean(axis=0) - self.xn * (dxn * self.xn).mean(axis=0)) / self.std
        return dx.reshape(self.input_shape)
