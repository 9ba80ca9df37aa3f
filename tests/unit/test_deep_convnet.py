"""DeepConvNet (common.deep_convnet): the primer's layer plan and fan-ins, He scale, backprop against
numerical gradients (float64, a small input), float32 training, accuracy, .npz round trip, bad input."""

import pickle

import numpy as np
import pytest

from common.deep_convnet import DeepConvNet
from common.layers import Affine, Convolution, Dropout, Pooling, Relu
from common.optimizer import Adam
from dataset import load_mnist

# The primer's ch08/deep_convnet.py writes these out by hand (pre_node_nums).
PRIMER_FAN_IN = [1 * 3 * 3, 16 * 3 * 3, 16 * 3 * 3, 32 * 3 * 3, 32 * 3 * 3, 64 * 3 * 3, 64 * 4 * 4, 50]
# Its load_params and gradient read the parameter layers at these places of its 21-layer list.
PRIMER_PARAM_LAYERS = (0, 2, 5, 7, 10, 12, 15, 18)


def small_net(seed=0, channels=2, size=4):
    """A narrow DeepConvNet on (channels, size, size) images: a few hundred parameters, every layer kept.

    With size 4 and the primer's pads: 4, 4, pool 2, 2, 4 (pad 2), pool 2, 2, 2, pool 1."""
    convs = [{"filter_num": n, "filter_size": 3, "pad": p, "stride": 1}
             for n, p in ((2, 1), (2, 1), (3, 1), (3, 2), (4, 1), (4, 1))]
    return DeepConvNet((channels, size, size), *convs, hidden_size=5, output_size=3, seed=seed)


def replay_dropout(net, seed=7):
    """Make every loss evaluation of net draw the same Dropout masks (numerical gradients need one
    function, not a new random one per call)."""
    loss = net.loss

    def replaying(x, t):
        for layer in net.layers:
            if isinstance(layer, Dropout):
                layer.rng = np.random.default_rng(seed)
        return loss(x, t)

    net.loss = replaying


def test_layer_plan_is_the_primers():
    net = DeepConvNet(seed=0)
    kinds = [type(layer) for layer in net.layers]
    C, R, P, A, D = Convolution, Relu, Pooling, Affine, Dropout
    assert kinds == [C, R, C, R, P, C, R, C, R, P, C, R, C, R, P, A, R, D, A, D]
    assert [net.layers[i] for i in PRIMER_PARAM_LAYERS] == net.param_layers
    assert net.fan_in == PRIMER_FAN_IN
    shapes = {key: value.shape for key, value in net.params.items()}
    assert shapes["W4"] == (32, 32, 3, 3) and shapes["W7"] == (1024, 50) and shapes["b8"] == (10,)
    # weights + biases, layer by layer, counted by hand from the primer's plan
    by_hand = [9 * 16 + 16, 144 * 16 + 16, 144 * 32 + 32, 288 * 32 + 32, 288 * 64 + 64, 576 * 64 + 64,
               1024 * 50 + 50, 50 * 10 + 10]
    assert sum(value.size for value in net.params.values()) == sum(by_hand) == 123_552
    x = np.zeros((2, 1, 28, 28))
    assert net.predict(x).shape == (2, 10)


def test_he_scale_and_zero_biases():
    net = DeepConvNet(seed=1)
    for i, fan_in in enumerate(PRIMER_FAN_IN, start=1):
        w = net.params[f"W{i}"]
        # the sample standard deviation of n normal draws is within ~3/sqrt(2n) of the true one
        assert abs(w.std() / np.sqrt(2 / fan_in) - 1) < 3 / np.sqrt(2 * w.size) + 0.01, i
        assert not net.params[f"b{i}"].any()


def relu_mean_squares(net, x):
    """Mean square of x and of each of the six convolutions' ReLU outputs."""
    ms = [float(np.mean(x**2))]
    for layer in net.layers[:14]:
        x = layer.forward(x)
        if isinstance(layer, Relu):
            ms.append(float(np.mean(x**2)))
    return ms


