"""Layers with forward() and backward(dout), as built in the primer's chapter 5 (误差反向传播法).

Each layer remembers what its backward pass needs from the forward pass. backward(dout) takes the
gradient of the loss with respect to the layer's output and returns the gradient with respect to its
input; it never modifies `dout` (the caller may still need it). Parameter layers keep their
gradients as attributes (Affine.dW, Affine.db).

Rules on input (tests/test_bad_input.py holds a case for each). Each forward and backward checks its
input once, with one call into common._checks, and then reads as its formula:

* forward takes what common.functions takes: arrays of real numbers (TypeError otherwise, naming
  the layer and the parameter). NaN passes through Relu, Sigmoid and Affine (NaN in, NaN out); the
  loss layers refuse it, as the losses of common.functions do, and read targets by the same rule;
  SoftmaxWithLoss alone warns and returns NaN for NaN or +inf scores (a diverged network, see its
  docstring).
* backward(dout) before any forward raises RuntimeError (there is nothing to differentiate yet).
  Relu, Sigmoid and Affine take a dout of exactly the shape their forward returned, nothing that
  merely broadcasts to it (ValueError); a loss layer takes a finite real number, 1 by default.
* MulLayer and AddLayer stay as general as the primer's: anything numpy multiplies or adds.
* Affine(W, b) holds W, a 2-D float ndarray (D, M), and b, a float ndarray (M,), by reference, so an
  in-place update of a network's params is seen at once; None, lists or other shapes are refused
  (TypeError / ValueError naming W or b). Its input is one sample (D,) or a batch (N, ...) with
  N >= 1 whose sample size is D.
* Convolution(W, b) holds W (FN, C, FH, FW) and b (FN,) the same way. Convolution and Pooling take a
  batch of images (N, C, H, W), N >= 1, and refuse a window that does not fit a whole number of
  strides, naming the stride (tests/test_conv_layers.py holds their cases).
"""

import functools

import numpy as np

from common import _checks as check
from common.functions import _cross_entropy, _mean_squared_error, _sigmoid, _weighted, sigmoid
from common.util import _add_windows, _fields

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
    """y = max(0, x). Backward: dL/dx = dout where x > 0, and 0 where x <= 0 (the switch is off)."""

    def __init__(self):
        self.mask = None  # True where x <= 0

    def forward(self, x):
        """x: any shape -> y: same shape."""
        x = check.real_array(x, "Relu.forward: x")
        self.mask = x <= 0
        # max(x, 0) rather than the primer's copy-then-zero: the same values (NaN stays NaN), but a
        # write through a boolean mask costs about 6x as much on a conv layer's output (bench/RESULTS.md)
        return np.maximum(x, 0)

    def backward(self, dout):
        """dout: the shape of y -> dL/dx, same shape (a new array)."""
        dout = check.dout(self, dout, None if self.mask is None else self.mask.shape)
        # dout where x > 0, else 0, as a product: a masked write (the primer's dx[mask] = 0) or np.where
        # costs 5-6x as much on a convolution's output (NaN in dout stays NaN, as NaN passes everywhere)
        return dout * ~self.mask


