"""common.layers: every backward checked against numerical gradients; pitfalls of the primer's code."""

import numpy as np
import pytest

from common.gradient import numerical_gradient, relative_error
from common.layers import (
    AddLayer,
    Affine,
    IdentityWithLoss,
    MulLayer,
    Relu,
    Sigmoid,
    SigmoidWithLoss,
    SoftmaxWithLoss,
)

TOL = 1e-6


def rng(seed=0):
    return np.random.default_rng(seed)


def check_input_gradient(layer, x, seed=1):
    """Compare layer.backward with the numerical gradient of L = sum(forward(x) * R)."""
    out = layer.forward(x)
    r = rng(seed).standard_normal(out.shape)
    dout = r.copy()
    dx = layer.backward(dout)
    np.testing.assert_array_equal(dout, r)  # backward must not modify dout
    numeric = numerical_gradient(lambda v: np.sum(layer.forward(v) * r), x)
    assert relative_error(dx, numeric) < TOL


def test_apple_example_with_mul_layers():
    apple, count, tax = 100, 2, 1.1
    mul_apple, mul_tax = MulLayer(), MulLayer()
    price = mul_tax.forward(mul_apple.forward(apple, count), tax)
    assert price == pytest.approx(220.0)
    d_apple_price, d_tax = mul_tax.backward(1)
    d_apple, d_count = mul_apple.backward(d_apple_price)
    assert (d_apple, d_count, d_tax) == (pytest.approx(2.2), pytest.approx(110.0), 200)


def test_apples_and_oranges():
    mul_a, mul_o, add, mul_t = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    total = mul_t.forward(add.forward(mul_a.forward(100, 2), mul_o.forward(150, 3)), 1.1)
    assert total == pytest.approx(715.0)
    d_sum, d_tax = mul_t.backward(1)
    d_a, d_o = add.backward(d_sum)
    d_apple, d_apple_n = mul_a.backward(d_a)
    d_orange, d_orange_n = mul_o.backward(d_o)
    expected = (2.2, 110, 3.3, 165, 650)
    got = (d_apple, d_apple_n, d_orange, d_orange_n, d_tax)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize("layer", [MulLayer(), AddLayer()], ids=["mul", "add"])
def test_mul_and_add_on_arrays(layer):
    x, y = rng().standard_normal((2, 3, 4))
    out = layer.forward(x, y)
    r = rng(2).standard_normal(out.shape)
    dx, dy = layer.backward(r)
    nx = numerical_gradient(lambda v: np.sum(layer.forward(v, y) * r), x.copy())
    ny = numerical_gradient(lambda v: np.sum(layer.forward(x, v) * r), y.copy())
    assert relative_error(dx, nx) < TOL and relative_error(dy, ny) < TOL


def test_relu_gradient_and_switch():
    x = rng().standard_normal((4, 5))
    x[np.abs(x) < 1e-3] = 0.5  # keep clear of the kink for the numerical check
    check_input_gradient(Relu(), x)
    layer = Relu()
    layer.forward(np.array([-2.0, 0.0, 3.0]))
    np.testing.assert_array_equal(layer.backward(np.array([5.0, 5.0, 5.0])), [0.0, 0.0, 5.0])


def test_sigmoid_gradient():
    check_input_gradient(Sigmoid(), rng().standard_normal((3, 4)) * 3)


def test_affine_gradients_all_three():
    g = rng()
    W, b = g.standard_normal((4, 3)), g.standard_normal(3)
    x = g.standard_normal((5, 4))
    layer = Affine(W, b)
    check_input_gradient(layer, x)
    out = layer.forward(x)
    r = g.standard_normal(out.shape)
    layer.backward(r)
    dW, db = layer.dW.copy(), layer.db.copy()
    assert relative_error(dW, numerical_gradient(lambda _: np.sum(layer.forward(x) * r), W)) < TOL
    assert relative_error(db, numerical_gradient(lambda _: np.sum(layer.forward(x) * r), b)) < TOL
    np.testing.assert_allclose(db, r.sum(axis=0))  # the bias gradient sums over the batch


