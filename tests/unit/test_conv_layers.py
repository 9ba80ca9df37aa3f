"""common.layers.Convolution and Pooling: gradient checks, the output size, ties, references, bad input."""

import numpy as np
import pytest

from common.gradient import numerical_gradient, relative_error
from common.layers import Convolution, Pooling, Relu

TOL = 1e-7


def loss_and_dout(layer, x, seed=1):
    """L = sum(forward(x) * R) for a fixed random R, and R (= dL/dout)."""
    r = np.random.default_rng(seed).standard_normal(layer.forward(x).shape)
    return (lambda _: np.sum(layer.forward(x) * r)), r


@pytest.mark.parametrize(("stride", "pad"), [(1, 0), (2, 1), (1, 2), (2, 0)])
def test_convolution_gradients_match_numerical_ones(stride, pad):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 3, 7, 7))
    layer = Convolution(rng.standard_normal((4, 3, 3, 3)), rng.standard_normal(4), stride=stride, pad=pad)
    loss, r = loss_and_dout(layer, x)
    dout = r.copy()
    layer.forward(x)
    dx = layer.backward(dout)
    np.testing.assert_array_equal(dout, r)  # backward leaves the caller's dout alone
    assert relative_error(dx, numerical_gradient(lambda v: np.sum(layer.forward(v) * r), x)) < TOL
    # W and b are held by reference: perturbing them in place moves the loss
    assert relative_error(layer.dW, numerical_gradient(loss, layer.W)) < TOL
    assert relative_error(layer.db, numerical_gradient(loss, layer.b)) < TOL


def test_convolution_by_hand_on_the_primers_example():
    """Primer §7.2.3: a 4x4 input and a 3x3 filter give [[15, 16], [6, 15]]; bias 3 adds 3 to each."""
    x = np.array([[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]], dtype=float).reshape(1, 1, 4, 4)
    W = np.array([[2, 0, 1], [0, 1, 2], [1, 0, 2]], dtype=float).reshape(1, 1, 3, 3)
    out = Convolution(W, np.array([3.0])).forward(x)
    np.testing.assert_array_equal(out, [[[[18, 19], [9, 18]]]])
    padded = Convolution(W, np.zeros(1), pad=1).forward(x)
    assert padded.shape == (1, 1, 4, 4) and padded[0, 0, 1, 1] == 15  # primer §7.2.4: padding keeps 4x4
    assert Convolution(W, np.zeros(1), stride=2, pad=1).forward(np.zeros((1, 1, 7, 7))).shape == (1, 1, 4, 4)


@pytest.mark.parametrize(("H", "W", "FH", "FW", "stride", "pad"), [
    (28, 28, 5, 5, 1, 0), (7, 7, 3, 3, 2, 0), (4, 4, 3, 3, 1, 1), (10, 6, 3, 2, 3, 1), (5, 5, 5, 5, 1, 2)])
def test_output_size_is_the_formula(H, W, FH, FW, stride, pad):
    layer = Convolution(np.zeros((2, 1, FH, FW)), np.zeros(2), stride=stride, pad=pad)
    out = layer.forward(np.zeros((3, 1, H, W)))
    assert out.shape == (3, 2, (H + 2 * pad - FH) / stride + 1, (W + 2 * pad - FW) / stride + 1)


def test_convolution_sees_params_replaced_or_updated_in_place():
    W, b = np.zeros((1, 1, 2, 2)), np.zeros(1)
    layer = Convolution(W, b)
    x = np.ones((1, 1, 3, 3))
    W += 1.0  # an optimizer's in-place update
    assert np.all(layer.forward(x) == 4.0)
    layer.W = np.full((1, 1, 2, 2), 2.0)  # what the primer's load_params does
    assert np.all(layer.forward(x) == 8.0)


def test_one_number_as_the_bias_of_every_filter():
    """The primer's ch07/apply_filter.py builds Convolution(w, b) with b = 0 (an int)."""
    x = np.random.default_rng(5).random((1, 1, 6, 6))
    W = np.random.default_rng(6).random((2, 1, 3, 3))
    np.testing.assert_array_equal(Convolution(W, 0).forward(x), Convolution(W, np.zeros(2)).forward(x))
    np.testing.assert_allclose(Convolution(W, 1.5).forward(x), Convolution(W, np.full(2, 1.5)).forward(x),
                               rtol=1e-15)