class Sigmoid:
    """y = 1 / (1 + exp(-x)). Backward: dL/dx = dout * y * (1 - y), from the stored output y."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        """x: any shape -> y: same shape."""
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        """dout: the shape of y -> dL/dx, same shape."""
        dout = check.dout(self, dout, None if self.out is None else self.out.shape)
        return dout * self.out * (1 - self.out)


# ----------------------------------------------------------------------------------- affine


class Affine:
    """Fully connected layer Y = X·W + b.

    W: (D, M), b: (M,). forward takes X of shape (N, D), a single sample (D,), or (N, d1, d2, ...)
    with d1*d2*... = D, which is flattened to (N, D) as in the primer (images into an MLP).

    backward(dout), dout of Y's shape:
        dL/dX = dout · Wᵀ        (N, D), reshaped back to X's shape
        dL/dW = Xᵀ · dout        (D, M), kept as self.dW
        dL/db = sum over N of dout   (M,), kept as self.db: b was added to every row
    With input_grad=False, backward skips dL/dX and returns None (for a first layer, whose input is
    data: nobody needs that gradient, and it costs a matrix product as large as dW).
    """

    def __init__(self, W, b, input_grad=True):
        self.W, self.b = check.affine_params(W, b, "Affine")
        self.input_grad = input_grad
        self.x = None  # the input as (N, D)
        self.x_shape = None  # the input's own shape, for dL/dX
        self.out_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        """X (N, D), one sample (D,) or (N, d1, d2, ...) -> Y (N, M), or (M,) for one sample."""
        x = check.affine_input(x, self.W, self.b, "Affine.forward")
        self.x_shape = x.shape
        self.x = x.reshape(1 if x.ndim == 1 else x.shape[0], -1)  # X as the (N, D) of the formula
        out = np.dot(self.x, self.W) + self.b
        if x.ndim == 1:  # one sample in, one row out
            out = out[0]
        self.out_shape = out.shape
        return out

    def backward(self, dout):
        """dL/dY, Y's shape -> dL/dX, X's shape (None without input_grad); keeps dL/dW and dL/db."""
        dout = check.dout(self, dout, self.out_shape).reshape(len(self.x), -1)  # (M,) as a batch of one
        # np.dot, as the primer writes it, rather than @: the same bits, but for a batch of one (an
        # outer product) numpy's matmul took about three times as long (bench/RESULTS.md).
        self.dW = np.dot(self.x.T, dout)
        self.db = dout.sum(axis=0)
        if not self.input_grad:
            return None
        return np.dot(dout, self.W.T).reshape(self.x_shape)


# ------------------------------------------------------------------------------- loss layers


def _batch_size(x):
    """N for a batch (N, ...) along axis 0; 1 for a single sample (a 0-d or 1-d array)."""
    return 1 if x.ndim <= 1 else x.shape[0]


def _y_minus_t(y, t):
    """y - t, with integer labels t read as their one-hot rows."""
    if t.shape == y.shape:  # one-hot (or soft) rows
        return y - t
    return y - _identity(y.shape[-1])[t]  # labels: row t of the identity is t's one-hot row


@functools.lru_cache(maxsize=8)
def _identity(n):
    """np.eye(n), made once per n (read-only, so no caller can change the cached copy)."""
    eye = np.eye(n)
    eye.flags.writeable = False
    return eye


DIVERGED = ("SoftmaxWithLoss: the scores contain NaN or +inf, so the network has diverged (try a smaller "
            "learning rate or initial weight scale); the loss and gradients are NaN")


class SoftmaxWithLoss:
    """Softmax followed by cross-entropy, as one layer (primer §5.6.3 and appendix A).

    forward(x, t): x scores (N, C) or (C,); t one-hot (or soft) rows of the same shape, or integer
    labels. y = softmax(x); the loss is softmax_cross_entropy(x, t), from the scores (finite for any
    finite scores, no 1e-7 guard). t is kept as given: rows of y's shape, or labels.
    backward(dout=1) returns dout * (y - t) / N: the softmax output minus the target, per sample.

    Scores holding NaN or +inf mean the network has diverged (a learning rate or initial weights too
    large). The layer then warns (RuntimeWarning) and returns a NaN loss and NaN gradients, as the
    primer's layer computes them, so a training loop such as the primer's ch06/batch_norm_test.py runs
    on and shows the divergence; common.functions.softmax_cross_entropy, called directly, refuses them.
    """

    def __init__(self):
        self.loss = None
        self.y = None  # softmax output
        self.t = None  # target: one-hot rows of y's shape, or labels of y's shape without the last axis

    def forward(self, x, t):
        """x (N, C) or (C,), t labels or rows -> the mean loss, a Python float."""
        x, t, is_labels, x_max = check.scores_and_target(x, t, "SoftmaxWithLoss.forward", diverged=DIVERGED)
        self.t = t.copy()  # kept for backward: the caller may reuse its array
        if x_max is None:  # NaN or +inf in the scores: check.scores_and_target has warned
            self.y, self.loss = np.full(x.shape, np.nan), float("nan")
            return self.loss
        shifted = x - x_max
        e = np.exp(shifted)
        total = e.sum(axis=-1, keepdims=True)
        self.y = e / total  # softmax(x)
        self.loss = _cross_entropy(shifted - np.log(total), t, is_labels)  # from log softmax(x)
        return self.loss

    def backward(self, dout=1):
        """Returns dL/dx = dout * (y - t) / N, shape of x."""
        dout = check.loss_dout(self, dout)
        return dout * _y_minus_t(self.y, self.t) / _batch_size(self.y)


class SigmoidWithLoss:
    """Sigmoid followed by binary cross-entropy, as one layer.

    forward(x, t): x scores of any shape, t targets in [0, 1] of the same shape.
    Loss per element: -[t log σ(x) + (1 - t) log(1 - σ(x))] = t·softplus(-x) + (1 - t)·softplus(x),
    with softplus(z) = log(1 + e^z) computed without overflow (np.logaddexp(0, z)); summed over
    outputs and averaged over the batch (axis 0). A term whose weight t or 1 - t is 0 counts 0, so
    x = ±inf gives the right loss (0 for x = +inf, t = 1), not inf - inf.
    backward(dout=1) returns dout * (σ(x) - t) / N.
    """

    def __init__(self):
        self.y = None
        self.t = None
        self.loss = None

    def forward(self, x, t):
        """x scores, t targets in [0, 1] of x's shape -> the mean loss, a Python float."""
        x, t = check.binary_scores_and_target(x, t, "SigmoidWithLoss.forward")
        self.t = t
        self.y = _sigmoid(x)
        per_element = _weighted(t, np.logaddexp(0, -x)) + _weighted(1 - t, np.logaddexp(0, x))
        self.loss = float(np.sum(per_element) / _batch_size(x))
        return self.loss

    def backward(self, dout=1):
        """Returns dL/dx = dout * (σ(x) - t) / N, shape of x."""
        dout = check.loss_dout(self, dout)
        return dout * (self.y - self.t) / _batch_size(self.y)


