"""Optimizers: rules that move the parameters against their gradients (primer §6.1).

Every rule is an Optimizer: the base class checks update's two dicts once and owns the rule's
per-parameter state (Momentum's velocities v, AdaGrad's sums h, ...), so a rule's update(params,
grads), the primer's signature, is its formula in the primer's lines.

Rules on input (tests/test_bad_input.py): a learning rate is a finite real number > 0 (TypeError
for "0.1" or None, ValueError for 0, -1, inf or NaN); momentum and decay rates lie in [0, 1).
update(params, grads) takes two dicts with the same keys; every params value is a float numpy array
(updated in place) or a plain number (rebound by `-=`: the primer's bowl f(x, y) has two), so a list
or an integer array is refused; every gradient has its parameter's shape. Gradients are not scanned
for NaN (that would cost a pass over every parameter on every step): a NaN gradient makes NaN
scores, which the next loss refuses.
"""

import numpy as np

from common import _checks as check

_EPS = 1e-7  # keeps the adaptive rules' division finite where a parameter's gradients were all 0


class Optimizer:
    """The base of every rule: the learning rate lr, the check of update's input, per-parameter state.

    A rule lists the names of its state in `state` (Momentum: ("v",)); each is an attribute, None
    until the first update, then a dict of zeros keyed and shaped like `params`. A later update with
    other keys or shapes is refused: a new network needs a new optimizer.
    """

    state = ()

    def __init__(self, lr):
        self.lr = check.positive(lr, f"{type(self).__name__}: lr (the learning rate)")
        for name in self.state:
            setattr(self, name, None)

    def _checked(self, params, grads):
        """The keys to update, once params and grads are checked and the state fits them."""
        check.params_and_grads(params, grads, self)
        for name in self.state:
            state = getattr(self, name)
            if state is None:
                setattr(self, name, {key: np.zeros(np.shape(value)) for key, value in params.items()})
            elif state.keys() != params.keys() or any(np.shape(params[k]) != s.shape
                                                      for k, s in state.items()):
                raise ValueError(f"{type(self).__name__}.update: the state is for the parameters it first "
                                 "saw; got other keys or shapes (use a new optimizer for another network)")
        return params.keys()


class SGD(Optimizer):
    """Stochastic gradient descent: W <- W - lr * dL/dW, for every parameter, in place.

    In place means the arrays in `params` are updated, not replaced, so every layer that holds a
    reference to them sees the new values.
    """

    def __init__(self, lr=0.01):
        super().__init__(lr)

    def update(self, params, grads):
        """params, grads: dicts with the same keys and arrays of matching shapes."""
        for key in self._checked(params, grads):
            params[key] -= self.lr * grads[key]


class Momentum(Optimizer):
    """Momentum SGD (primer §6.1.4): a velocity v that the gradient accelerates and friction slows.

        v <- momentum * v - lr * dL/dW
        W <- W + v
    """

    state = ("v",)

    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__(lr)
        self.momentum = check.fraction(momentum, "Momentum: momentum")

    def update(self, params, grads):
        for key in self._checked(params, grads):
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.v[key]


class Nesterov(Optimizer):
    """Nesterov's accelerated gradient, in the form of Bengio et al. (arXiv:1212.0901), as the primer's
    code cites it.

    The gradient belongs at the look-ahead point W + momentum * v. Written for the gradient g at the
    stored W (which is what a network gives), one step is

        v <- momentum * v - lr * g
        W <- W + momentum * v - lr * g       (with the new v)

    the momentum step followed by one more look-ahead of the new velocity. Expanded, W moves by
    momentum^2 * v_old - (1 + momentum) * lr * g, the paper's formula. The primer's code (since its
    repository's fix of January 2021) writes that expanded form: it moves W by momentum^2 * v_old -
    (1 + momentum) * lr * g first and updates v afterwards, the same step as this one. (Its first
    version updated v first, so it multiplied the new v by momentum^2.)
    """

    state = ("v",)

    def __init__(self, lr=0.01, momentum=0.9):
        super().__init__(lr)
        self.momentum = check.fraction(momentum, "Nesterov: momentum")

    def update(self, params, grads):
        for key in self._checked(params, grads):
            self.v[key] = self.momentum * self.v[key] - self.lr * grads[key]
            params[key] += self.momentum * self.v[key] - self.lr * grads[key]


class AdaGrad(Optimizer):
    """AdaGrad (primer §6.1.5): each parameter's step shrinks with the squared gradients it has seen.

        h <- h + dL/dW ⊙ dL/dW
        W <- W - lr * dL/dW / (sqrt(h) + 1e-7)
    """

    state = ("h",)

    def __init__(self, lr=0.01):
        super().__init__(lr)

    def update(self, params, grads):
        for key in self._checked(params, grads):
            self.h[key] = self.h[key] + grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + _EPS)


class RMSprop(Optimizer):
    """RMSProp: AdaGrad with a memory that fades, so old gradients stop shrinking the step.

        h <- decay_rate * h + (1 - decay_rate) * dL/dW ⊙ dL/dW
        W <- W - lr * dL/dW / (sqrt(h) + 1e-7)
    """

    state = ("h",)

    def __init__(self, lr=0.01, decay_rate=0.99):
        super().__init__(lr)
        self.decay_rate = check.fraction(decay_rate, "RMSprop: decay_rate")

    def update(self, params, grads):
        for key in self._checked(params, grads):
            self.h[key] = self.decay_rate * self.h[key] + (1 - self.decay_rate) * grads[key] * grads[key]
            params[key] -= self.lr * grads[key] / (np.sqrt(self.h[key]) + _EPS)


class Adam(Optimizer):
    """Adam (primer §6.1.6): momentum on the gradient (m) and RMSProp's scale (v), bias-corrected.

    At step t = 1, 2, ...:
        m <- beta1 * m + (1 - beta1) * g
        v <- beta2 * v + (1 - beta2) * g ⊙ g
        W <- W - lr_t * m / (sqrt(v) + 1e-7),   lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
    lr_t folds the corrections m / (1 - beta1^t) and v / (1 - beta2^t) of the zero start into the rate.
    """

    state = ("m", "v")

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        super().__init__(lr)
        self.beta1 = check.fraction(beta1, "Adam: beta1")
        self.beta2 = check.fraction(beta2, "Adam: beta2")
        self.iter = 0

    def update(self, params, grads):
        keys = self._checked(params, grads)
        self.iter += 1
        lr_t = self.lr * np.sqrt(1 - self.beta2**self.iter) / (1 - self.beta1**self.iter)
        for key in keys:
            self.m[key] = self.beta1 * self.m[key] + (1 - self.beta1) * grads[key]
            self.v[key] = self.beta2 * self.v[key] + (1 - self.beta2) * grads[key] * grads[key]
            params[key] -= lr_t * self.m[key] / (np.sqrt(self.v[key]) + _EPS)