def test_he_keeps_activation_scale():
    """Through the six convolutions the ReLU outputs' mean square stays within a factor 5 of the input's
    (pooling keeps the larger values, so it drifts up a little); with the primer's other choice for
    small networks, std 0.01, it falls by a factor of about 10^-4 (fan-in * 0.01^2 / 2) per layer."""
    x = np.random.default_rng(3).standard_normal((8, 1, 28, 28))
    net = DeepConvNet(seed=2)
    he = relu_mean_squares(net, x)
    assert len(he) == 7
    assert all(1 / 5 < m / he[0] < 5 for m in he[1:]), he
    for i in range(1, 7):
        net.params[f"W{i}"] *= 0.01 / np.sqrt(2 / net.fan_in[i - 1])
    small = relu_mean_squares(net, x)
    assert small[-1] / small[0] < 1e-12, small


def test_seed_reproduces():
    a, b, c = DeepConvNet(seed=5), DeepConvNet(seed=5), DeepConvNet(seed=6)
    assert all(np.array_equal(a.params[k], b.params[k]) for k in a.params)
    assert not np.array_equal(a.params["W1"], c.params["W1"])


@pytest.mark.parametrize("target", ["labels", "one_hot"])
def test_gradient_matches_numerical(target):
    net = small_net(seed=0)
    rng = np.random.default_rng(1)
    # Biases start at 0, where an all-zero window would put a ReLU exactly on its kink (there the
    # central difference sees half a slope): check at a generic point instead.
    for i in range(1, 9):
        net.params[f"b{i}"][...] = rng.normal(0, 0.1, net.params[f"b{i}"].shape)
    x = rng.standard_normal((3, 2, 4, 4))
    t = np.array([0, 2, 1])
    if target == "one_hot":
        t = np.eye(3)[t]
    replay_dropout(net)
    numerical = net.numerical_gradient(x, t)
    backprop = net.gradient(x, t)
    assert backprop.keys() == net.params.keys() == numerical.keys()
    for key in net.params:
        assert backprop[key].shape == net.params[key].shape
        np.testing.assert_allclose(backprop[key], numerical[key], rtol=1e-5, atol=1e-8, err_msg=key)
    assert any(np.abs(backprop[key]).max() > 1e-3 for key in backprop)  # not a test of zeros


def test_float32_network_trains_in_float32():
    net = DeepConvNet(seed=0, dtype=np.float32)
    (x, t), _ = load_mnist(flatten=False)
    x, t = x[:5], t[:5]  # the digits 0, 1, 2, 3, 4
    grads = net.gradient(x, t)
    assert {g.dtype for g in grads.values()} == {np.dtype(np.float32)}
    optimizer = Adam(lr=1e-3)
    for _ in range(30):
        optimizer.update(net.params, net.gradient(x, t))
    assert all(v.dtype == np.float32 for v in net.params.values())
    assert net.predict(x).dtype == np.float32
    assert net.accuracy(x, t) == 1.0  # it has learnt the five


def test_predict_train_flag():
    net = small_net(seed=3)
    x = np.random.default_rng(0).standard_normal((5, 2, 4, 4))
    np.testing.assert_array_equal(net.predict(x), net.predict(x))  # inference: no randomness
    assert not np.array_equal(net.predict(x, train_flg=True), net.predict(x, train_flg=True))


def test_accuracy_counts_every_image():
    net = small_net(seed=4)
    x = np.random.default_rng(5).standard_normal((7, 2, 4, 4))
    predicted = np.argmax(net.predict(x), axis=1)
    t = predicted.copy()
    t[:2] = (t[:2] + 1) % 3  # two wrong, five right
    assert net.accuracy(x, t, batch_size=3) == pytest.approx(5 / 7)  # batches of 3, 3 and 1
    assert net.accuracy(x, np.eye(3)[t], batch_size=100) == pytest.approx(5 / 7)


def test_save_load_round_trip(tmp_path):
    net = small_net(seed=0)
    net.params["W3"] += 1.0  # something a fresh network would not have
    path = tmp_path / "deep.npz"
    net.save_params(str(path))
    other = small_net(seed=9)
    other.load_params(str(path))
    x = np.random.default_rng(0).standard_normal((2, 2, 4, 4))
    np.testing.assert_array_equal(other.predict(x), net.predict(x))
    # the primer's scripts pass a .pkl name; the file is still read as an .npz
    pkl_named = tmp_path / "deep_convnet_params.pkl"
    pkl_named.write_bytes(path.read_bytes())
    third = small_net(seed=8)
    third.load_params(str(pkl_named))
    np.testing.assert_array_equal(third.predict(x), net.predict(x))


