"""common.networks, optimizers and training: gradient checks, the params contract, XOR, MNIST."""

import numpy as np
import pytest

from common.gradient import relative_error
from common.multi_layer_net import MultiLayerNet
from common.optimizer import SGD
from common.training import train
from common.two_layer_net import TwoLayerNet

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_T = np.array([0, 1, 1, 0])


def small_batch(d=5, c=3, n=4, seed=0):
    g = np.random.default_rng(seed)
    return g.standard_normal((n, d)), g.integers(0, c, size=n)


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_two_layer_net_gradient_check(activation):
    net = TwoLayerNet(5, 4, 3, weight_init_std=0.5, seed=1, activation=activation)
    x, t = small_batch()
    backprop = net.gradient(x, t)
    numeric = net.numerical_gradient(x, t)
    assert backprop.keys() == numeric.keys() == {"W1", "b1", "W2", "b2"}
    for key in backprop:
        assert backprop[key].shape == net.params[key].shape
        assert relative_error(backprop[key], numeric[key]) < 1e-6, key


@pytest.mark.parametrize("activation", ["sigmoid", "relu"])
def test_multi_layer_net_gradient_check(activation):
    net = MultiLayerNet(5, [6, 4], 3, activation=activation, weight_init_std=activation, seed=2)
    x, t = small_batch(seed=3)
    t_one_hot = np.eye(3)[t]
    backprop = net.gradient(x, t_one_hot)
    numeric = net.numerical_gradient(x, t_one_hot)
    assert sorted(backprop) == ["W1", "W2", "W3", "b1", "b2", "b3"]
    for key in backprop:
        assert relative_error(backprop[key], numeric[key]) < 1e-6, key


def test_same_seed_same_weights_and_init_scales():
    a, b = TwoLayerNet(784, 50, 10, seed=7), TwoLayerNet(784, 50, 10, seed=7)
    for key in a.params:
        np.testing.assert_array_equal(a.params[key], b.params[key])
    assert not np.array_equal(a.params["W1"], TwoLayerNet(784, 50, 10, seed=8).params["W1"])
    assert a.params["W1"].std() == pytest.approx(0.01, rel=0.02)
    assert np.all(a.params["b1"] == 0)
    wide = MultiLayerNet(400, [400], 10, activation="relu", seed=0)
    assert wide.params["W1"].std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)
    xavier = MultiLayerNet(400, [400], 10, weight_init_std="xavier", seed=0)
    assert xavier.params["W1"].std() == pytest.approx(0.05, rel=0.02)


def test_params_dict_is_the_source_of_truth():
    net = TwoLayerNet(5, 4, 3, seed=0)
    x, t = small_batch()
    before = net.loss(x, t)
    net.params["W2"] = net.params["W2"] * 3  # replace the entry, not modify it
    assert net.loss(x, t) != before
    net.params["W2"] = net.params["W2"].astype(np.float32)
    assert net.predict(x).shape == (4, 3)


def test_float32_params_numerical_gradient_is_computed_in_float64():
    net = TwoLayerNet(5, 4, 3, weight_init_std=0.5, seed=4)
    x, t = small_batch(seed=5)
    reference = net.gradient(x, t)  # float64 backprop
    stored = {k: v.astype(np.float32) for k, v in net.params.items()}
    net.params.update(stored)
    numeric = net.numerical_gradient(x, t)
    for key in reference:
        assert numeric[key].dtype == np.float64
        assert relative_error(reference[key], numeric[key]) < 1e-5, key  # weights rounded to float32
        assert net.params[key] is stored[key]  # the caller's arrays are back, unchanged
        np.testing.assert_array_equal(net.params[key], stored[key])


def test_accuracy_with_labels_and_one_hot():
    net = TwoLayerNet(2, 3, 2, seed=0)
    x = XOR_X
    pred = np.argmax(net.predict(x), axis=1)
    assert net.accuracy(x, pred) == 1.0
    assert net.accuracy(x, np.eye(2)[1 - pred]) == 0.0
    with pytest.raises(ValueError, match="shape"):
        net.accuracy(x, np.array([0, 1]))


def test_bad_inputs_raise_clear_errors():
    net = TwoLayerNet(5, 4, 3, seed=0)
    with pytest.raises(ValueError, match="does not fit W"):
        net.loss(np.zeros((2, 6)), np.array([0, 1]))
    with pytest.raises(ValueError, match="out of range"):
        net.loss(np.zeros((2, 5)), np.array([0, 3]))
    with pytest.raises(ValueError, match="activation"):
        TwoLayerNet(5, 4, 3, activation="swish")
    with pytest.raises(ValueError, match=r"hidden_size_list\[0\] must be an integer >= 1"):
        MultiLayerNet(5, [0], 3)


def test_sgd_updates_in_place_and_checks_keys():
    params = {"W": np.ones(3)}
    alias = params["W"]
    SGD(lr=0.5).update(params, {"W": np.array([1.0, 2.0, 4.0])})
    np.testing.assert_array_equal(alias, [0.5, 0.0, -1.0])
    with pytest.raises(ValueError, match="keys"):
        SGD(0.1).update(params, {"V": np.ones(3)})
    with pytest.raises(ValueError, match="shape"):
        SGD(0.1).update(params, {"W": np.ones(2)})
    with pytest.raises(ValueError, match="positive"):
        SGD(lr=0)


def test_xor_is_learned_by_multi_layer_net():
    net = MultiLayerNet(2, [8], 2, activation="sigmoid", weight_init_std="sigmoid", seed=0)
    history = train(net, SGD(lr=2.0), (XOR_X, XOR_T), steps=3000, batch_size=4, log=None)
    assert net.accuracy(XOR_X, XOR_T) == 1.0
    assert history.loss[-1] < 0.01 < history.loss[0]


def test_training_history_and_progress_lines():
    x, t = small_batch(d=5, c=3, n=40, seed=9)
    lines = []
    net = TwoLayerNet(5, 8, 3, weight_init_std=0.5, seed=0)
    history = train(net, SGD(0.5), (x, t), (x[:10], t[:10]), steps=25, batch_size=10, log=lines.append)
    assert len(history.loss) == 25
    assert history.eval_steps == [4, 8, 12, 16, 20, 24, 25]  # every epoch (4 batches) and the end
    assert len(history.train_acc) == len(history.test_acc) == len(lines) == 7
    assert lines[0].startswith("step     4  epoch   1.00")
    again = train(TwoLayerNet(5, 8, 3, weight_init_std=0.5, seed=0), SGD(0.5), (x, t), steps=25,
                  batch_size=10, log=None)
    assert again.loss == history.loss  # same seeds, same run
    with pytest.raises(ValueError, match="batch_size"):
        train(net, SGD(0.1), (x, t), batch_size=41)


def test_two_layer_net_learns_bundled_mnist():
    from dataset import load_mnist

    train_data, test_data = load_mnist()
    net = TwoLayerNet(784, 50, 10, seed=0)
    history = train(net, SGD(lr=0.5), train_data, test_data, steps=800, batch_size=100, log=None)
    assert history.test_acc[-1] >= 0.88
    assert history.loss[-1] < history.loss[0] / 4