def test_convolution_without_input_gradient():
    rng = np.random.default_rng(2)
    with_dx = Convolution(rng.standard_normal((3, 2, 3, 3)), np.zeros(3))
    without = Convolution(with_dx.W, with_dx.b, input_grad=False)
    x = rng.standard_normal((2, 2, 5, 5))
    dout = rng.standard_normal(with_dx.forward(x).shape)
    without.forward(x)
    assert without.backward(dout) is None
    with_dx.backward(dout)
    np.testing.assert_array_equal(without.dW, with_dx.dW)
    np.testing.assert_array_equal(without.db, with_dx.db)


@pytest.mark.parametrize(("shape", "pool", "stride", "pad", "tiles"), [
    ((2, 3, 8, 8), (2, 2), 2, 0, True),     # the primer's pooling: windows tile the input
    ((2, 3, 9, 9), (3, 3), 3, 0, True),
    ((2, 3, 7, 7), (3, 3), 1, 0, False),    # overlapping windows
    ((2, 2, 8, 8), (2, 2), 1, 0, False),
    ((2, 2, 8, 8), (4, 4), 2, 0, False),
    ((2, 2, 7, 7), (3, 3), 2, 1, False),    # padding, which never wins the maximum
    ((1, 2, 6, 9), (2, 3), 2, 0, False),    # a window that is not square, with gaps between windows
])
def test_pooling_gradient_matches_numerical_one(shape, pool, stride, pad, tiles):
    # distinct values 0.01 apart: a step of h = 1e-4 never changes which one is a window's maximum
    x = np.random.default_rng(3).permutation(np.arange(np.prod(shape)) * 0.01 - 1).reshape(shape)
    layer = Pooling(*pool, stride=stride, pad=pad)
    assert layer.tiles == tiles
    _, r = loss_and_dout(layer, x)
    dout = r.copy()
    layer.forward(x)
    dx = layer.backward(dout)
    np.testing.assert_array_equal(dout, r)
    assert relative_error(dx, numerical_gradient(lambda v: np.sum(layer.forward(v) * r), x)) < TOL


def test_pooling_by_hand_and_its_properties():
    """Primer §7.3: 2x2 max pooling with stride 2; no parameters, channels kept, small shifts absorbed."""
    x = np.array([[1, 2, 1, 0], [0, 1, 2, 3], [3, 0, 1, 2], [4, 2, 0, 1]], dtype=float).reshape(1, 1, 4, 4)
    pool = Pooling(2, 2, stride=2)
    np.testing.assert_array_equal(pool.forward(x), [[[[2, 3], [4, 2]]]])
    assert pool.forward(np.zeros((5, 7, 4, 4))).shape == (5, 7, 2, 2)
    shifted = np.roll(x, 1, axis=3)
    shifted[..., 0] = 0  # the image moved one pixel right
    assert pool.forward(shifted)[0, 0, 1, 0] == 4  # the 4 moved within its window: same output


def test_pooling_sends_the_gradient_to_the_first_maximum_on_ties():
    x = np.zeros((1, 1, 2, 2))  # four equal values: an all-background window after ReLU
    pool = Pooling(2, 2, stride=2)
    pool.forward(x)
    np.testing.assert_array_equal(pool.backward(np.ones((1, 1, 1, 1))), [[[[1, 0], [0, 0]]]])
    general = Pooling(2, 2, stride=1)
    general.forward(np.zeros((1, 1, 3, 2)))
    np.testing.assert_array_equal(general.backward(np.ones((1, 1, 2, 1))), [[[[1, 0], [1, 0], [0, 0]]]])


def test_pooling_padding_is_minus_infinity():
    pool = Pooling(2, 2, stride=2, pad=1)
    out = pool.forward(-np.ones((1, 1, 2, 2)))
    np.testing.assert_array_equal(out, -np.ones((1, 1, 2, 2)))  # zero padding would have given 0


def test_pooling_passes_nan_through():
    x = np.zeros((1, 1, 2, 2))
    x[0, 0, 1, 1] = np.nan
    assert np.isnan(Pooling(2, 2, stride=2).forward(x)).all()


def test_relu_on_a_convolution_output_keeps_the_values():
    x = np.array([-1.0, -0.0, 0.0, 2.5, np.nan, -np.inf, np.inf])
    relu = Relu()
    y = relu.forward(x)
    np.testing.assert_array_equal(y, [0, 0, 0, 2.5, np.nan, 0, np.inf])
    assert not np.signbit(y[:3]).any()  # +0, as the primer's copy-then-zero gives
    np.testing.assert_array_equal(relu.backward(np.full(7, 2.0)), [0, 0, 0, 2, 2, 0, 2])


