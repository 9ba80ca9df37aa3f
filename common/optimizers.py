"""Optimizers: rules that move the parameters against their gradients."""

import numpy as np


class SGD:
    """Stochastic gradient descent: W <- W - lr * dL/dW, for every parameter, in place.

    In place means the arrays in `params` are updated, not replaced, so every layer that holds a
    reference to them sees the new values.
    """

    def __init__(self, lr=0.01):
        if not lr > 0:
            raise ValueError(f"learning rate must be positive, got {lr!r}")
        self.lr = lr
        self._scaled = {}  # key -> scratch array for lr * grad, reused step after step

    def update(self, params, grads):
        """params, grads: dicts with the same keys and arrays of matching shapes."""
        if params.keys() != grads.keys():
            raise ValueError(f"params and grads differ in keys: {sorted(params)} vs {sorted(grads)}")
        for key, grad in grads.items():
            if grad.shape != params[key].shape:
                raise ValueError(f"grads[{key!r}] has shape {grad.shape}, params {params[key].shape}")
        for key, grad in grads.items():
            # lr * grad goes into a scratch array kept from the last step instead of a new one each
            # time; it never leaves this object, so nobody else sees it change.
            scaled = self._scratch(key, grad)
            np.multiply(self.lr, grad, out=scaled)
            params[key] -= scaled

    def _scratch(self, key, grad):
        dtype = np.result_type(self.lr, grad)  # the dtype lr * grad would have
        scaled = self._scaled.get(key)
        if scaled is None or scaled.shape != grad.shape or scaled.dtype != dtype:
            scaled = self._scaled[key] = np.empty(grad.shape, dtype)
        return scaled
