"""MultiLayerNet: a fully connected net of any depth, with the primer's constructor (primer §6.1-6.4).

    Affine1 -> Activation_function1 -> ... -> Affine(L) -> SoftmaxWithLoss

`params` (W1, b1, W2, b2, ...) is the single source of truth. Before each forward pass the network
binds those arrays to its layers (`_bind_params`), so a caller may replace an entry (say, with a
float32 copy) and the network uses the new array, and an in-place update (`params[k] -= ...`) is seen
at once.

Rules on input (tests/test_bad_input.py): layer sizes are integers >= 1 (TypeError for 4.5 or "4",
ValueError for 0), in every network alike; weight_init_std is a finite number >= 0 or one of the
names below; weight_decay_lambda a finite number >= 0; seed None or an integer >= 0. Inputs and
targets are checked where they are used: x by the first Affine layer, t by SoftmaxWithLoss (the
rule of common.functions), and accuracy's targets for their range and for an empty batch.
"""

import re
from collections import OrderedDict

import numpy as np

from common import _checks as check
from common.gradient import float64_gradients
from common.layers import Affine, BatchNormalization, Dropout, Relu, Sigmoid, SoftmaxWithLoss

_ACTIVATIONS = {"sigmoid": Sigmoid, "relu": Relu}
# weight_init_std given as a name: s = sqrt(gain / n_in), Xavier for sigmoid, He for ReLU (primer §6.2).
_INIT_GAINS = {"sigmoid": 1.0, "xavier": 1.0, "relu": 2.0, "he": 2.0}
# The parameters a layer holds, by the layer's name: Affine3 holds params W3 and b3 as .W and .b.
_LAYER_PARAMS = {"Affine": ("W", "b"), "BatchNorm": ("gamma", "beta")}


class MultiLayerNet:
    """input_size -> hidden_size_list[0] -> ... -> output_size, with `activation` between Affines.

    input_size D, hidden_size_list [H1, ..., Hk], output_size C give k + 1 Affine layers:
        W1 (D, H1), b1 (H1,), ..., W(k+1) (Hk, C), b(k+1) (C,)
    activation: "relu" or "sigmoid". weight_init_std: a number s (weights ~ N(0, s^2)), or "relu"/"he"
    (s = sqrt(2 / n_in)) or "sigmoid"/"xavier" (s = sqrt(1 / n_in)). Biases start at 0.
    weight_decay_lambda: lambda of the L2 penalty (lambda / 2) * sum of ||W||^2 added to the loss.
    seed: seeds np.random.default_rng; the same seed gives the same weights.
    XOR, for example, is MultiLayerNet(2, [8], 2, activation="sigmoid").
    """

    def __init__(self, input_size, hidden_size_list, output_size, activation="relu",
                 weight_init_std="relu", weight_decay_lambda=0, seed=None):
        self.sizes, weight_init_std, self.weight_decay_lambda, rng = check.network(
            type(self).__name__, input_size, hidden_size_list, output_size, activation, _ACTIVATIONS,
            weight_init_std, _INIT_GAINS, weight_decay_lambda, seed)
        self.params = _init_params(self.sizes, weight_init_std, rng)
        n_affine = len(self.sizes) - 1
        self.layers = OrderedDict()
        for i in range(1, n_affine + 1):
            # The first layer's input is data: its gradient is never needed, so don't compute it.
            self.layers[f"Affine{i}"] = Affine(self.params[f"W{i}"], self.params[f"b{i}"], input_grad=i > 1)
            if i < n_affine:
                self.layers.update(self._hidden_layers(i, activation, rng))
        self.last_layer = SoftmaxWithLoss()
        self._bindings = []  # (layer, its attribute, the params key) for every parameter: found once
        for name, layer in self.layers.items():
            kind, index = re.fullmatch(r"(\D+)(\d+)", name).groups()
            self._bindings += [(layer, attr, attr + index) for attr in _LAYER_PARAMS.get(kind, ())]
        # The layers that behave differently in training: their forward takes train_flg.
        self._modal = {layer for layer in self.layers.values()
                       if isinstance(layer, Dropout | BatchNormalization)}

    def _hidden_layers(self, i, activation, rng):
        """The layers after hidden Affine i, by name: its activation."""
        return {f"Activation_function{i}": _ACTIVATIONS[activation]()}

    def _bind_params(self):
        """Hand each layer the current arrays of `params`."""
        for layer, attr, key in self._bindings:
            setattr(layer, attr, self.params[key])

    def predict(self, x, train_flg=False):
        """Scores before softmax. x: (N, D) or (D,) -> (N, C) or (C,).

        train_flg: run the layers that behave differently in training (Dropout, BatchNormalization,
        which MultiLayerNetExtend adds) in training mode; this class's own layers have no modes.
        """
        self._bind_params()
        for layer in self.layers.values():
            x = layer.forward(x, train_flg) if layer in self._modal else layer.forward(x)
        return x

    def loss(self, x, t, train_flg=False):
        """Mean cross-entropy of softmax(predict(x)), plus the penalty (lambda / 2) * sum of ||W||^2.

        t: labels (N,) or one-hot (N, C).
        """
        scores = check.scores_of_finite_input(self.predict(x, train_flg), x, type(self).__name__)
        data_loss = self.last_layer.forward(scores, t)
        if self.weight_decay_lambda == 0:
            return data_loss
        weights = (self.params[key] for _, attr, key in self._bindings if attr == "W")
        return data_loss + 0.5 * self.weight_decay_lambda * sum(np.sum(W**2) for W in weights)

    def accuracy(self, x, t):
        """Fraction of samples whose highest score is the target class. x: (N, D); t: (N,) or (N, C).

        Targets are read by the rule of the losses (common.functions.target_is_labels); labels
        must be integers in 0..C-1.
        """
        scores = check.scores_of_finite_input(self.predict(x), x, type(self).__name__)
        t, is_labels = check.accuracy_target(scores, t, f"{type(self).__name__}.accuracy")
        if not is_labels:
            t = np.argmax(t, axis=-1)  # one-hot rows to labels
        return float(np.mean(np.argmax(scores, axis=-1) == t.reshape(-1)))

    def gradient(self, x, t):
        """Gradients of loss(x, t, train_flg=True) by backpropagation: a dict with the keys of `params`."""
        self.loss(x, t, train_flg=True)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)
        grads = {key: getattr(layer, "d" + attr) for layer, attr, key in self._bindings}
        if self.weight_decay_lambda != 0:  # d/dW of (lambda / 2)||W||^2; skipped, not added as 0 * W
            for layer, attr, key in self._bindings:
                if attr == "W":
                    grads[key] = layer.dW + self.weight_decay_lambda * layer.W
        return grads

    def numerical_gradient(self, x, t):
        """Gradients of loss(x, t, train_flg=True) by central differences, always in float64.

        Slow: two loss evaluations per parameter. Float32 parameters are copied to float64 for the
        computation (in float32 the rounding of the loss swamps the differences) and put back after.
        """
        x64 = np.asarray(x, dtype=np.float64)
        return float64_gradients(self.params, lambda: self.loss(x64, t, train_flg=True))


def _init_params(sizes, weight_init_std, rng):
    """W{i} ~ N(0, s^2), s the number weight_init_std or sqrt(gain / n_in) for its name; b{i} = 0."""
    params = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        named = isinstance(weight_init_std, str)
        scale = np.sqrt(_INIT_GAINS[weight_init_std] / n_in) if named else weight_init_std
        params[f"W{i}"] = scale * rng.standard_normal((n_in, n_out))
        params[f"b{i}"] = np.zeros(n_out)
    return params