class IdentityWithLoss:
    """Identity output followed by squared error, as one layer (for regression).

    forward(x, t): x outputs (N, D) or (D,); t targets of the same shape (or integer labels, read as
    one-hot rows by the rule of the losses). Loss: mean_squared_error(x, t), 0.5 * sum (x - t)^2 per
    sample, averaged over the batch.
    backward(dout=1) returns dout * (y - t) / N with y = x.
    """

    def __init__(self):
        self.y = None
        self.t = None
        self.loss = None

    def forward(self, x, t):
        """x outputs (N, D) or (D,), t targets -> the mean loss, a Python float."""
        x, t, is_labels = check.output_and_target(x, t, "IdentityWithLoss.forward")
        self.y, self.t = x, t.copy()  # the copy: the caller may reuse its array
        self.loss = _mean_squared_error(x, t, is_labels)
        return self.loss

    def backward(self, dout=1):
        """Returns dL/dx = dout * (y - t) / N, shape of x."""
        dout = check.loss_dout(self, dout)
        return dout * _y_minus_t(self.y, self.t) / _batch_size(self.y)


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
        self.dropout_ratio = check.fraction(dropout_ratio, "Dropout: dropout_ratio")
        self.rng = check.rng(seed, "Dropout: seed")
        self.mask = None

    def forward(self, x, train_flg=True):
        """x: any shape -> y: same shape."""
        x = check.real_array(x, "Dropout.forward: x")
        if train_flg:
            self.mask = self.rng.random(x.shape) > self.dropout_ratio
            return x * self.mask
        self.mask = None  # backward belongs to a training pass
        return x * (1.0 - self.dropout_ratio)

    def backward(self, dout):
        """dout: the shape of y -> dL/dx, same shape."""
        dout = check.dout(self, dout, None if self.mask is None else self.mask.shape,
                          needs="a training-mode forward (it uses its mask)")
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
        self.gamma = check.parameter(gamma, "BatchNormalization: gamma")
        self.beta = check.parameter(beta, "BatchNormalization: beta")
        self.momentum = check.fraction(momentum, "BatchNormalization: momentum")
        self.running_mean = running_mean
        self.running_var = running_var
        self.input_shape = None
        self.xn = None
        self.std = None
        self.dgamma = None
        self.dbeta = None

    def forward(self, x, train_flg=True):
        """x (N, D) or (N, C, H, W) -> y, same shape."""
        x = check.batch_of_features(x, self.gamma, self.beta, "BatchNormalization.forward")
        self.input_shape = x.shape
        x2 = x.reshape(x.shape[0], -1)
        D = x2.shape[1]
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
        """dout: the shape of y -> dL/dx, same shape; keeps dgamma and dbeta."""
        dout = check.dout(self, dout, None if self.xn is None else self.input_shape,
                          needs="a training-mode forward")
        dout2 = dout.reshape(self.xn.shape)
        self.dbeta = dout2.sum(axis=0)
        self.dgamma = (dout2 * self.xn).sum(axis=0)
        dxn = self.gamma * dout2
        dx = (dxn - dxn.mean(axis=0) - self.xn * (dxn * self.xn).mean(axis=0)) / self.std
        return dx.reshape(self.input_shape)


