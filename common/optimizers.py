"""Optimizers: rules that move the parameters against their gradients."""


class SGD:
    """Stochastic gradient descent: W <- W - lr * dL/dW, for every parameter, in place.

    In place means the arrays in `params` are updated, not replaced, so every layer that holds a
    reference to them sees the new values.
    """

    def __init__(self, lr=0.01):
        if not lr > 0:
            raise ValueError(f"learning rate must be positive, got {lr!r}")
        self.lr = lr

    def update(self, params, grads):
        """params, grads: dicts with the same keys and arrays of matching shapes."""
        if params.keys() != grads.keys():
            raise ValueError(f"params and grads differ in keys: {sorted(params)} vs {sorted(grads)}")
        for key, grad in grads.items():
            if grad.shape != params[key].shape:
                raise ValueError(f"grads[{key!r}] has shape {grad.shape}, params {params[key].shape}")
        for key, grad in grads.items():
            params[key] -= self.lr * grad