def test_affine_flattens_images_and_single_samples():
    g = rng()
    W, b = g.standard_normal((12, 2)), g.standard_normal(2)
    x = g.standard_normal((3, 1, 3, 4))
    layer = Affine(W, b)
    out = layer.forward(x)
    np.testing.assert_allclose(out, x.reshape(3, 12) @ W + b)
    dx = layer.backward(np.ones((3, 2)))
    assert dx.shape == x.shape
    single = layer.forward(x[0].ravel())
    assert single.shape == (2,)
    np.testing.assert_allclose(single, out[0])
    check_input_gradient(Affine(W, b), x)


def test_affine_rejects_mismatched_shapes():
    layer = Affine(np.zeros((4, 3)), np.zeros(3))
    with pytest.raises(ValueError, match=r"\(5, 6\).*\(4, 3\)"):
        layer.forward(np.zeros((5, 6)))
    layer.forward(np.zeros((5, 4)))
    with pytest.raises(ValueError, match="dout"):
        layer.backward(np.zeros((5, 2)))
    with pytest.raises(ValueError, match=r"b \(M,\), got W \(4, 3\) and b \(2,\)"):
        Affine(np.zeros((4, 3)), np.zeros(2))


def test_affine_without_input_gradient_still_gives_dW_db():
    g = rng()
    W, b = g.standard_normal((4, 3)), g.standard_normal(3)
    x, d = g.standard_normal((5, 4)), g.standard_normal((5, 3))
    full, lean = Affine(W, b), Affine(W, b, input_grad=False)
    full.forward(x)
    lean.forward(x)
    full.backward(d)
    assert lean.backward(d) is None
    np.testing.assert_array_equal(lean.dW, full.dW)
    np.testing.assert_array_equal(lean.db, full.db)