W4 = np.zeros((2, 1, 3, 3))
B2 = np.zeros(2)


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda: Convolution(None, B2), TypeError, "Convolution: W must be a float numpy array"),
    (lambda: Convolution(W4, [0.0, 0.0]), TypeError, "Convolution: b must be a float numpy array"),
    (lambda: Convolution(W4, True), TypeError, "Convolution: b must be a float numpy array .* or a number"),
    (lambda: Convolution(W4.astype(int), B2), TypeError, "Convolution: W must be a float"),
    (lambda: Convolution(W4[0], B2), ValueError, r"Convolution: W must be \(FN, C, FH, FW\)"),
    (lambda: Convolution(W4, np.zeros(3)), ValueError, r"Convolution: W must be .* b \(FN,\)"),
    (lambda: Convolution(W4, B2, stride=0), ValueError, "Convolution: stride must be an integer >= 1"),
    (lambda: Convolution(W4, B2, stride=1.5), TypeError, "Convolution: stride must be an integer"),
    (lambda: Convolution(W4, B2, pad=-1), ValueError, "Convolution: pad must be an integer >= 0"),
    (lambda: Convolution(W4, B2).forward(np.zeros((1, 2, 5, 5))), ValueError,
     "Convolution.forward: x has 2 channels, the filters W have 1"),
    (lambda: Convolution(W4, B2).forward(np.zeros((5, 5))), ValueError,
     r"Convolution.forward: x must be a non-empty batch of images \(N, C, H, W\)"),
    (lambda: Convolution(W4, B2).forward(np.zeros((0, 1, 5, 5))), ValueError,
     "Convolution.forward: x must be"),
    (lambda: Convolution(W4, B2).forward([[[["a"]]]]), TypeError,
     "Convolution.forward: x must be an array of real"),
    (lambda: Convolution(W4, B2, stride=2).forward(np.zeros((1, 1, 6, 6))), ValueError,
     r"Convolution: stride 2 does not fit: \(H \+ 2\*pad - FH\) / stride \+ 1 = \(6 \+ 0 - 3\) / 2 \+ 1 = "
     "2.5 is not a whole number"),
    (lambda: Convolution(W4, B2).forward(np.zeros((1, 1, 2, 5))), ValueError,
     "Convolution: FH 3 is larger than H 2"),
    (lambda: Convolution(W4, B2).backward(np.zeros((1, 2, 3, 3))), RuntimeError, "before forward"),
    (lambda: _forwarded(Convolution(W4, B2)).backward(np.zeros((1, 2, 3, 4))), ValueError,
     r"Convolution.backward: dout has shape \(1, 2, 3, 4\)"),
    (lambda: Pooling(2.0, 2), TypeError, "Pooling: pool_h must be an integer"),
    (lambda: Pooling(2, 0), ValueError, "Pooling: pool_w must be an integer >= 1"),
    (lambda: Pooling(2, 2, stride=0), ValueError, "Pooling: stride must be an integer >= 1"),
    (lambda: Pooling(2, 2, pad=2), ValueError, "Pooling: pad must be smaller than pool_h and pool_w"),
    (lambda: Pooling(2, 2, stride=2).forward(np.zeros((1, 1, 5, 4))), ValueError,
     r"Pooling: stride 2 does not fit: \(H \+ 2\*pad - pool_h\)"),
    (lambda: Pooling(2, 2).forward(np.zeros((4, 4))), ValueError,
     "Pooling.forward: x must be a non-empty batch"),
    (lambda: Pooling(2, 2).forward("x"), TypeError, "Pooling.forward: x must be an array of real"),
    (lambda: Pooling(2, 2).backward(np.zeros((1, 1, 3, 3))), RuntimeError, "before forward"),
    (lambda: _forwarded(Pooling(2, 2, stride=2)).backward(np.zeros((1, 2, 2))), ValueError,
     r"Pooling.backward: dout has shape \(1, 2, 2\)"),
])
def test_bad_input_is_refused_naming_the_layer_and_parameter(call, error, words):
    with pytest.raises(error, match=words):
        call()


def _forwarded(layer):
    layer.forward(np.zeros((1, 1, 6, 5)) if isinstance(layer, Convolution) else np.zeros((1, 2, 4, 4)))
    return layer
