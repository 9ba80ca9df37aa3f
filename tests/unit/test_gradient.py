"""common.gradient: seed numbers, analytic gradients over shapes and magnitudes, pitfalls."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from common.gradient import gradient_descent, numerical_diff, numerical_gradient, relative_error


def function_2(x):
    return x[0] ** 2 + x[1] ** 2


def test_partial_derivatives_seed_numbers():
    assert numerical_diff(lambda x0: x0 * x0 + 4.0**2.0, 3.0) == 6.00000000000378
    assert numerical_diff(lambda x1: 3.0**2.0 + x1 * x1, 4.0) == 7.999999999999119


def test_gradient_seed_numbers():
    grad = numerical_gradient(function_2, np.array([3.0, 4.0]))
    np.testing.assert_allclose(grad, [6.0, 8.0], atol=1e-10)


def test_gradient_descent_seed_numbers():
    init = np.array([-3.0, 4.0])
    x = gradient_descent(function_2, init, lr=0.1, step_num=100)
    np.testing.assert_allclose(x, [-6.11110793e-10, 8.14814391e-10], rtol=1e-8)
    np.testing.assert_array_equal(init, [-3.0, 4.0])  # the start point is left alone
    x2, path = gradient_descent(function_2, init, lr=0.1, step_num=100, return_path=True)
    assert path.shape == (101, 2)
    np.testing.assert_array_equal(path[0], init)
    np.testing.assert_array_equal(path[-1], x2)


def test_difference_methods_on_exp_at_zero():
    # e^x at 0 has derivative 1; one-sided errors are ~h/2, the central one ~h^2/6.
    for h in (0.1, 0.01, 0.001):
        fwd = numerical_diff(math.exp, 0.0, h, "forward")
        bwd = numerical_diff(math.exp, 0.0, h, "backward")
        cen = numerical_diff(math.exp, 0.0, h, "central")
        assert fwd == pytest.approx((math.exp(h) - 1) / h, rel=1e-15)
        assert bwd == pytest.approx((1 - math.exp(-h)) / h, rel=1e-15)
        assert fwd - 1 == pytest.approx(h / 2, rel=0.1)
        assert 1 - bwd == pytest.approx(h / 2, rel=0.1)
        assert cen - 1 == pytest.approx(h * h / 6, rel=0.1)


def test_numerical_diff_rejects_bad_arguments():
    with pytest.raises(ValueError, match="method"):
        numerical_diff(math.exp, 0.0, method="sideways")
    for h in (0, -1e-4, float("nan")):
        with pytest.raises(ValueError, match="positive|finite"):
            numerical_diff(math.exp, 0.0, h=h)


shapes = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4)


@given(hnp.arrays(np.float64, shapes, elements=st.floats(-1e3, 1e3)))
def test_gradient_of_quadratic_and_cubic_any_shape(x):
    before = x.copy()
    g = numerical_gradient(lambda v: np.sum(v**2), x)
    np.testing.assert_array_equal(x, before)  # exactly restored
    assert g.shape == x.shape
    # central differences are exact for quadratics up to rounding of f ~ eps * sum(x^2) / h
    tol = 1e-16 * max(1.0, float(np.sum(x**2))) / 1e-4 * 4
    np.testing.assert_allclose(g, 2 * x, atol=tol + 1e-7)
    c = numerical_gradient(lambda v: np.sum(v**3), x)
    np.testing.assert_allclose(c, 3 * x**2 + 1e-8, rtol=1e-6, atol=tol * 1e3 + 1e-6)


@given(hnp.arrays(np.float64, st.integers(1, 6), elements=st.floats(-5, 5)), st.floats(0.01, 100))
def test_gradient_of_sin_sum_with_scale(x, scale):
    g = numerical_gradient(lambda v: np.sum(np.sin(scale * v)) / scale, x)
    # truncation error (h scale)^2 / 6 relative to the derivative's size
    np.testing.assert_allclose(g, np.cos(scale * x), atol=2e-8 * scale**2 + 1e-9)


def test_integer_input_is_refused():
    # The primer's version returns [25000, 35000] here: x + 1e-4 is truncated back to an int.
    with pytest.raises(TypeError, match="integer|float"):
        numerical_gradient(function_2, np.array([3, 4]))
    with pytest.raises(TypeError):
        numerical_gradient(function_2, [3.0, 4.0])


def test_float32_warns():
    with pytest.warns(RuntimeWarning, match="float64"):
        numerical_gradient(function_2, np.array([3.0, 4.0], dtype=np.float32))


def test_input_restored_even_if_f_raises():
    x = np.array([1.0, 2.0, 3.0])
    calls = []

    def f(v):
        calls.append(v.copy())
        if len(calls) == 4:
            raise RuntimeError("boom")
        return np.sum(v)

    with pytest.raises(RuntimeError):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


def test_f_must_return_a_scalar():
    with pytest.raises(ValueError, match="scalar"):
        numerical_gradient(lambda v: v * 2, np.ones(3))


def test_relative_error():
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0
    assert relative_error([1.0, 0.0], [1.0, 0.0]) == 0.0
    assert relative_error([1.0], [-1.0]) == 1.0
    assert relative_error([3.0, 4.0], [3.0, 4.0 + 1e-6]) == pytest.approx(1e-6 / 10, rel=1e-6)
    with pytest.raises(ValueError, match="shapes"):
        relative_error(np.ones(2), np.ones(3))


def test_no_warning_from_normal_use():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        numerical_gradient(function_2, np.array([3.0, 4.0]))