# ------------------------------------------------------------------ convolution and pooling (primer §7.4)


class Convolution:
    """Convolution layer (primer §7.4.3): every filter slid over every image, as matrix products.

    W: (FN, C, FH, FW) filters and b: (FN,) biases, float arrays held by reference (as Affine's), so a
    network's params and optimizers update what the layer uses; b may also be one number, the bias
    of every filter (the primer's ch07/apply_filter.py passes b = 0). stride S >= 1, pad P >= 0.
    forward(x): x (N, C, H, W) -> out (N, FN, OH, OW), OH = (H + 2P - FH) / S + 1, OW likewise:
        col   = im2col(x, FH, FW, S, P)   (N*OH*OW, C*FH*FW): one receptive field per row;
                col_n, its OH*OW rows of image n
        Wc    = W.reshape(FN, C*FH*FW)    one filter per row
        out_n = Wc · col_nᵀ + b           (FN, OH*OW): every filter on every field of image n
    backward(dout): dout (N, FN, OH, OW), d_n = dout[n] as (FN, OH*OW):
        dL/db = sum over n and fields of d_n     (FN,)            kept as self.db
        dL/dW = sum over n of d_n · col_n        (FN, C, FH, FW)  kept as self.dW
        dL/dx = col2im of the rows dcol_nᵀ = (Wcᵀ · d_n)ᵀ           (N, C, H, W)
    The bias is a weight whose input is always 1 (primer §3.2.1): the layer gives every field a last
    entry 1 and every filter its bias as a last weight, so [Wc b] · [col_nᵀ; 1] is out_n, one product
    instead of a product and a pass over the whole output (the same bits: the product adds the bias
    last). backward sums dL/db directly, as the primer does (the product's column of it would round
    differently, and the stored DeepConvNet weights would no longer rebuild bit for bit). The primer
    computes all images at once as col · Wcᵀ, (N*OH*OW, FN), and then moves FN before OH, OW; image by
    image, the products come out in (N, FN, OH, OW) order, so the layers after it read contiguous maps
    (bench/RESULTS.md). With input_grad=False, backward skips dL/dx and returns None (a first layer's
    input is data). A filter that does not fit a whole number of strides is refused (ValueError naming
    the stride), where the primer's code drops the last rows or columns.
    """

    def __init__(self, W, b, stride=1, pad=0, input_grad=True):
        self.W, self.b = check.conv_params(W, b, "Convolution")
        self.stride = check.integer(stride, "Convolution: stride", 1)
        self.pad = check.integer(pad, "Convolution: pad", 0)
        self.input_grad = input_grad
        self.x_shape = None
        self.cols = None  # (N, C*FH*FW + 1, OH*OW): [col_nᵀ; 1] for every image n
        self.out_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        # again here: a network may have rebound W and b (the primer's load_params does)
        self.W, self.b = check.conv_params(self.W, self.b, "Convolution")
        x = check.images("Convolution", x, self.W.shape[1])
        FN, _, FH, FW = self.W.shape
        N = len(x)
        OH, OW = check.window_sizes(x.shape, FH, FW, self.stride, self.pad, "Convolution", ("FH", "FW"))
        # both factors in the type of the product Wc · col: float32 images meet float64 filters in the
        # one copy im2col makes anyway, and a float64 b does not widen float32 filters' output
        dtype = np.result_type(self.W, x)
        fields = _fields(x, FH, FW, self.stride, self.pad, ones=True, dtype=dtype)  # (C*FH*FW + 1, N*OH*OW)
        self.cols = fields.reshape(-1, N, OH * OW).transpose(1, 0, 2)  # a view
        Wb = np.column_stack([self.W.reshape(FN, -1), self.b]).astype(dtype, copy=False)  # [Wc b]
        self.x_shape, self.out_shape = x.shape, (N, FN, OH, OW)
        return np.matmul(Wb, self.cols).reshape(self.out_shape)

    def backward(self, dout):
        dout = check.dout(self, dout, self.out_shape)
        N, FN, OH, OW = self.out_shape
        d = dout.reshape(N, FN, OH * OW)
        self.db = d.sum(axis=(0, 2))
        cols = self.cols[:, :-1]  # col_nᵀ, without the bias's row of ones
        self.dW = np.matmul(d, cols.transpose(0, 2, 1)).sum(axis=0).reshape(self.W.shape)
        if not self.input_grad:
            return None
        dcols = np.matmul(self.W.reshape(FN, -1).T, d)  # (N, C*FH*FW, OH*OW): dcol_nᵀ for every n
        _, C, FH, FW = self.W.shape
        return _add_windows(dcols.reshape(N, C, FH, FW, OH, OW), self.x_shape, self.stride, self.pad)


