"""layers.Dropout and layers.BatchNormalization: the formulas, both modes, and numerical gradient checks."""

import numpy as np
import pytest

from common.gradient import numerical_gradient, relative_error
from common.layers import BatchNormalization, Dropout

# ----------------------------------------------------------------------------------- Dropout


def test_dropout_training_mask_and_inference_scale():
    x = np.arange(1.0, 13.0).reshape(3, 4)
    layer = Dropout(0.25, seed=0)
    y = layer.forward(x, train_flg=True)
    np.testing.assert_array_equal(y, np.where(layer.mask, x, 0.0))  # kept units pass unchanged
    np.testing.assert_array_equal(layer.forward(x, train_flg=False), 0.75 * x)


def test_dropout_keeps_the_expected_fraction_and_inference_is_the_mean():
    layer = Dropout(0.3, seed=1)
    x = np.ones((200, 500))
    kept = layer.forward(x).mean()
    # 100,000 Bernoulli(0.7) draws: standard error 0.0014, so 5 of them is a loose bound
    assert abs(kept - 0.7) < 0.007
    np.testing.assert_allclose(layer.forward(x, train_flg=False), 0.7)


def test_dropout_new_mask_per_call_and_seeded():
    a, b = Dropout(0.5, seed=7), Dropout(0.5, seed=7)
    x = np.ones((4, 50))
    first = a.forward(x).copy()
    np.testing.assert_array_equal(first, b.forward(x))  # same seed, same masks
    assert not np.array_equal(first, a.forward(x))  # a fresh mask every training pass


def test_dropout_gradient_check():
    rng = np.random.default_rng(2)
    x, r = rng.standard_normal((5, 6)), rng.standard_normal((5, 6))
    layer = Dropout(0.4, seed=3)

    def loss(x_):
        layer.rng = np.random.default_rng(11)  # the same mask on every call: the function is fixed
        return np.sum(r * layer.forward(x_))

    loss(x)
    dx = layer.backward(r)
    assert 0 < layer.mask.sum() < layer.mask.size  # some units on, some off: the check means something
    assert relative_error(dx, numerical_gradient(loss, x)) < 1e-8


def test_dropout_refuses_bad_ratio_and_early_backward():
    with pytest.raises(ValueError, match="dropout_ratio"):
        Dropout(1.0)
    with pytest.raises(ValueError, match="dropout_ratio"):
        Dropout(-0.1)
    with pytest.raises(RuntimeError, match="training-mode forward"):
        Dropout().backward(np.ones(3))
    layer = Dropout(0.5, seed=0)
    layer.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match="shape"):  # a dout that would only broadcast
        layer.backward(np.ones(3))
    layer.forward(np.ones((2, 3)), train_flg=False)  # inference keeps no mask to differentiate with
    with pytest.raises(RuntimeError, match="training-mode forward"):
        layer.backward(np.ones((2, 3)))


# ------------------------------------------------------------------------ BatchNormalization


def make_bn(d, seed=0):
    rng = np.random.default_rng(seed)
    return BatchNormalization(1 + 0.5 * rng.standard_normal(d), rng.standard_normal(d))


def test_training_forward_normalises_each_feature():
    rng = np.random.default_rng(4)
    x = 3.0 + 5.0 * rng.standard_normal((64, 7))
    bn = BatchNormalization(np.ones(7), np.zeros(7))
    y = bn.forward(x)
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=0), x.var(axis=0) / (x.var(axis=0) + 1e-6), rtol=1e-12)
    bn2 = make_bn(7)
    y2 = bn2.forward(x)
    np.testing.assert_allclose(y2, bn2.gamma * y + bn2.beta, rtol=1e-12)  # then scale and shift


def test_running_statistics_and_inference():
    rng = np.random.default_rng(5)
    bn = BatchNormalization(np.ones(3), np.zeros(3), momentum=0.5)
    batches = [rng.standard_normal((10, 3)) * [1, 2, 3] + [0, 1, -1] for _ in range(2)]
    for b in batches:
        bn.forward(b)
    # By hand: start 0 / 1, then m = 0.5 m + 0.5 mean, twice.
    m1, v1 = 0.5 * batches[0].mean(0), 0.5 + 0.5 * batches[0].var(0)
    m2, v2 = 0.5 * m1 + 0.5 * batches[1].mean(0), 0.5 * v1 + 0.5 * batches[1].var(0)
    np.testing.assert_allclose(bn.running_mean, m2, rtol=1e-12)
    np.testing.assert_allclose(bn.running_var, v2, rtol=1e-12)
    x = rng.standard_normal((4, 3))
    np.testing.assert_allclose(bn.forward(x, train_flg=False), (x - m2) / np.sqrt(v2 + 1e-6), rtol=1e-12)
    np.testing.assert_allclose(bn.running_mean, m2, rtol=1e-12)  # inference leaves them alone


@pytest.mark.parametrize("shape", [(6, 4), (5, 2, 3, 2), (1, 3)])
def test_batchnorm_gradient_check(shape):
    rng = np.random.default_rng(6)
    x, r = 2.0 + 3.0 * rng.standard_normal(shape), rng.standard_normal(shape)
    d = int(np.prod(shape[1:]))
    bn = make_bn(d)

    def loss(_):
        return np.sum(r * bn.forward(x))

    loss(None)
    dx = bn.backward(r)
    dgamma, dbeta = bn.dgamma.copy(), bn.dbeta.copy()
    assert dx.shape == shape
    if shape[0] == 1:
        # One sample: every feature equals its own mean, so y = beta whatever x is: dx = 0.
        np.testing.assert_allclose(dx, 0, atol=1e-12)
    num_dx = numerical_gradient(loss, x)
    num_dgamma, num_dbeta = numerical_gradient(loss, bn.gamma), numerical_gradient(loss, bn.beta)
    assert np.linalg.norm(dx - num_dx) <= 1e-7 * max(1.0, np.linalg.norm(dx))
    assert relative_error(dgamma, num_dgamma) < 1e-8 or shape[0] == 1
    assert relative_error(dbeta, num_dbeta) < 1e-8


def test_batchnorm_refuses_wrong_shapes_and_early_backward():
    bn = BatchNormalization(np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match="gamma"):
        bn.forward(np.ones((2, 4)))
    with pytest.raises(RuntimeError, match="training-mode forward"):
        bn.backward(np.ones((2, 3)))
    bn.forward(np.ones((2, 3)))
    with pytest.raises(ValueError, match="shape"):
        bn.backward(np.ones(3))
    bn.forward(np.ones((2, 3)), train_flg=False)
    with pytest.raises(RuntimeError, match="training-mode forward"):
        bn.backward(np.ones((2, 3)))
    with pytest.raises(ValueError, match="momentum"):
        BatchNormalization(np.ones(3), np.zeros(3), momentum=1.0)
