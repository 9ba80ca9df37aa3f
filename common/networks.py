"""Networks built from the layers: TwoLayerNet (primer chapters 4-5) and MultiLayerNet (any depth).

`params` is the single source of truth: a dict of arrays W1, b1, W2, b2, ... The layers read their
weights from it on every forward pass, so a caller may replace an entry (say, with a float32 copy)
and the network uses the new array.
"""

import numpy as np

from common.gradient import numerical_gradient
from common.layers import Affine, Relu, Sigmoid, SoftmaxWithLoss

_ACTIVATIONS = {"sigmoid": Sigmoid, "relu": Relu}


class _AffineStack:
    """Affine -> activation -> ... -> Affine -> SoftmaxWithLoss, with weights read from `params`."""

    def __init__(self, params, activation):
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(_ACTIVATIONS)}, got {activation!r}")
        self.params = params
        n_affine = len(params) // 2
        # The first layer's input is data: its gradient is never needed, so don't compute it.
        self.affines = [Affine(None, None, input_grad=(i > 1)) for i in range(1, n_affine + 1)]
        self.activations = [_ACTIVATIONS[activation]() for _ in range(n_affine - 1)]
        self.last_layer = SoftmaxWithLoss()

    def _layers(self):
        for i, affine in enumerate(self.affines, start=1):
            affine.W, affine.b = self.params[f"W{i}"], self.params[f"b{i}"]
            yield affine
            if i <= len(self.activations):
                yield self.activations[i - 1]

    def predict(self, x):
        """Scores before softmax. x: (N, D) or (D,) -> (N, C) or (C,)."""
        for layer in self._layers():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        """Mean cross-entropy of softmax(predict(x)). t: labels (N,) or one-hot (N, C)."""
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x, t):
        """Fraction of samples whose highest score is the target class. x: (N, D); t: (N,) or (N, C)."""
        y = np.argmax(self.predict(x), axis=-1)
        t = np.asarray(t)
        if t.ndim == y.ndim + 1:
            t = np.argmax(t, axis=-1)
        if t.shape != y.shape:
            raise ValueError(f"accuracy: target shape {t.shape} does not match {y.shape} predictions")
        return float(np.mean(y == t))

    def gradient(self, x, t):
        """Gradients of loss(x, t) by backpropagation: a dict with the keys of `params`."""
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        layers = list(self._layers())
        for layer in reversed(layers):
            dout = layer.backward(dout)
        grads = {}
        for i, affine in enumerate(self.affines, start=1):
            grads[f"W{i}"], grads[f"b{i}"] = affine.dW, affine.db
        return grads

    def numerical_gradient(self, x, t):
        """Gradients of loss(x, t) by central differences, always in float64.

        Slow: two loss evaluations per parameter. Float32 parameters are copied to float64 for the
        computation (in float32 the rounding of the loss swamps the differences) and put back after.
        """
        saved = dict(self.params)
        try:
            for key, value in saved.items():
                self.params[key] = np.array(value, dtype=np.float64)  # a fresh copy
            x64 = np.asarray(x, dtype=np.float64)

            def loss_at(_):
                return self.loss(x64, t)

            return {key: numerical_gradient(loss_at, self.params[key]) for key in saved}
        finally:
            self.params.update(saved)


class TwoLayerNet(_AffineStack):
    """The primer's two-layer net: Affine -> Sigmoid (or Relu) -> Affine -> SoftmaxWithLoss.

    Weights are drawn from N(0, weight_init_std^2), biases start at 0:
        W1 (input_size, hidden_size), b1 (hidden_size,), W2 (hidden_size, output_size), b2 (output_size,)
    The same seed gives the same weights.
    """

    def __init__(
        self, input_size, hidden_size, output_size, weight_init_std=0.01, seed=None, activation="sigmoid"
    ):
        sizes = [input_size, hidden_size, output_size]
        rng = np.random.default_rng(seed)
        params = {}
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
            params[f"W{i}"] = weight_init_std * rng.standard_normal((n_in, n_out))
            params[f"b{i}"] = np.zeros(n_out)
        super().__init__(params, activation)


class MultiLayerNet(_AffineStack):
    """A fully connected net of any depth: sizes [D, H1, ..., C] gives len(sizes) - 1 Affine layers.

    Hidden layers use `activation` ("sigmoid" or "relu"), the output SoftmaxWithLoss. Weights start
    as N(0, s^2) with s = sqrt(1 / n_in) (Xavier) for sigmoid and sqrt(2 / n_in) (He) for ReLU,
    like the primer's multi-layer net; pass weight_init_std to use one fixed s instead. Biases
    start at 0. XOR, for example, is MultiLayerNet([2, 8, 2]).
    """

    def __init__(self, sizes, activation="sigmoid", seed=None, weight_init_std=None):
        sizes = [int(n) for n in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes needs at least an input and an output size, all >= 1: {sizes}")
        rng = np.random.default_rng(seed)
        gain = 2.0 if activation == "relu" else 1.0
        params = {}
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
            scale = weight_init_std if weight_init_std is not None else np.sqrt(gain / n_in)
            params[f"W{i}"] = scale * rng.standard_normal((n_in, n_out))
            params[f"b{i}"] = np.zeros(n_out)
        self.sizes = sizes
        super().__init__(params, activation)
