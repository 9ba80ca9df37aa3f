"""MultiLayerNetExtend: the primer's net with batch norm and dropout, gradient-checked in each set-up."""

import numpy as np
import pytest

from common.gradient import relative_error
from common.layers import BatchNormalization, Dropout
from common.multi_layer_net import MultiLayerNet
from common.multi_layer_net_extend import MultiLayerNetExtend


def data(n=6, d=5, c=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.integers(0, c, n)


def freeze_dropout(net, seed=123):
    """Replay the same masks on every loss evaluation, so the loss is one fixed function of params."""
    for layer in net.layers.values():
        if isinstance(layer, Dropout):
            layer.rng = np.random.default_rng(seed)


def check_gradient(net, x, t):
    if net.use_dropout:
        loss = net.loss
        net.loss = lambda *args, **kw: (freeze_dropout(net), loss(*args, **kw))[1]
    numerical = net.numerical_gradient(x, t)
    backprop = net.gradient(x, t)
    assert backprop.keys() == numerical.keys() == net.params.keys()
    for key in backprop:
        assert backprop[key].shape == net.params[key].shape
        if net.use_batchnorm and key[0] == "b" and key[1:].isdigit() and key != f"b{len(net.sizes) - 1}":
            # A bias just before batch norm is subtracted out again with the batch mean: no gradient.
            np.testing.assert_allclose(backprop[key], 0, atol=1e-12)
            np.testing.assert_allclose(numerical[key], 0, atol=1e-9)
        else:
            assert relative_error(backprop[key], numerical[key]) < 1e-6, key


@pytest.mark.parametrize("kw", [
    dict(),
    dict(use_batchnorm=True),
    dict(use_dropout=True, dropout_ration=0.3),
    dict(use_batchnorm=True, use_dropout=True, weight_decay_lambda=0.1, activation="sigmoid"),
])
def test_gradient_check(kw):
    x, t = data()
    net = MultiLayerNetExtend(5, [4, 4], 3, seed=1, **kw)
    if kw.get("use_batchnorm"):  # gamma and beta away from 1 and 0, so their gradients are not special
        rng = np.random.default_rng(2)
        for i in (1, 2):
            net.params[f"gamma{i}"] += 0.3 * rng.standard_normal(4)
            net.params[f"beta{i}"] += 0.3 * rng.standard_normal(4)
    check_gradient(net, x, t)


def test_keys_and_layer_order():
    net = MultiLayerNetExtend(5, [4, 3], 2, use_batchnorm=True, use_dropout=True)
    assert set(net.params) == {"W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3"}
    assert list(net.layers) == ["Affine1", "BatchNorm1", "Activation_function1", "Dropout1",
                                "Affine2", "BatchNorm2", "Activation_function2", "Dropout2", "Affine3"]
    assert net.params["gamma2"].shape == (3,)
    np.testing.assert_array_equal(net.params["gamma1"], 1.0)
    np.testing.assert_array_equal(net.params["beta1"], 0.0)


def test_without_extras_it_is_multilayernet():
    x, t = data()
    a = MultiLayerNet(5, [4, 4], 3, weight_decay_lambda=0.05, seed=3)
    b = MultiLayerNetExtend(5, [4, 4], 3, weight_decay_lambda=0.05, seed=3)
    for key in a.params:
        np.testing.assert_array_equal(a.params[key], b.params[key])
    assert a.loss(x, t) == b.loss(x, t)
    ga, gb = a.gradient(x, t), b.gradient(x, t)
    for key in ga:
        np.testing.assert_array_equal(ga[key], gb[key])


def test_train_flg_switches_dropout_and_batchnorm():
    x, t = data(n=20)
    net = MultiLayerNetExtend(5, [50], 3, use_dropout=True, dropout_ration=0.5, seed=4)
    inference = net.predict(x)
    np.testing.assert_array_equal(inference, net.predict(x, train_flg=False))  # deterministic
    assert not np.allclose(net.predict(x, train_flg=True), inference)  # masks in training
    bn = MultiLayerNetExtend(5, [6], 3, use_batchnorm=True, seed=5)
    bn.predict(x, train_flg=True)
    layer = bn.layers["BatchNorm1"]
    assert isinstance(layer, BatchNormalization)
    h = x @ bn.params["W1"] + bn.params["b1"]
    np.testing.assert_allclose(layer.running_mean, 0.1 * h.mean(axis=0), rtol=1e-12)  # one step from 0
    assert net.accuracy(x, t) == float(np.mean(np.argmax(inference, axis=1) == t))


def test_params_replaced_are_used():
    x, t = data()
    net = MultiLayerNetExtend(5, [4], 3, use_batchnorm=True, seed=6)
    before = net.loss(x, t, train_flg=True)
    net.params["gamma1"] = np.full(4, 2.0)  # a new array, not an in-place change
    assert net.loss(x, t, train_flg=True) != before
    assert net.layers["BatchNorm1"].gamma is net.params["gamma1"]


def test_seeded_and_checked():
    a = MultiLayerNetExtend(5, [4], 3, use_dropout=True, seed=9)
    b = MultiLayerNetExtend(5, [4], 3, use_dropout=True, seed=9)
    x, _ = data()
    np.testing.assert_array_equal(a.predict(x, train_flg=True), b.predict(x, train_flg=True))
    with pytest.raises(ValueError, match="activation"):
        MultiLayerNetExtend(5, [4], 3, activation="tanh")
    with pytest.raises(ValueError, match=r"hidden_size_list\[0\] must be an integer >= 1"):
        MultiLayerNetExtend(5, [0], 3)
    with pytest.raises(TypeError, match="input_size must be an integer"):  # as MultiLayerNet
        MultiLayerNetExtend(4.5, [3], 2)
    with pytest.raises(ValueError, match="weight_decay_lambda must be"):
        MultiLayerNetExtend(5, [4], 3, weight_decay_lambda=-1)
    with pytest.raises(ValueError, match="dropout_ratio"):
        MultiLayerNetExtend(5, [4], 3, use_dropout=True, dropout_ration=1.5)
