"""Optimizers: rules that move the parameters against their gradients (primer §6.1).

Rules on input (tests/test_bad_input.py): a learning rate is a finite real number > 0 (TypeError
for "0.1" or None, ValueError for 0, -1, inf or NaN). update(params, grads) takes two dicts with the
same keys; every params value is a float numpy array (updated in place) or a plain number (rebound
by `-=`: the primer's bowl f(x, y) has two), so a list or an integer array is refused; every gradient
has its parameter's shape. Gradients are not scanned for NaN (that would cost a pass over every
parameter on every step): a NaN gradient makes NaN scores, which the next loss refuses.
"""

import numpy as np

from common.functions import _check_real_number


class SGD:
    """Stochastic gradient descent: W <- W - lr * dL/dW, for every parameter, in place.

    In place means the arrays in `params` are updated, not replaced, so every layer that holds a
    reference to them sees the new values.
    """

    def __init__(self, lr=0.01):
        _check_real_number(lr, "SGD: lr (the learning rate)", 0, strict=True)
        self.lr = lr

    def update(self, params, grads):
        """params, grads: dicts with the same keys and arrays of matching shapes."""
        _check_grads(params, grads)
        for key in params.keys():
            params[key] -= self.lr * grads[key]


def _check_grads(params, grads):
    for name, d in (("params", params), ("grads", grads)):
        if not isinstance(d, dict):
            raise TypeError(f"update: {name} must be a dict of arrays, got {type(d).__name__}")
    if params.keys() != grads.keys():
        raise ValueError(f"params and grads differ in keys: {sorted(params)} vs {sorted(grads)}")
    for key, grad in grads.items():
        param = params[key]
        # A float array is updated in place; a plain number (the primer's bowl f(x, y) uses two) is
        # rebound by `-=`, which is the same update. Integer arrays would truncate every step.
        is_array = isinstance(param, np.ndarray) and param.dtype.kind == "f"
        is_number = isinstance(param, float | np.floating | int | np.integer) and not isinstance(param, bool)
        if not (is_array or is_number):
            raise TypeError(f"update: params[{key!r}] must be a float numpy array (updated in place) or a "
                            f"number, got {type(param).__name__}"
                            + (f" of dtype {param.dtype}" if isinstance(param, np.ndarray) else ""))
        if np.shape(grad) != np.shape(param):
            raise ValueError(f"grads[{key!r}] has shape {np.shape(grad)}, params {np.shape(param)}")


# The rules below keep per-parameter state (velocity, squared-gradient sums) in dicts keyed like
# `params`, created as zeros on the first update; like SGD they change the arrays of `params` in place.
# A parameter may also be a Python float (the primer's bowl f(x, y) uses two): `+=` on a dict entry
# then rebinds it, which is the same update.

_EPS = 1e-7  # keeps the adaptive rules' division finite where a parameter's gradients were all 0


def _positive(value, name):
    return _check_real_number(value, name, 0, strict=True)


def _fraction(value, name):
    """A decay rate: a real number in [0, 1)."""
    value = _check_real_number(value, name, 0)
    if not value < 1:
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")
    return value


def _state(state, params, name):
    """Zeros shaped like `params` on the first call; afterwards the same dict, checked against them."""
    if state is None:
        return {key: np.zeros(np.shape(value)) for key, value in params.items()}
    if state.keys() != params.keys() or any(np.shape(params[k]) != state[k].shape for k in state):
        raise ValueError(f"{name} keeps state for the parameters it first saw; got other keys or shapes "
                         "(use a new optimizer for another network)")
    return state


class Momentum:
    """Momentum SGD (primer §6.1.4): a velocity v that the gradient accelerates and friction slows.

        v <- momentum * v - lr * dL/dW
        W <- W + v
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = _positive(lr, "learning rate lr")
        self.momentum = _fraction(momentum, "momentum")
        self.v = None

    def update(self, params, grads):
        _check_grads(params, grads)
        self.v = _state(self.v, params, type(self).__name__)
        for key in params:
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


class Nesterov:
    """Nesterov's accelerated gradient, in the form of Bengio et al. (arXiv:1212.0901), as the primer's
    code cites it.

    The gradient belongs at the look-ahead point W + momentum * v. Written for the gradient g at the
    stored W (which is what a network gives), one step is

        v <- momentum * v - lr * g
        W <- W + momentum * v - lr * g       (with the new v)

    the momentum step followed by one more look-ahead of the new velocity. Expanded, W moves by
    momentum^2 * v_old - (1 + momentum) * lr * g, the paper's formula. (The primer's code multiplies
    the new v by momentum^2 where the paper has the old one.)
    """

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = _positive(lr, "learning rate lr")
        self.momentum = _fraction(momentum, "momentum")
        self.v = None

    def update(self, params, grads):
        _check_grads(params, grads)
        self.v = _state(self.v, params, type(self).__name__)
        for key in params:
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.momentum * self.v[key] - self.lr * grads[key]


class AdaGrad:
    """AdaGrad (primer §6.1.5): each parameter's step shrinks with the squared gradients it has seen.

        h <- h + dL/dW ⊙ dL/dW
        W <- W - lr * dL/dW / (sqrt(h) + 1e-7)
    """

    def __init__(self, lr=0.01):
        self.lr = _positive(lr, "learning rate lr")
        self.h = None

    def update(self, params, grads):
        _check_grads(params, grads)
        self.h = _state(self.h, params, type(self).__name__)
        for key in params:
            self.h[key] = self.h[key] + grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + _EPS)


class RMSprop:
    """RMSProp: AdaGrad with a memory that fades, so old gradients stop shrinking the step.

        h <- decay_rate * h + (1 - decay_rate) * dL/dW ⊙ dL/dW
        W <- W - lr * dL/dW / (sqrt(h) + 1e-7)
    """

    def __init__(self, lr=0.01, decay_rate=0.99):
        self.lr = _positive(lr, "learning rate lr")
        self.decay_rate = _fraction(decay_rate, "decay_rate")
        self.h = None

    def update(self, params, grads):
        _check_grads(params, grads)
        self.h = _state(self.h, params, type(self).__name__)
        for key in params:
            self.h[key] = self.decay_rate * self.h[key] + (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + _EPS)


class Adam:
    """Adam (primer §6.1.6): momentum on the gradient (m) and RMSProp's scale (v), bias-corrected.

    At step t = 1, 2, ...:
        m <- beta1 * m + (1 - beta1) * g
        v <- beta2 * v + (1 - beta2) * g ⊙ g
        W <- W - lr_t * m / (sqrt(v) + 1e-7),   lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
    lr_t folds the corrections m / (1 - beta1^t) and v / (1 - beta2^t) of the zero start into the rate.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = _positive(lr, "learning rate lr")
        self.beta1 = _fraction(beta1, "beta1")
        self.beta2 = _fraction(beta2, "beta2")
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        _check_grads(params, grads)
        self.m, self.v = _state(self.m, params, "Adam"), _state(self.v, params, "Adam")
        self.iter += 1
        t = self.iter
        lr_t = self.lr * np.sqrt(1 - self.beta2**t) / (1 - self.beta1**t)
        for key in params:
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grads[key]
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * grads[key] * grads[key]
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + _EPS)
