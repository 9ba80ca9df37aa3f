"""Optimizers: rules that move the parameters against their gradients (primer §6.1)."""

import numpy as np


class SGD:
    """Stochastic gradient descent: W <- W - lr * dL/dW, for every parameter, in place.

    In place means the arrays in `params` are updated, not replaced, so every layer that holds a
    reference to them sees the new values.
    """

    def __init__(self, lr=0.01):
        if not np.isfinite(lr) or not lr > 0:
            raise ValueError(f"learning rate must be a positive finite number, got {lr!r}")
        self.lr = lr

    def update(self, params, grads):
        """params, grads: dicts with the same keys and arrays of matching shapes."""
        _check_grads(params, grads)
        for key in params:
            params[key] -= self.lr * grads[key]


def _check_grads(params, grads):
    if params.keys() != grads.keys():
        raise ValueError(f"params and grads differ in keys: {sorted(params)} vs {sorted(grads)}")
    for key, grad in grads.items():
        if np.shape(grad) != np.shape(params[key]):
            raise ValueError(f"grads[{key!r}] has shape {np.shape(grad)}, params {np.shape(params[key])}")