@pytest.mark.parametrize("targets", ["labels", "one_hot"])
def test_softmax_with_loss_gradient_is_y_minus_t_over_n(targets):
    g = rng()
    x = g.standard_normal((6, 4)) * 3
    labels = g.integers(0, 4, size=6)
    t = labels if targets == "labels" else np.eye(4)[labels]
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    dout = np.float64(1.0)
    dx = layer.backward(dout)
    e = np.exp(x - x.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(dx, (y - np.eye(4)[labels]) / 6, rtol=1e-12)
    numeric = numerical_gradient(lambda v: SoftmaxWithLoss().forward(v, t), x)
    assert relative_error(dx, numeric) < TOL


def test_softmax_with_loss_single_sample_and_dout():
    x = np.array([0.3, 2.9, 4.0])
    layer = SoftmaxWithLoss()
    loss = layer.forward(x, 2)
    e = np.exp(x)
    assert loss == pytest.approx(-np.log(e[2] / e.sum()), rel=1e-14)
    np.testing.assert_allclose(layer.backward(2.0), 2.0 * (e / e.sum() - [0, 0, 1]), rtol=1e-12)


def test_sigmoid_with_loss_gradient():
    g = rng()
    x = g.standard_normal((5, 3)) * 4
    t = (g.random((5, 3)) > 0.5).astype(float)
    layer = SigmoidWithLoss()
    loss = layer.forward(x, t)
    s = 1 / (1 + np.exp(-x))
    expected = -np.sum(t * np.log(s) + (1 - t) * np.log(1 - s)) / 5
    assert loss == pytest.approx(expected, rel=1e-12)
    dx = layer.backward()
    np.testing.assert_allclose(dx, (s - t) / 5, rtol=1e-12)
    assert relative_error(dx, numerical_gradient(lambda v: SigmoidWithLoss().forward(v, t), x)) < TOL


def test_sigmoid_with_loss_huge_scores_finite():
    layer = SigmoidWithLoss()
    loss = layer.forward(np.array([[1000.0, -1000.0]]), np.array([[0.0, 1.0]]))
    assert loss == pytest.approx(2000.0)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        layer.forward(np.zeros((1, 2)), np.array([[2.0, 0.0]]))
    with pytest.raises(ValueError, match="shape"):
        layer.forward(np.zeros((1, 2)), np.zeros(2))


def test_identity_with_loss_gradient():
    g = rng()
    x, t = g.standard_normal((4, 3)), g.standard_normal((4, 3))
    layer = IdentityWithLoss()
    loss = layer.forward(x, t)
    assert loss == pytest.approx(0.5 * np.sum((x - t) ** 2) / 4, rel=1e-14)
    dx = layer.backward()
    np.testing.assert_allclose(dx, (x - t) / 4, rtol=1e-14)
    assert relative_error(dx, numerical_gradient(lambda v: IdentityWithLoss().forward(v, t), x)) < TOL


def test_loss_layers_reject_bad_labels_and_nan():
    with pytest.raises(ValueError, match="out of range"):
        SoftmaxWithLoss().forward(np.zeros((2, 3)), np.array([0, -1]))
    with pytest.raises(ValueError, match="out of range"):  # targets are checked on diverged scores too
        SoftmaxWithLoss().forward(np.array([[np.nan, 0.0]]), np.array([2]))
    with pytest.raises(ValueError, match="NaN"):
        IdentityWithLoss().forward(np.array([np.nan]), np.array([0.0]))


def test_softmax_with_loss_warns_on_diverged_scores_and_carries_on():
    layer = SoftmaxWithLoss()
    for x in (np.array([[np.nan, 0.0], [1.0, 2.0]]), np.array([[np.inf, 0.0], [1.0, 2.0]])):
        with pytest.warns(RuntimeWarning, match="diverged"):
            assert np.isnan(layer.forward(x, np.array([0, 1])))
        assert np.isnan(layer.backward()).all() and layer.backward().shape == (2, 2)
    assert layer.forward(np.array([[0.0, -np.inf]]), np.array([0])) == 0.0  # -inf is a probability 0


def test_no_backward_modifies_dout():
    g = rng()
    x = g.standard_normal((3, 4))
    for layer in (Relu(), Sigmoid(), Affine(g.standard_normal((4, 2)), np.zeros(2))):
        out = layer.forward(x)
        dout = g.standard_normal(out.shape)
        keep = dout.copy()
        layer.backward(dout)
        np.testing.assert_array_equal(dout, keep)


def test_softmax_with_loss_single_sample_targets_keep_the_shape():
    x = np.array([0.3, 2.9, 4.0])
    for t in (2, np.array([2]), np.array([0, 0, 1]), np.array([[0, 0, 1]])):
        layer = SoftmaxWithLoss()
        layer.forward(x, t)
        assert layer.backward().shape == (3,)


@pytest.mark.parametrize("layer_class", [SoftmaxWithLoss, IdentityWithLoss])
@pytest.mark.parametrize("classes", [1, 3])
@pytest.mark.parametrize("targets", ["labels", "dense"])
def test_loss_layer_gradient_is_the_gradient_of_its_loss(layer_class, classes, targets):
    """C = 1 with labels was wrong for IdentityWithLoss: forward read (N,) labels as one-hot, backward
    as values."""
    g = rng(classes)
    x = g.standard_normal((4, classes))
    labels = g.integers(0, classes, size=4)
    t = labels if targets == "labels" else np.eye(classes)[labels]
    layer = layer_class()
    layer.forward(x, t)
    dx = layer.backward()
    numeric = numerical_gradient(lambda v: layer_class().forward(v, t), x.copy())
    assert relative_error(dx, numeric) < TOL


def test_softmax_with_loss_takes_minus_inf_scores_and_keeps_its_own_labels():
    layer = SoftmaxWithLoss()
    assert layer.forward(np.array([[0.0, -np.inf]]), np.array([0])) == 0.0
    np.testing.assert_array_equal(layer.backward(), [[0.0, 0.0]])
    labels = np.array([0, 2])
    layer.forward(np.zeros((2, 3)), labels)
    want = layer.backward()
    labels[:] = 1  # the caller reuses its array: the layer kept a copy
    np.testing.assert_array_equal(layer.backward(), want)


def test_sigmoid_layer_backward_is_its_formula_and_forward_is_functions_sigmoid():
    x = np.array([0.0, -0.0, np.inf, -np.inf, 800.0, -800.0, -740.0, 5e-324, 0.3])
    layer = Sigmoid()
    y = layer.forward(x)
    np.testing.assert_array_equal(y[:4], [0.5, 0.5, 1.0, 0.0])
    assert y[5] == 0.0 and 0 < y[6] < 1e-300  # no overflow warning, no flush to 0 before it must
    dout = np.arange(9.0)
    np.testing.assert_array_equal(layer.backward(dout), dout * y * (1 - y))
