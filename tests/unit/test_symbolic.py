"""companion.symbolic: derivatives against central differences, sizes counted by hand, clear errors."""

import math

import numpy as np
import pytest

from companion.symbolic import const, dag_size, diff, evaluate, exp, to_string, tree_size, var

x, y = var("x"), var("y")


def central(f, x0, h=1e-6):
    return (f(x0 + h) - f(x0 - h)) / (2 * h)


def logistic(n):
    """l_1 = x, l_(k+1) = 4 l_k (1 - l_k)."""
    term = x
    for _ in range(n - 1):
        term = 4 * term * (1 - term)
    return term


EXPRESSIONS = [
    x * x * x,
    3 * x - x * x + 2,
    exp(x * x),
    x * exp(2 - x),
    exp(exp(x) - 1) * (x - 5),
    logistic(5),
    exp(x) * (1 + x * x),
]


@pytest.mark.parametrize("k", range(len(EXPRESSIONS)))
@pytest.mark.parametrize("x0", [-0.7, 0.3, 1.1])
def test_derivatives_match_central_differences(k, x0):
    f = EXPRESSIONS[k]
    df = diff(f, x)
    numeric = central(lambda v: evaluate(f, x=v), x0)
    assert evaluate(df, x=x0) == pytest.approx(numeric, rel=1e-7, abs=1e-8)


def test_known_derivatives_in_closed_form():
    xs = np.linspace(-2, 2, 9)
    np.testing.assert_allclose(evaluate(diff(x * x * x, x), x=xs), 3 * xs**2, rtol=1e-14)
    np.testing.assert_allclose(evaluate(diff(logistic(2), x), x=xs), 4 - 8 * xs, rtol=1e-14, atol=1e-14)
    np.testing.assert_allclose(evaluate(diff(exp(x * x), x), x=xs), 2 * xs * np.exp(xs**2), rtol=1e-14)
    assert evaluate(diff(x * y, y), x=2.5, y=-1.0) == 2.5  # partial derivative: x is a constant
    assert diff(x * y + 3, var("z")) == const(0)


def test_partial_derivatives_of_two_variables_match_central_differences():
    f = x * exp(x * y) - y * y
    for x0, y0 in [(0.2, -0.5), (1.0, 0.7)]:
        dfdx = central(lambda v, y0=y0: evaluate(f, x=v, y=y0), x0)
        dfdy = central(lambda v, x0=x0: evaluate(f, x=x0, y=v), y0)
        assert evaluate(diff(f, x), x=x0, y=y0) == pytest.approx(dfdx, rel=1e-7)
        assert evaluate(diff(f, y), x=x0, y=y0) == pytest.approx(dfdy, rel=1e-7)


def test_sizes_counted_by_hand():
    assert tree_size(x) == 1 and dag_size(x) == 1
    f = x * x  # mul(x, x): three nodes written out, two distinct
    assert tree_size(f) == 3 and dag_size(f) == 2
    assert to_string(diff(f, x)) == "(x + x)"  # 1*x + x*1 with the ones folded
    l2 = logistic(2)  # ((4 * x) * (1 - x)): 7 nodes; 4, x, 1 and the three operations are distinct
    assert to_string(l2) == "((4 * x) * (1 - x))"
    assert tree_size(l2) == 7 and dag_size(l2) == 6
    # d/dx: (4 * (1 - x)) + ((4 * x) * (0 - 1)); 0 - 1 is left alone (only 0 and 1 are folded)
    assert to_string(diff(l2, x)) == "((4 * (1 - x)) + ((4 * x) * (0 - 1)))"
    assert tree_size(diff(l2, x)) == 13


def test_logistic_map_sizes_follow_their_recurrences():
    # Written out, l_(n+1) = (4 * l_n) * (1 - l_n) has 5 nodes plus two copies of l_n;
    # as a graph each step after the first (which also brings the constants 4 and 1) adds 3 distinct
    # nodes: 4 * l, 1 - l and their product.
    for n in range(1, 9):
        assert tree_size(logistic(n + 1)) == 5 + 2 * tree_size(logistic(n))
        assert dag_size(logistic(n + 1)) == dag_size(logistic(n)) + (5 if n == 1 else 3)
    # The derivative outgrows the function: its written-out size over the function's keeps rising.
    ratios = [tree_size(diff(logistic(n), x)) / tree_size(logistic(n)) for n in range(2, 9)]
    assert all(b > a for a, b in zip(ratios, ratios[1:], strict=False))


def test_expressions_compare_by_structure_and_hash():
    assert x * (1 - x) == var("x") * (1 - var("x"))
    assert hash(x * 2) == hash(var("x") * 2)
    assert x * 2 != 2 * x  # no algebra: operand order is part of the structure
    assert len({x + 1, var("x") + 1, x + 2}) == 2


def test_evaluate_is_exact_for_small_integers_and_matches_math():
    assert evaluate(logistic(3), x=0.5) == 0.0  # l2 = 1, l3 = 4 * 1 * 0
    assert evaluate(exp(x), x=1.0) == pytest.approx(math.e, rel=1e-15)


def test_bad_input_raises_clearly():
    with pytest.raises(ValueError, match="no value for variable 'x'"):
        evaluate(x + 1)
    with pytest.raises(TypeError, match="variable made by var"):
        diff(x * x, "x")
    with pytest.raises(TypeError, match="expression or a real number"):
        x + "1"
    with pytest.raises(ValueError, match="finite"):
        const(float("nan"))
    with pytest.raises(ValueError, match="non-empty string"):
        var("")
