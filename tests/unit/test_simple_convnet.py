"""common.simple_convnet.SimpleConvNet: the primer's layer plan, gradient checks, targets, params, files."""

import pickle

import numpy as np
import pytest

from common.gradient import relative_error
from common.optimizer import Adam
from common.simple_convnet import SimpleConvNet

SMALL = {"input_dim": (1, 10, 10), "conv_param": {"filter_num": 3, "filter_size": 3, "pad": 1, "stride": 1},
         "hidden_size": 8, "output_size": 10, "weight_init_std": 0.3}


@pytest.mark.parametrize("conv_param", [
    {"filter_num": 3, "filter_size": 3, "pad": 1, "stride": 1},
    {"filter_num": 2, "filter_size": 3, "pad": 0, "stride": 1},   # 8x8 maps
    {"filter_num": 2, "filter_size": 2, "pad": 1, "stride": 2},   # (10 + 2 - 2) / 2 + 1 = 6
])
def test_backprop_matches_numerical_gradient(conv_param):
    net = SimpleConvNet(**{**SMALL, "conv_param": conv_param}, seed=0)
    rng = np.random.default_rng(1)
    x, t = rng.random((3, 1, 10, 10)), np.array([1, 7, 3])
    numerical = net.numerical_gradient(x, t)
    backprop = net.gradient(x, t)
    assert set(backprop) == set(numerical) == {"W1", "b1", "W2", "b2", "W3", "b3"}
    for key in backprop:
        assert backprop[key].shape == net.params[key].shape
        assert relative_error(backprop[key], numerical[key]) < 1e-6, key


def test_targets_as_labels_a_column_of_labels_or_one_hot_rows():
    """The primer's ch07/gradient_check.py passes T = np.array([1]).reshape((1, 1)): a column of labels."""
    net = SimpleConvNet(**SMALL, seed=0)
    x = np.random.default_rng(2).random((4, 1, 10, 10))
    labels = np.array([1, 0, 9, 4])
    losses = [net.loss(x, t) for t in (labels, labels.reshape(4, 1), np.eye(10)[labels])]
    assert losses[0] == losses[1] == pytest.approx(losses[2], rel=1e-12)
    grads = [net.gradient(x, t) for t in (labels, labels.reshape(4, 1))]
    for key in grads[0]:
        np.testing.assert_array_equal(grads[0][key], grads[1][key])
    accuracies = [net.accuracy(x, t) for t in (labels, labels.reshape(4, 1), np.eye(10)[labels])]
    assert accuracies[0] == accuracies[1] == accuracies[2]
    one = net.gradient(x[:1], np.array([1]).reshape((1, 1)))
    assert one["W1"].shape == (3, 1, 3, 3)


def test_the_primers_sizes_and_layer_plan():
    net = SimpleConvNet(seed=0)
    shapes = {key: value.shape for key, value in net.params.items()}
    assert shapes == {"W1": (30, 1, 5, 5), "b1": (30,), "W2": (30 * 12 * 12, 100), "b2": (100,),
                      "W3": (100, 10), "b3": (10,)}
    assert list(net.layers) == ["Conv1", "Relu1", "Pool1", "Affine1", "Relu2", "Affine2"]
    assert net.predict(np.zeros((2, 1, 28, 28))).shape == (2, 10)
    assert 0.005 < net.params["W1"].std() < 0.015  # weight_init_std 0.01
    np.testing.assert_array_equal(SimpleConvNet(seed=0).params["W2"], net.params["W2"])
    assert not np.array_equal(SimpleConvNet(seed=1).params["W2"], net.params["W2"])


def test_layers_use_the_params_in_place_and_as_the_primers_load_params_assigns_them():
    net = SimpleConvNet(**SMALL, seed=0)
    x = np.random.default_rng(3).random((2, 1, 10, 10))
    before = net.predict(x)
    assert net.layers["Conv1"].W is net.params["W1"] and net.layers["Affine2"].b is net.params["b3"]
    net.params["b3"] += 1.0  # an optimizer's in-place update
    np.testing.assert_allclose(net.predict(x), before + 1.0, rtol=1e-12)
    # the primer's load_params: params[key] = loaded array; layers[key].W = params[key]
    net.params["b3"] = np.zeros(10)
    net.layers["Affine2"].b = net.params["b3"]
    np.testing.assert_allclose(net.predict(x), before, rtol=1e-12)


def test_accuracy_counts_every_image_including_a_last_partial_batch():
    net = SimpleConvNet(**SMALL, seed=0)
    x = np.random.default_rng(4).random((7, 1, 10, 10))
    predicted = np.argmax(net.predict(x), axis=1)
    t = predicted.copy()
    t[[0, 6]] = (t[[0, 6]] + 1) % 10  # two wrong, one of them in the last batch of one
    assert net.accuracy(x, t, batch_size=3) == pytest.approx(5 / 7)
    assert net.accuracy(x, t, batch_size=100) == pytest.approx(5 / 7)


def test_adam_steps_lower_the_loss():
    net = SimpleConvNet(**SMALL, seed=0)
    rng = np.random.default_rng(5)
    x, t = rng.random((20, 1, 10, 10)), rng.integers(0, 10, 20)
    first = net.loss(x, t)
    optimizer = Adam(lr=0.01)
    for _ in range(60):
        optimizer.update(net.params, net.gradient(x, t))
    assert net.loss(x, t) < first / 2  # 20 random images, learnt by heart