class Pooling:
    """Max pooling (primer §7.4.4): the largest value of every pool_h × pool_w window, per channel.

    No parameters; stride S >= 1 (1 by default, as in the primer's text; the code in the primer's
    repository defaults to 2, and its scripts always pass it) and pad P >= 0, with P smaller than the
    window (a window of padding alone would have no maximum).
    forward(x): x (N, C, H, W) -> out (N, C, OH, OW), OH = (H + 2P - pool_h) / S + 1, OW likewise,
    whole numbers (ValueError naming the stride if not):
        out[n, c, i, j] = max over (a, b) of xp[n, c, i*S + a, j*S + b],  0 <= a < pool_h, 0 <= b < pool_w
    where xp is x padded by P with -inf, so padding is never the maximum. A window's maximum is the
    largest of its rows' maxima, so the layer pools in two passes, one direction each:
        across: m[n, c, r, j]   = max over b of xp[n, c, r, j*S + b]    (N, C, H + 2P, OW)
        down:   out[n, c, i, j] = max over a of m[n, c, i*S + a, j]     (N, C, OH, OW)
    Each pass takes element-wise maxima of strided slices, one slice per offset, and keeps which offset
    won, the first on ties: so the winner is the window's first maximum in row-major order, the element
    numpy's argmax picks (as one number, arg_max = a*pool_w + b, (N, C, OH, OW)).
    backward(dout): dout (N, C, OH, OW) -> dx (N, C, H, W), the two passes' gradients in reverse:
        dm[n, c, i*S + a, j] += dout[n, c, i, j]  for the winning a of (i, j), else 0
        dx[n, c, r, j*S + b] += dm[n, c, r, j]    for the winning b of (r, j), else 0
    When the windows tile the input (S = pool_h = pool_w, P = 0, the primer's 2×2 pooling with stride
    2), each element lies in exactly one slice of each pass, so backward writes every slice once
    instead of adding into zeros. (Numpy's max over the two short axes of x reshaped to (N, C, OH,
    pool_h, OW, pool_w) was 5-10x slower than element-wise maxima, and maxima over all pool_h*pool_w
    offsets at once about 2x slower than the two passes: bench/RESULTS.md.)
    """

    def __init__(self, pool_h, pool_w, stride=1, pad=0):
        self.pool_h = check.integer(pool_h, "Pooling: pool_h", 1)
        self.pool_w = check.integer(pool_w, "Pooling: pool_w", 1)
        self.stride = check.integer(stride, "Pooling: stride", 1)
        self.pad = check.integer(pad, "Pooling: pad", 0)
        if self.pad >= min(self.pool_h, self.pool_w):
            raise ValueError(f"Pooling: pad must be smaller than pool_h and pool_w, got pad {pad} for a "
                             f"{pool_h}x{pool_w} window (a window of padding alone has no maximum)")
        self.tiles = self.pad == 0 and self.stride == self.pool_h == self.pool_w
        self.x = None
        self.x_shape = None
        self.across = None  # (N, C, H + 2P, OW): the winning b of each row of each window
        self.down = None  # (N, C, OH, OW): the winning a of each window

    def forward(self, x):
        x = check.images("Pooling", x)
        OH, OW = check.window_sizes(x.shape, self.pool_h, self.pool_w, self.stride, self.pad, "Pooling",
                                    ("pool_h", "pool_w"))
        self.x_shape = x.shape
        xp = x if self.pad == 0 else np.pad(x, [(0, 0), (0, 0), (self.pad,) * 2, (self.pad,) * 2],
                                            constant_values=-np.inf)
        m, self.across = _max_of_slices(xp, self._slices(3, self.pool_w, OW))
        out, self.down = _max_of_slices(m, self._slices(2, self.pool_h, OH))
        self.x = x  # a reference: backward lays out dx as x is laid out
        return out

    def backward(self, dout):
        dout = check.dout(self, dout, None if self.down is None else self.down.shape)
        N, C, H, W = self.x_shape
        P = self.pad
        _, _, OH, OW = dout.shape
        dm = self._route(dout, self.down, self._slices(2, self.pool_h, OH), self.across.shape)
        dxp = self._route(dm, self.across, self._slices(3, self.pool_w, OW), (N, C, H + 2 * P, W + 2 * P))
        return dxp[:, :, P:P + H, P:P + W]

    @property
    def arg_max(self):
        """(N, C, OH, OW): each window's winning offset a*pool_w + b (None before forward)."""
        if self.down is None:
            return None
        rows = np.arange(self.down.shape[2]).reshape(-1, 1) * self.stride + self.down  # i*S + a
        return self.down * self.pool_w + np.take_along_axis(self.across, rows, axis=2).astype(np.intp)

    def _slices(self, axis, size, out_size):
        """For each offset k < size: the index of the slice k, k + S, ... (out_size long) along axis."""
        S = self.stride
        return [(slice(None),) * axis + (slice(k, k + S * out_size, S),) for k in range(size)]

    def _route(self, grad, winner, slices, shape):
        """One pass backwards: each value of grad goes to its winning slice of a new array of shape."""
        if self.tiles:  # the slices cover the array once: write each, no zeros to add into
            dx = np.empty(shape, dtype=grad.dtype)
            for k, where in enumerate(slices):
                np.multiply(grad, winner == k, out=dx[where])
            return dx
        dx = np.zeros(shape, dtype=grad.dtype)
        for k, where in enumerate(slices):
            dx[where] += grad * (winner == k)
        return dx


def _max_of_slices(x, slices):
    """The element-wise maximum of x[where] over the slices, and which slice won (the first on ties)."""
    first, *rest = slices
    out = x[first].copy()
    winner = np.zeros(out.shape, dtype=np.min_scalar_type(len(slices)))
    for k, where in enumerate(rest, start=1):
        part = np.ascontiguousarray(x[where])  # numpy's maximum is several times faster on contiguous arrays
        # k grows from slice to slice, so max(winner, k * larger) is k where larger, else unchanged
        # (and much faster than a masked write on a random mask)
        np.maximum(winner, (part > out) * winner.dtype.type(k), out=winner)  # strictly: ties stay
        np.maximum(out, part, out=out)  # (NaN spreads, as in np.max)
    return out, winner
