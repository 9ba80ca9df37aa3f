"""The primer's test bowl for optimizers (primer §6.1): f(x, y) = x²/20 + y², started at (-7, 2).

    path = descend(Momentum(lr=0.1), steps=30)      # (31, 2): the start, then one point per update
    steps_to_minimum(Momentum(lr=0.1))              # updates until within 1e-3 of (0, 0), or None

The bowl is twenty times steeper along y than along x, so a single learning rate is too large for one
direction or too small for the other: the case the adaptive optimizers were made for.

OPTIMIZERS lists the six rules of common.optimizer with the settings they open with here (the bowl
explorer's menu); make_optimizer(name, lr, beta) makes a fresh one.
"""

import numpy as np

from common import _checks as check
from common.optimizer import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop

START = (-7.0, 2.0)
TOLERANCE = 1e-3  # "at the minimum": this close to (0, 0)
MAX_STEPS = 1000  # a path is followed this far at most
ESCAPE = 1e6  # farther than this from the minimum, a path counts as diverged

# name: (class, learning rate it opens with, name and opening value of its second setting or None).
# The learning rates of SGD, Momentum, AdaGrad and Adam are those of the primer's figure (§6.1.7).
OPTIMIZERS = {
    "SGD": (SGD, 0.95, None),
    "Momentum": (Momentum, 0.1, ("momentum", 0.9)),
    "Nesterov": (Nesterov, 0.1, ("momentum", 0.9)),
    "AdaGrad": (AdaGrad, 1.5, None),
    "RMSprop": (RMSprop, 0.1, ("decay_rate", 0.99)),
    "Adam": (Adam, 0.3, ("beta1", 0.9)),
}


def make_optimizer(name, lr, beta=None):
    """A fresh optimizer of that name; beta is its second setting (momentum, decay_rate or beta1)."""
    if name not in OPTIMIZERS:
        raise ValueError(f"make_optimizer: name must be one of {list(OPTIMIZERS)}, got {name!r}")
    cls, _, second = OPTIMIZERS[name]
    return cls(lr=lr) if second is None else cls(lr=lr, **{second[0]: beta})


def f(x, y):
    """The bowl: f(x, y) = x²/20 + y², minimum 0 at (0, 0). Works elementwise on arrays."""
    check.real_values("f", x=x, y=y)
    return x**2 / 20.0 + y**2


def grad(x, y):
    """Its gradient (df/dx, df/dy) = (x / 10, 2y)."""
    check.real_values("grad", x=x, y=y)
    return x / 10.0, 2.0 * y


def descend(optimizer, steps=MAX_STEPS, start=START, stop_within=None):
    """Follow `optimizer` (anything with update(params, grads)) from `start` on the bowl.

    Returns an (n + 1, 2) float array: the start, then the point after each of n updates. n = steps,
    unless the path gets within `stop_within` of the minimum first (it then ends there) or runs
    farther than ESCAPE away (it ends at the first such point).
    """
    steps, start = check.descent(optimizer, steps, start, stop_within, "descend")
    params = {"x": start[0], "y": start[1]}
    points = [(params["x"], params["y"])]
    for _ in range(steps):
        gx, gy = grad(params["x"], params["y"])
        optimizer.update(params, {"x": gx, "y": gy})
        point = (float(params["x"]), float(params["y"]))
        points.append(point)
        distance = np.hypot(*point)
        if not distance < ESCAPE or (stop_within is not None and distance <= stop_within):
            break
    return np.array(points)


def steps_to_minimum(optimizer, tolerance=TOLERANCE, max_steps=MAX_STEPS, start=START):
    """The number of updates after which the path first gets within `tolerance` of (0, 0).

    None if it does not within max_steps (or diverges). A fresh optimizer: its state is consumed.
    """
    check.descent(optimizer, max_steps, start, tolerance, "steps_to_minimum")
    path = descend(optimizer, max_steps, start, stop_within=tolerance)
    return len(path) - 1 if np.hypot(*path[-1]) <= tolerance else None