def test_save_and_load_round_trip(tmp_path):
    net = SimpleConvNet(**SMALL, seed=0)
    path = tmp_path / "params.pkl"  # the primer's default name: written as given, but an .npz inside
    net.save_params(path)
    assert path.is_file() and not (tmp_path / "params.pkl.npz").exists()
    other = SimpleConvNet(**SMALL, seed=1)
    other.load_params(path)
    for key, value in net.params.items():
        np.testing.assert_array_equal(other.params[key], value)
    assert other.layers["Conv1"].W is other.params["W1"]
    x = np.random.default_rng(6).random((2, 1, 10, 10))
    np.testing.assert_array_equal(other.predict(x), net.predict(x))


def test_load_params_refuses_pickles_and_other_networks(tmp_path):
    net = SimpleConvNet(**SMALL, seed=0)
    pickled = tmp_path / "params.pkl"
    pickled.write_bytes(pickle.dumps(dict(net.params)))
    with pytest.raises(ValueError, match="SimpleConvNet.load_params: .* reads no pickles"):
        net.load_params(pickled)
    bigger = tmp_path / "big.npz"
    SimpleConvNet(seed=0).save_params(bigger)
    with pytest.raises(ValueError, match="SimpleConvNet.load_params: .* this network needs"):
        net.load_params(bigger)
    ints = tmp_path / "ints.npz"
    np.savez(ints, **{key: value.astype(int) for key, value in net.params.items()})
    with pytest.raises(TypeError, match="W1 has dtype int64, parameters are floats"):
        net.load_params(ints)


@pytest.mark.parametrize(("kwargs", "error", "words"), [
    ({"input_dim": 28}, TypeError, r"SimpleConvNet: input_dim must be \(C, H, W\)"),
    ({"input_dim": (1, 28, 28.0)}, TypeError, r"SimpleConvNet: input_dim\[2\] must be an integer"),
    ({"input_dim": (0, 28, 28)}, ValueError, r"SimpleConvNet: input_dim\[0\] must be an integer >= 1"),
    ({"conv_param": [30, 5, 0, 1]}, TypeError, "SimpleConvNet: conv_param must be a dict"),
    ({"conv_param": {"filter_num": 30, "filter_size": 5, "pad": 0}}, ValueError,
     "SimpleConvNet: conv_param must have exactly the keys"),
    ({"conv_param": {"filter_num": 30, "filter_size": 5, "pad": -1, "stride": 1}}, ValueError,
     r"SimpleConvNet: conv_param\['pad'\] must be an integer >= 0"),
    ({"conv_param": {"filter_num": 30, "filter_size": 5, "pad": 0, "stride": 2}}, ValueError,
     r"SimpleConvNet: stride 2 does not fit: \(input_dim\[1\] \+ 2\*pad - conv_param\['filter_size'\]\)"),
    ({"conv_param": {"filter_num": 30, "filter_size": 4, "pad": 0, "stride": 1}}, ValueError,
     "SimpleConvNet: the convolution's output is 25x25; the 2x2 pooling needs an even height and width"),
    ({"conv_param": {"filter_num": 30, "filter_size": 29, "pad": 0, "stride": 1}}, ValueError,
     r"conv_param\['filter_size'\] 29 is larger than input_dim\[1\] 28"),
    ({"hidden_size": 0}, ValueError, "SimpleConvNet: hidden_size must be an integer >= 1"),
    ({"output_size": "10"}, TypeError, "SimpleConvNet: output_size must be an integer"),
    ({"weight_init_std": "he"}, TypeError, "SimpleConvNet: weight_init_std must be a real number"),
    ({"weight_init_std": -0.1}, ValueError, "SimpleConvNet: weight_init_std must be >= 0"),
    ({"seed": -1}, ValueError, "SimpleConvNet: seed must be an integer >= 0"),
])
def test_bad_constructor_arguments_are_refused(kwargs, error, words):
    with pytest.raises(error, match=words):
        SimpleConvNet(**kwargs)


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda net: net.predict(np.zeros((2, 3, 10, 10))), ValueError, "Convolution.forward: x has 3 channels"),
    (lambda net: net.predict(np.zeros((2, 100))), ValueError,
     r"Convolution.forward: x must be .*\(N, C, H, W\)"),
    (lambda net: net.loss(np.zeros((2, 1, 10, 10)), [1, 10]), ValueError, "label 10 is out of range"),
    (lambda net: net.loss(np.full((1, 1, 10, 10), np.nan), [1]), ValueError,
     "SimpleConvNet: the input x contains NaN"),
    (lambda net: net.accuracy(np.zeros((2, 1, 10, 10)), [1.0, 2.0]), TypeError,
     "accuracy: class labels t must"),
    (lambda net: net.accuracy(np.zeros((2, 1, 10, 10)), [1, 2, 3]), ValueError, "accuracy: target shape"),
    (lambda net: net.accuracy(np.zeros((0, 1, 10, 10)), []), ValueError, "accuracy: the batch is empty"),
    (lambda net: net.accuracy(np.zeros((2, 1, 10, 10)), [1, 2], batch_size=0), ValueError,
     "accuracy: batch_size must be an integer >= 1"),
])
def test_bad_input_is_refused(call, error, words):
    with pytest.raises(error, match=words):
        call(SimpleConvNet(**SMALL, seed=0))
