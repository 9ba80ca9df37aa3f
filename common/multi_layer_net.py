"""MultiLayerNet: a fully connected net of any depth, with the primer's constructor (primer §6.1-6.4).

    Affine1 -> Activation_function1 -> ... -> Affine(L) -> SoftmaxWithLoss

`params` (W1, b1, W2, b2, ...) is the single source of truth. Before each forward pass the network
binds those arrays to its Affine layers (`_bind_params`), so a caller may replace an entry (say, with a
float32 copy) and the network uses the new array, and an in-place update (`params[k] -= ...`) is seen
at once.

Rules on input (tests/test_bad_input.py): layer sizes are integers >= 1 (TypeError for 4.5 or "4",
ValueError for 0), in every network alike; weight_init_std is a finite number >= 0 or one of the
names below; weight_decay_lambda a finite number >= 0; seed None or an integer >= 0. Inputs and
targets are checked where they are used: x by the first Affine layer, t by SoftmaxWithLoss (the
rule of common.functions), and accuracy's targets for their range and for an empty batch.
"""

from collections import OrderedDict

import numpy as np

from common.functions import _check_int, _check_labels, _check_real_number, target_is_labels
from common.gradient import numerical_gradient
from common.layers import Affine, Relu, Sigmoid, SoftmaxWithLoss

_ACTIVATIONS = {"sigmoid": Sigmoid, "relu": Relu}
# weight_init_std given as a name: s = sqrt(gain / n_in), Xavier for sigmoid, He for ReLU (primer §6.2).
_INIT_GAINS = {"sigmoid": 1.0, "xavier": 1.0, "relu": 2.0, "he": 2.0}


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
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(_ACTIVATIONS)}, got {activation!r}")
        if isinstance(hidden_size_list, str) or not hasattr(hidden_size_list, "__iter__"):
            raise TypeError(f"hidden_size_list must be a list of integers, got {hidden_size_list!r}")
        hidden = [_check_int(n, f"hidden_size_list[{i}]", 1) for i, n in enumerate(hidden_size_list)]
        self.sizes = [_check_int(input_size, "input_size", 1), *hidden,
                      _check_int(output_size, "output_size", 1)]
        self.weight_decay_lambda = _check_real_number(weight_decay_lambda, "weight_decay_lambda", 0)
        if seed is not None:
            _check_int(seed, "seed", 0)
        self.params = _init_params(self.sizes, weight_init_std, np.random.default_rng(seed))

        n_affine = len(self.sizes) - 1
        self.layers = OrderedDict()
        for i in range(1, n_affine + 1):
            # The first layer's input is data: its gradient is never needed, so don't compute it.
            self.layers[f"Affine{i}"] = Affine(self.params[f"W{i}"], self.params[f"b{i}"], input_grad=i > 1)
            if i < n_affine:
                self.layers[f"Activation_function{i}"] = _ACTIVATIONS[activation]()
        self.last_layer = SoftmaxWithLoss()
        # (Affine layer's name, its W key, its b key), in order: the names are built once, not every step.
        self._affine_keys = [(f"Affine{i}", f"W{i}", f"b{i}") for i in range(1, n_affine + 1)]

    def _bind_params(self):
        """Hand each Affine layer the current arrays of `params`."""
        for name, w, b in self._affine_keys:
            affine = self.layers[name]
            affine.W, affine.b = self.params[w], self.params[b]

    def predict(self, x):
        """Scores before softmax. x: (N, D) or (D,) -> (N, C) or (C,)."""
        self._bind_params()
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        """Mean cross-entropy of softmax(predict(x)), plus the weight-decay penalty.

        t: labels (N,) or one-hot (N, C).
        """
        data_loss = self.last_layer.forward(_scores_of_finite(self.predict(x), x, self), t)
        if self.weight_decay_lambda == 0:
            return data_loss
        weights = (self.params[w] for _, w, _ in self._affine_keys)
        return data_loss + 0.5 * self.weight_decay_lambda * sum(np.sum(W**2) for W in weights)

    def accuracy(self, x, t):
        """Fraction of samples whose highest score is the target class. x: (N, D); t: (N,) or (N, C).

        Targets are read by the rule of the losses (common.functions.target_is_labels); labels
        must be integers in 0..C-1.
        """
        scores = _scores_of_finite(self.predict(x), x, self)
        t = np.asarray(t)
        if scores.ndim == 2 and len(scores) == 0:
            raise ValueError("accuracy: the batch is empty (the fraction would be 0 / 0)")
        try:
            is_labels = target_is_labels(scores.shape, t)
        except ValueError as err:
            raise ValueError(f"accuracy: {err}") from None
        if is_labels:
            if t.dtype.kind not in "iu":
                raise TypeError(f"accuracy: class labels t must be integers, got dtype {t.dtype}")
            _check_labels(t, scores.shape[-1], "accuracy")
        else:
            t = np.argmax(t.reshape(scores.shape), axis=-1)
        return float(np.mean(np.argmax(scores, axis=-1) == t.reshape(-1)))

    def gradient(self, x, t):
        """Gradients of loss(x, t) by backpropagation: a dict with the keys of `params`."""
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)
        grads = {}
        for name, w, b in self._affine_keys:
            affine = self.layers[name]
            grads[w] = affine.dW
            if self.weight_decay_lambda != 0:  # d/dW of (lambda / 2)||W||^2; skipped, not added as 0 * W
                grads[w] = affine.dW + self.weight_decay_lambda * affine.W
            grads[b] = affine.db
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


def _scores_of_finite(scores, x, network):
    """The scores, once NaN or inf in the input x is refused.

    Scores holding NaN or +inf come from bad data (refused here, naming the network) or from a
    diverged network (left to SoftmaxWithLoss, which warns). The input is looked at only then: one
    reduction over the scores instead of a scan of every input on every step.
    """
    if scores.size and not scores.max() < np.inf:
        x = np.asarray(x)
        if not np.isfinite(x).all():
            raise ValueError(f"{type(network).__name__}: the input x contains NaN or inf")
    return scores


def _init_params(sizes, weight_init_std, rng):
    params = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True), start=1):
        if isinstance(weight_init_std, str):
            if weight_init_std.lower() not in _INIT_GAINS:
                raise ValueError(f"weight_init_std must be a number or one of {sorted(_INIT_GAINS)}, "
                                 f"got {weight_init_std!r}")
            scale = np.sqrt(_INIT_GAINS[weight_init_std.lower()] / n_in)
        else:
            scale = _check_real_number(weight_init_std, "weight_init_std", 0)
        params[f"W{i}"] = scale * rng.standard_normal((n_in, n_out))
        params[f"b{i}"] = np.zeros(n_out)
    return params
