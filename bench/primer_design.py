"""The primer's design of the two-layer net and its training step, re-created as a reference.

Not used by the project: the step benchmark times it beside the project's own step. It follows the
primer's design choices, written afresh here:
  * layers kept in an OrderedDict and walked in order (reversed for backward);
  * every Affine computes its input gradient dX, the first one too, although nobody uses it;
  * a batch is gathered by fancy indexing with np.random.choice (sampling with replacement);
  * labels are one-hot rows; the loss is cross-entropy on softmax probabilities with a 1e-7 guard;
  * SGD writes params[key] -= lr * grads[key], allocating lr * grad for every parameter each step.
"""

from collections import OrderedDict

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def softmax(x):
    """Softmax over the last axis, shifted by the row maximum."""
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    """Batch mean of -log y[label]; one-hot targets are turned back into labels first."""
    if y.ndim == 1:
        y, t = y.reshape(1, -1), t.reshape(1, -1)
    if t.size == y.size:
        t = np.argmax(t, axis=1)
    n = y.shape[0]
    return -np.sum(np.log(y[np.arange(n), t] + 1e-7)) / n


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.x = self.dW = self.db = None

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)  # computed for every layer, the first one included
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx


class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class SoftmaxWithLoss:
    def __init__(self):
        self.y = self.t = self.loss = None

    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):
        n = self.t.shape[0]
        return (self.y - self.t) / n  # one-hot targets


class TwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01, seed=0):
        rng = np.random.default_rng(seed)
        self.params = {
            "W1": weight_init_std * rng.standard_normal((input_size, hidden_size)),
            "b1": np.zeros(hidden_size),
            "W2": weight_init_std * rng.standard_normal((hidden_size, output_size)),
            "b2": np.zeros(output_size),
        }
        self.layers = OrderedDict()
        self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"])
        self.layers["Sigmoid1"] = Sigmoid()
        self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"])
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return {
            "W1": self.layers["Affine1"].dW, "b1": self.layers["Affine1"].db,
            "W2": self.layers["Affine2"].dW, "b2": self.layers["Affine2"].db,
        }


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for key in params:
            params[key] -= self.lr * grads[key]  # lr * grad is a fresh array every time


def make_step(x_train, t_train_one_hot, batch_size, hidden_size=50, lr=0.1, seed=0):
    """A zero-argument function doing one training step the primer's way; returns the batch loss."""
    net = TwoLayerNet(x_train.shape[1], hidden_size, t_train_one_hot.shape[1], seed=seed)
    optimizer = SGD(lr)
    train_size = x_train.shape[0]

    def step():
        batch_mask = np.random.choice(train_size, batch_size)  # noqa: NPY002 (the primer's sampler)
        x_batch, t_batch = x_train[batch_mask], t_train_one_hot[batch_mask]
        grads = net.gradient(x_batch, t_batch)
        optimizer.update(net.params, grads)
        return net.last_layer.loss

    return step
