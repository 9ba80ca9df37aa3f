"""Optimizers: rules that move the parameters against their gradients (primer §6.1).

Rules on input (tests/test_bad_input.py): a learning rate is a finite real number > 0 (TypeError
for "0.1" or None, ValueError for 0, -1, inf or NaN). update(params, grads) takes two dicts with the
same keys; every params value is a float numpy array (it is updated in place, so a list or a number
is refused) and every gradient has its parameter's shape. Gradients are not scanned for NaN (that
would cost a pass over every parameter on every step): a NaN gradient makes NaN scores, which the
next loss refuses.
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
        if not (isinstance(param, np.ndarray) and param.dtype.kind == "f"):
            raise TypeError(f"update: params[{key!r}] must be a float numpy array (updated in place), "
                            f"got {type(param).__name__}")
        if getattr(grad, "shape", None) != param.shape:
            raise ValueError(f"grads[{key!r}] has shape {np.shape(grad)}, params {param.shape}")
