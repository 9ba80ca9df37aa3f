"""companion.perceptron: the gates' truth tables, for scalars and arrays."""

import numpy as np
import pytest

from companion.perceptron import AND, NAND, OR, perceptron

X1 = np.array([0, 1, 0, 1])
X2 = np.array([0, 0, 1, 1])


@pytest.mark.parametrize(("gate", "table"), [(AND, [0, 0, 0, 1]), (NAND, [1, 1, 1, 0]), (OR, [0, 1, 1, 1])])
def test_truth_tables(gate, table):
    np.testing.assert_array_equal(gate(X1, X2), table)
    assert [float(gate(a, b)) for a, b in zip(X1, X2, strict=True)] == table


def test_fires_only_when_the_sum_is_positive():
    # b + w1 x1 + w2 x2 = 0 exactly is not enough: the step is 1 only for sums > 0.
    assert perceptron(1.0, 0.0, 0.5, 0.5, -0.5) == 0.0
    assert perceptron(1.0, 0.0, 0.5, 0.5, -0.49) == 1.0
