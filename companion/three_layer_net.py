"""The primer's 3-layer network of §3.4 with its hand-picked weights, and its forward pass (§3.4.3).

The same forward pass, with a softmax output, is the inference of the trained MNIST network in §3.6
(`accuracy`).
"""

import numpy as np

from common import _checks as check
from common.functions import identity, sigmoid, softmax


def init_network():
    """The primer's weights for 2 inputs -> 3 -> 2 -> 2 outputs: W1 (2, 3), b1 (3,), W2 (3, 2),
    b2 (2,), W3 (2, 2), b3 (2,). W has shape (inputs, outputs): a layer computes x @ W + b."""
    return {
        "W1": np.array([[0.1, 0.3, 0.5], [0.2, 0.4, 0.6]]),
        "b1": np.array([0.1, 0.2, 0.3]),
        "W2": np.array([[0.1, 0.4], [0.2, 0.5], [0.3, 0.6]]),
        "b2": np.array([0.1, 0.2]),
        "W3": np.array([[0.1, 0.3], [0.2, 0.4]]),
        "b3": np.array([0.1, 0.2]),
    }


def forward(network, x, hidden=sigmoid, output=identity):
    """y = output(hidden(hidden(x W1 + b1) W2 + b2) W3 + b3).

    network: dict with W1, b1, W2, b2, W3, b3. x: (D,) for one input or (N, D) for a batch ->
    y: (K,) or (N, K), with D rows of W1 and K columns of W3. hidden, output: activation functions.
    """
    x = check.three_layer_forward(network, x, hidden, output)
    z1 = hidden(x @ network["W1"] + network["b1"])
    z2 = hidden(z1 @ network["W2"] + network["b2"])
    return output(z2 @ network["W3"] + network["b3"])


def accuracy(network, x, t, batch_size=100):
    """Fraction of x (N, D) whose predicted class is t (N,): the forward pass with sigmoid hidden layers
    and a softmax output, on batches of batch_size inputs, as in primer §3.6.3."""
    x = check.real_array(x, "accuracy: x")
    batch_size = check.integer(batch_size, "accuracy: batch_size", 1)
    t = np.asarray(t)
    if t.dtype.kind not in "iu" or t.shape != x.shape[:1]:
        raise ValueError(f"accuracy: t must be {len(x)} integer labels, one per row of x, "
                         f"got dtype {t.dtype} and shape {t.shape}")
    hits = 0
    for start in range(0, len(x), batch_size):
        y = forward(network, x[start:start + batch_size], hidden=sigmoid, output=softmax)
        hits += int(np.sum(np.argmax(y, axis=1) == t[start:start + batch_size]))
    return hits / len(x)