def test_load_keeps_float16(tmp_path):
    net = small_net(seed=0)
    path = tmp_path / "half.npz"
    np.savez(path, **{k: v.astype(np.float16) for k, v in net.params.items()})
    net.load_params(path)
    assert {v.dtype for v in net.params.values()} == {np.dtype(np.float16)}
    assert net.layers[0].W is net.params["W1"]


def test_load_refuses_pickle_and_wrong_shapes(tmp_path):
    net = small_net(seed=0)
    pkl = tmp_path / "params.pkl"
    pkl.write_bytes(pickle.dumps(dict(net.params)))
    with pytest.raises(ValueError, match="DeepConvNet.load_params: .*no pickles"):
        net.load_params(pkl)
    wrong = tmp_path / "wrong.npz"
    np.savez(wrong, **DeepConvNet(seed=0).params)
    with pytest.raises(ValueError, match="DeepConvNet.load_params: .* needs"):
        net.load_params(wrong)
    ints = tmp_path / "ints.npz"
    np.savez(ints, **{k: v.astype(np.int64) for k, v in net.params.items()})
    with pytest.raises(TypeError, match="W1 has dtype int64"):
        net.load_params(ints)


CONV = {"filter_num": 16, "filter_size": 3, "pad": 1, "stride": 1}


@pytest.mark.parametrize(("kwargs", "error", "words"), [
    ({"input_dim": 28}, TypeError, r"DeepConvNet: input_dim must be \(C, H, W\)"),
    ({"input_dim": (1, 0, 28)}, ValueError, r"input_dim\[1\] must be an integer >= 1"),
    ({"conv_param_1": [16, 3, 1, 1]}, TypeError, "conv_param_1 must be a dict"),
    ({"conv_param_2": {"filter_num": 16}}, ValueError, "conv_param_2 must have exactly the keys"),
    ({"conv_param_3": {**CONV, "pad": 1.5}}, TypeError, r"conv_param_3\['pad'\] must be an integer"),
    ({"conv_param_1": {**CONV, "pad": 0}}, ValueError, "convolution 4 outputs 15x15.*conv_param_4"),
    ({"conv_param_2": {**CONV, "filter_size": 2}}, ValueError, "convolution 2 outputs 29x29"),
    ({"conv_param_2": {**CONV, "stride": 2}}, ValueError, "stride 2 does not fit"),
    ({"hidden_size": 0}, ValueError, "hidden_size must be an integer >= 1"),
    ({"output_size": 2.0}, TypeError, "output_size must be an integer"),
    ({"seed": -1}, ValueError, "seed must be an integer >= 0"),
    ({"dtype": np.int32}, ValueError, "dtype must be float32 or float64"),
])
def test_constructor_refuses(kwargs, error, words):
    with pytest.raises(error, match=words):
        DeepConvNet(**kwargs)


def test_bad_images_and_targets():
    net = small_net(seed=0)
    x = np.zeros((2, 2, 4, 4))
    with pytest.raises(ValueError, match="Convolution.forward: x has 1 channels"):
        net.predict(np.zeros((2, 1, 4, 4)))
    with pytest.raises(ValueError, match=r"Convolution.forward: x must be a non-empty batch of images"):
        net.predict(np.zeros((2, 16)))
    with pytest.raises(TypeError, match="Convolution.forward: x must be an array of real numbers"):
        net.predict(np.full((1, 2, 4, 4), "a"))
    bad = x.copy()
    bad[0, 0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="DeepConvNet: the input x contains NaN or inf"):
        net.loss(bad, np.array([0, 1]))
    with pytest.raises(ValueError, match="label"):
        net.loss(x, np.array([0, 3]))  # 3 classes: labels 0, 1, 2
    with pytest.raises(TypeError, match="DeepConvNet.accuracy: class labels t must be integers"):
        net.accuracy(x, np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match="DeepConvNet.accuracy: batch_size must be an integer >= 1"):
        net.accuracy(x, np.array([0, 1]), batch_size=0)
    with pytest.raises(ValueError, match="DeepConvNet.accuracy: the batch x is empty"):
        net.accuracy(x[:0], np.array([], dtype=int))
