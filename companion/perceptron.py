"""The perceptron and the logic gates of primer §2.3: one neuron with a step activation.

XOR is not here on purpose: no single perceptron computes it (primer §2.4); notebook 01 wires it from
these gates as a two-layer perceptron (primer §2.5).
"""

from common import _checks as check
from common.functions import step_function


def perceptron(x1, x2, w1, w2, b):
    """y = h(b + w1 x1 + w2 x2) with the step h (1 if the sum is > 0, else 0).

    x1, x2: scalars or arrays of one shape (...); returns floats 0.0/1.0 of that shape.
    """
    check.real_values("perceptron", x1=x1, x2=x2, w1=w1, w2=w2, b=b)
    return step_function(b + w1 * x1 + w2 * x2)


def AND(x1, x2):
    """1 only if both inputs are 1: w = (0.5, 0.5), b = -0.7 (the primer's weights)."""
    check.real_values("AND", x1=x1, x2=x2)
    return perceptron(x1, x2, 0.5, 0.5, -0.7)


def NAND(x1, x2):
    """NOT AND, 0 only if both inputs are 1: every sign of AND flipped, w = (-0.5, -0.5), b = 0.7."""
    check.real_values("NAND", x1=x1, x2=x2)
    return perceptron(x1, x2, -0.5, -0.5, 0.7)


def OR(x1, x2):
    """1 if at least one input is 1: w = (0.5, 0.5), b = -0.2."""
    check.real_values("OR", x1=x1, x2=x2)
    return perceptron(x1, x2, 0.5, 0.5, -0.2)
