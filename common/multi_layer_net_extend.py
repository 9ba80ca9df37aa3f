"""MultiLayerNetExtend: MultiLayerNet with Batch Normalization and Dropout, as the primer's (§6.3-6.4).

    Affine1 -> [BatchNorm1] -> Activation_function1 -> [Dropout1] -> ... -> Affine(L) -> SoftmaxWithLoss

The bracketed layers are there when use_batchnorm / use_dropout say so. Both behave differently in
training and at inference, so predict, loss and accuracy take train_flg (False by default: inference),
and gradient works in training mode, as the primer's does. As in MultiLayerNet, `params` is the single
source of truth: its arrays are bound to the layers before each forward pass.
"""

from collections import OrderedDict

import numpy as np

from common.gradient import numerical_gradient
from common.layers import Affine, BatchNormalization, Dropout, SoftmaxWithLoss
from common.multi_layer_net import _ACTIVATIONS, _init_params, _scores_of_finite


class MultiLayerNetExtend:
    """input_size -> hidden_size_list[0] -> ... -> output_size, optionally with batch norm and dropout.

    The arguments of MultiLayerNet (see there), plus:
    use_dropout: a Dropout layer after every hidden activation, dropping with probability
        dropout_ration (the primer's spelling of the argument).
    use_batchnorm: a BatchNormalization layer between every hidden Affine and its activation, with
        its own gamma{i} (ones) and beta{i} (zeros) in `params`, of shape (H_i,).
    seed: seeds the weights and the dropout masks.
    """

    def __init__(self, input_size, hidden_size_list, output_size, activation="relu",
                 weight_init_std="relu", weight_decay_lambda=0, use_dropout=False, dropout_ration=0.5,
                 use_batchnorm=False, seed=None):
        if activation not in _ACTIVATIONS:
            raise ValueError(f"activation must be one of {sorted(_ACTIVATIONS)}, got {activation!r}")
        sizes = [input_size, *hidden_size_list, output_size]
        if not all(isinstance(n, int | np.integer) and n >= 1 for n in sizes):
            raise ValueError(f"layer sizes must be integers >= 1, got {sizes}")
        self.sizes = [int(n) for n in sizes]
        self.hidden_layer_num = len(hidden_size_list)
        self.weight_decay_lambda = weight_decay_lambda
        self.use_dropout = use_dropout
        self.use_batchnorm = use_batchnorm
        rng = np.random.default_rng(seed)
        self.params = _init_params(self.sizes, weight_init_std, rng)

        self.layers = OrderedDict()
        for i in range(1, self.hidden_layer_num + 1):
            self.layers[f"Affine{i}"] = Affine(self.params[f"W{i}"], self.params[f"b{i}"], input_grad=i > 1)
            if use_batchnorm:
                self.params[f"gamma{i}"] = np.ones(self.sizes[i])
                self.params[f"beta{i}"] = np.zeros(self.sizes[i])
                self.layers[f"BatchNorm{i}"] = BatchNormalization(self.params[f"gamma{i}"],
                                                                  self.params[f"beta{i}"])
            self.layers[f"Activation_function{i}"] = _ACTIVATIONS[activation]()
            if use_dropout:
                self.layers[f"Dropout{i}"] = Dropout(dropout_ration, seed=rng.spawn(1)[0])
        last = self.hidden_layer_num + 1
        self.layers[f"Affine{last}"] = Affine(self.params[f"W{last}"], self.params[f"b{last}"],
                                              input_grad=last > 1)
        self.last_layer = SoftmaxWithLoss()

    def _bind_params(self):
        """Hand each layer the current arrays of `params`."""
        for i in range(1, self.hidden_layer_num + 2):
            affine = self.layers[f"Affine{i}"]
            affine.W, affine.b = self.params[f"W{i}"], self.params[f"b{i}"]
            if self.use_batchnorm and i <= self.hidden_layer_num:
                bn = self.layers[f"BatchNorm{i}"]
                bn.gamma, bn.beta = self.params[f"gamma{i}"], self.params[f"beta{i}"]

    def predict(self, x, train_flg=False):
        """Scores before softmax, x: (N, D) -> (N, C). train_flg: training-mode dropout / batch norm."""
        self._bind_params()
        for layer in self.layers.values():
            if isinstance(layer, Dropout | BatchNormalization):
                x = layer.forward(x, train_flg)
            else:
                x = layer.forward(x)
        return x

    def loss(self, x, t, train_flg=False):
        """Mean cross-entropy plus the weight-decay penalty (lambda / 2) * sum of ||W||^2."""
        data_loss = self.last_layer.forward(_scores_of_finite(self.predict(x, train_flg), x, self), t)
        if self.weight_decay_lambda == 0:
            return data_loss
        weights = (self.params[f"W{i}"] for i in range(1, self.hidden_layer_num + 2))
        return data_loss + 0.5 * self.weight_decay_lambda * sum(np.sum(W**2) for W in weights)

    def accuracy(self, x, t):
        """Fraction of samples classified right, at inference (train_flg=False). t: (N,) or (N, C)."""
        y = np.argmax(_scores_of_finite(self.predict(x, train_flg=False), x, self), axis=-1)
        t = np.asarray(t)
        if t.ndim == y.ndim + 1:
            t = np.argmax(t, axis=-1)
        if t.shape != y.shape:
            raise ValueError(f"accuracy: target shape {t.shape} does not match {y.shape} predictions")
        return float(np.mean(y == t))

    def gradient(self, x, t):
        """Gradients of loss(x, t, train_flg=True) by backpropagation: a dict with the keys of `params`
        (W1, b1, ..., and gamma1, beta1, ... with batch norm)."""
        self.loss(x, t, train_flg=True)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)
        grads = {}
        for i in range(1, self.hidden_layer_num + 2):
            affine = self.layers[f"Affine{i}"]
            grads[f"W{i}"] = affine.dW + self.weight_decay_lambda * affine.W
            grads[f"b{i}"] = affine.db
            if self.use_batchnorm and i <= self.hidden_layer_num:
                grads[f"gamma{i}"] = self.layers[f"BatchNorm{i}"].dgamma
                grads[f"beta{i}"] = self.layers[f"BatchNorm{i}"].dbeta
        return grads

    def numerical_gradient(self, x, t):
        """Gradients of loss(x, t, train_flg=True) by central differences, in float64 (slow).

        With dropout every loss evaluation draws new masks, so the differences measure noise, not a
        gradient: to check one, give each Dropout layer the same fresh rng before every evaluation.
        """
        x64 = np.asarray(x, dtype=np.float64)

        def loss_at(_):
            return self.loss(x64, t, train_flg=True)

        return {key: numerical_gradient(loss_at, self.params[key]) for key in self.params}
