"""The lean paths of common.layers give exactly what the plain formulas give, dtypes included."""

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from common.functions import sigmoid
from common.layers import Affine, Sigmoid, SoftmaxWithLoss, _sigmoid


def rng(seed=0):
    return np.random.default_rng(seed)


def plain_softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@pytest.mark.parametrize("dout", [1, 2.5, np.float64(0.5)])
def test_softmax_with_loss_labels_and_one_hot_give_the_same_bits(dout):
    x = rng().standard_normal((6, 4)) * 3
    labels = rng(1).integers(0, 4, size=6)
    by_labels, by_rows = SoftmaxWithLoss(), SoftmaxWithLoss()
    assert by_labels.forward(x, labels) == by_rows.forward(x, np.eye(4)[labels])
    np.testing.assert_array_equal(by_labels.y, by_rows.y)
    np.testing.assert_array_equal(by_labels.backward(dout), by_rows.backward(dout))
    np.testing.assert_array_equal(by_labels.t, np.eye(4)[labels])  # t still reads as one-hot rows
    np.testing.assert_allclose(by_labels.y, plain_softmax(x), rtol=1e-15)


def test_softmax_with_loss_keeps_its_own_copy_of_the_labels():
    x = rng().standard_normal((3, 5))
    labels = np.array([0, 4, 2])
    layer = SoftmaxWithLoss()
    layer.forward(x, labels)
    want = layer.backward()
    labels[:] = [1, 1, 1]  # the caller reuses its array
    np.testing.assert_array_equal(layer.backward(), want)


def test_softmax_with_loss_float32_scores_backward_dtype_as_formula():
    x = rng().standard_normal((4, 3)).astype(np.float32)
    labels = np.array([0, 2, 1, 1])
    layer = SoftmaxWithLoss()
    layer.forward(x, labels)
    formula = 1 * (layer.y - np.eye(3)[labels]) / 4  # float64 one-hot rows make a float64 difference
    got = layer.backward()
    assert got.dtype == formula.dtype == np.float64
    np.testing.assert_array_equal(got, formula)
    assert layer.y.dtype == np.float32


def test_softmax_with_loss_single_sample_and_setting_t():
    layer = SoftmaxWithLoss()
    layer.forward(np.array([0.3, 2.9, 4.0]), 2)
    assert layer.t.shape == (3,)
    np.testing.assert_array_equal(layer.t, [0.0, 0.0, 1.0])
    layer.t = np.array([1.0, 0.0, 0.0])  # a caller may still set the target by hand
    np.testing.assert_allclose(layer.backward(), layer.y - [1.0, 0.0, 0.0], rtol=1e-15)


def test_softmax_with_loss_refuses_plus_inf_and_nan_but_takes_minus_inf():
    with pytest.raises(ValueError, match=r"\+inf"):
        SoftmaxWithLoss().forward(np.array([[0.0, np.inf]]), np.array([0]))
    with pytest.raises(ValueError, match="NaN"):
        SoftmaxWithLoss().forward(np.array([[0.0, np.nan]]), np.array([0]))
    layer = SoftmaxWithLoss()
    loss = layer.forward(np.array([[0.0, -np.inf]]), np.array([0]))
    assert loss == 0.0
    np.testing.assert_array_equal(layer.backward(), [[0.0, 0.0]])


def test_affine_casts_float32_data_once_and_matches_the_formula():
    g = rng()
    W, b = g.standard_normal((5, 3)), g.standard_normal(3)
    x = g.standard_normal((4, 5)).astype(np.float32)
    layer = Affine(W, b)
    out = layer.forward(x)
    np.testing.assert_array_equal(out, x.astype(np.float64) @ W + b)
    assert layer.x.dtype == np.float64  # kept for backward, which needs no second cast
    d = g.standard_normal((4, 3))
    dx = layer.backward(d)
    np.testing.assert_array_equal(layer.dW, x.T.astype(np.float64) @ d)
    np.testing.assert_array_equal(dx, d @ W.T)


def test_affine_bias_of_a_wider_dtype_widens_the_output():
    g = rng()
    W = g.standard_normal((5, 3)).astype(np.float32)
    b = g.standard_normal(3)  # float64
    x = g.standard_normal((2, 5)).astype(np.float32)
    out = Affine(W, b).forward(x)
    want = x @ W + b
    assert out.dtype == want.dtype == np.float64
    np.testing.assert_array_equal(out, want)


def test_affine_outputs_of_two_calls_are_separate_arrays():
    g = rng()
    layer = Affine(g.standard_normal((5, 3)), g.standard_normal(3))
    first = layer.forward(g.standard_normal((2, 5)))
    kept = first.copy()
    second = layer.forward(g.standard_normal((2, 5)))
    np.testing.assert_array_equal(first, kept)
    assert not np.shares_memory(first, second)


def test_sigmoid_backward_is_the_formula_bit_for_bit():
    g = rng()
    layer = Sigmoid()
    y = layer.forward(g.standard_normal((4, 6)) * 3)
    dout = g.standard_normal((4, 6))
    keep = dout.copy()
    np.testing.assert_array_equal(layer.backward(dout), dout * y * (1 - y))
    np.testing.assert_array_equal(dout, keep)


@pytest.mark.parametrize("n", [1, 2, 5, 64])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_affine_weight_gradient_is_x_transposed_times_dout_bit_for_bit(n, dtype):
    g = rng(n)
    layer = Affine(g.standard_normal((9, 4)).astype(dtype), np.zeros(4, dtype), input_grad=False)
    x = g.standard_normal((n, 9)).astype(dtype)
    d = g.standard_normal((n, 4)).astype(dtype)
    layer.forward(x)
    layer.backward(d)
    np.testing.assert_array_equal(layer.dW, x.T @ d)
    np.testing.assert_array_equal(layer.db, d.sum(axis=0))


@given(hnp.arrays(dtype=st.sampled_from([np.float16, np.float32, np.float64]),
                  shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=6),
                  elements={"allow_nan": True, "allow_infinity": True}))
def test_layer_sigmoid_is_functions_sigmoid_bit_for_bit(x):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # neither may warn (no overflow in exp, for instance)
        got, want = _sigmoid(x), sigmoid(x)
    assert type(got) is type(want) and got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)


def test_layer_sigmoid_at_the_edges():
    x = np.array([0.0, -0.0, np.inf, -np.inf, 800.0, -800.0, -745.2, 5e-324, -5e-324])
    np.testing.assert_array_equal(Sigmoid().forward(x), sigmoid(x))
    np.testing.assert_array_equal(Sigmoid().forward(x)[:4], [0.5, 0.5, 1.0, 0.0])
    assert np.isnan(Sigmoid().forward(np.array([np.nan])))[0]
    assert Sigmoid().forward(0.0).shape == ()  # a 0-d array, as functions.sigmoid gives
