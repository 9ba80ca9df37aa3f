"""SimpleConvNet: the primer's convolutional network (primer §7.5), with its constructor (plus seed).

    Conv1 -> Relu1 -> Pool1 -> Affine1 -> Relu2 -> Affine2 -> SoftmaxWithLoss

As in MultiLayerNet, `params` (W1, b1, W2, b2, W3, b3) is the single source of truth: before each
forward pass the network hands those arrays to its layers, so an optimizer's in-place update, a
replaced entry, and the primer's own load_params (which assigns layers[key].W) all take effect.

Rules on input (tests/test_bad_input.py and tests/test_simple_convnet.py): input_dim is (C, H, W) of
integers >= 1; conv_param a dict with the four keys filter_num, filter_size, pad and stride (integers);
the filter must fit the image a whole number of strides and leave an output of even height and width
for the 2x2 pooling (ValueError naming the parameter); hidden_size and output_size integers >= 1;
weight_init_std a finite number >= 0; seed None or an integer >= 0. Images are checked by Conv1,
targets by SoftmaxWithLoss: labels (N,), a column of labels (N, 1) as the primer's
ch07/gradient_check.py passes them, or one-hot rows (N, C).
"""

from collections import OrderedDict

import numpy as np

from common import _checks as check
from common.gradient import float64_gradients
from common.layers import Affine, Convolution, Pooling, Relu, SoftmaxWithLoss

POOL = 2  # Pool1: 2x2 windows with stride 2, as in the primer


class SimpleConvNet:
    """input (C, H, W) -> FN filters FS x FS -> ReLU -> 2x2 max pooling -> hidden_size -> ReLU -> output_size.

    With OH = (H + 2*pad - FS) / stride + 1 and OW likewise (the convolution's output):
        W1 (FN, C, FS, FS), b1 (FN,)                    Conv1
        W2 (FN * OH/2 * OW/2, hidden_size), b2 (hidden_size,)   Affine1, on the pooled maps flattened
        W3 (hidden_size, output_size), b3 (output_size,)         Affine2
    Weights ~ N(0, weight_init_std^2) drawn in that order from np.random.default_rng(seed), biases 0.
    Conv1 does not compute the gradient of its input (the images): nothing needs it.
    """

    def __init__(self, input_dim=(1, 28, 28),
                 conv_param={"filter_num": 30, "filter_size": 5, "pad": 0, "stride": 1},  # noqa: B006 (the primer's; only read)
                 hidden_size=100, output_size=10, weight_init_std=0.01, seed=None):
        (C, H, W), (FN, FS, pad, stride), hidden_size, output_size, std, rng = check.convnet(
            "SimpleConvNet", input_dim, conv_param, hidden_size, output_size, weight_init_std, seed)
        conv_h, conv_w = (check.output_size(size, FS, stride, pad, "SimpleConvNet", f"input_dim[{axis}]",
                                            "conv_param['filter_size']") for axis, size in ((1, H), (2, W)))
        if conv_h % POOL or conv_w % POOL:
            raise ValueError(f"SimpleConvNet: the convolution's output is {conv_h}x{conv_w}; the 2x2 pooling "
                             "needs an even height and width (change input_dim or conv_param)")
        pooled = FN * (conv_h // POOL) * (conv_w // POOL)

        self.params = {}
        self.params["W1"] = std * rng.standard_normal((FN, C, FS, FS))
        self.params["b1"] = np.zeros(FN)
        self.params["W2"] = std * rng.standard_normal((pooled, hidden_size))
        self.params["b2"] = np.zeros(hidden_size)
        self.params["W3"] = std * rng.standard_normal((hidden_size, output_size))
        self.params["b3"] = np.zeros(output_size)

        self.layers = OrderedDict()
        self.layers["Conv1"] = Convolution(self.params["W1"], self.params["b1"], stride, pad,
                                           input_grad=False)
        self.layers["Relu1"] = Relu()
        self.layers["Pool1"] = Pooling(pool_h=POOL, pool_w=POOL, stride=POOL)
        self.layers["Affine1"] = Affine(self.params["W2"], self.params["b2"])
        self.layers["Relu2"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W3"], self.params["b3"])
        self.last_layer = SoftmaxWithLoss()

    _PARAM_LAYERS = (("Conv1", "W1", "b1"), ("Affine1", "W2", "b2"), ("Affine2", "W3", "b3"))

    def _bind_params(self):
        """Hand each parameter layer the current arrays of `params`."""
        for name, w, b in self._PARAM_LAYERS:
            layer = self.layers[name]
            layer.W, layer.b = self.params[w], self.params[b]

    def predict(self, x):
        """Scores before softmax. x: (N, C, H, W) -> (N, output_size)."""
        self._bind_params()
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        """Mean cross-entropy of softmax(predict(x)) against t: labels (N,) or (N, 1), or one-hot (N, C)."""
        return self.last_layer.forward(check.scores_of_finite_input(self.predict(x), x, "SimpleConvNet"), t)

    def accuracy(self, x, t, batch_size=100):
        """Fraction of the N images whose highest score is their class, predicted batch_size at a time.

        x: (N, C, H, W); t: labels (N,) or (N, 1), or one-hot (N, C). Every image counts, the last
        partial batch too (the primer's loop leaves it out but still divides by N).
        """
        batch_size = check.integer(batch_size, "SimpleConvNet.accuracy: batch_size", 1)
        x = np.asarray(x)
        if x.ndim == 0 or len(x) == 0:
            raise ValueError("SimpleConvNet.accuracy: the batch is empty (the fraction would be 0 / 0)")
        scores = np.concatenate([check.scores_of_finite_input(self.predict(x[i:i + batch_size]), x,
                                                               "SimpleConvNet")
                                 for i in range(0, len(x), batch_size)])
        t, is_labels = check.accuracy_target(scores, t, "SimpleConvNet.accuracy")
        predicted = np.argmax(scores, axis=1)
        t = t.reshape(-1) if is_labels else np.argmax(t, axis=1)
        return float(np.mean(predicted == t))

    def gradient(self, x, t):
        """Gradients of loss(x, t) by backpropagation: a dict with the keys of `params`."""
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers.values()):
            dout = layer.backward(dout)
        grads = {}
        for name, w, b in self._PARAM_LAYERS:
            grads[w], grads[b] = self.layers[name].dW, self.layers[name].db
        return grads

    def numerical_gradient(self, x, t):
        """Gradients of loss(x, t) by central differences over every entry of params, in float64."""
        x64 = np.asarray(x, dtype=np.float64)
        return float64_gradients(self.params, lambda: self.loss(x64, t))

    def save_params(self, file_name="params.npz"):
        """Write params to file_name (exactly that name) as an .npz of float arrays: no pickle."""
        with open(file_name, "wb") as f:
            np.savez(f, **self.params)

    def load_params(self, file_name="params.npz"):
        """Read params written by save_params (np.load with allow_pickle=False), keys and shapes checked."""
        try:
            with np.load(file_name, allow_pickle=False) as npz:
                loaded = {key: npz[key] for key in npz.files}
        except ValueError as err:  # numpy's word for a pickle it will not unpickle
            raise ValueError(f"SimpleConvNet.load_params: {file_name} is not an .npz of arrays ({err}); "
                             "this network reads no pickles, which can run code") from None
        expected = {key: value.shape for key, value in self.params.items()}
        got = {key: value.shape for key, value in loaded.items()}
        if got != expected:
            raise ValueError(f"SimpleConvNet.load_params: {file_name} holds {got}, this network needs "
                             f"{expected}")
        for key, value in loaded.items():
            if value.dtype.kind != "f":
                raise TypeError(f"SimpleConvNet.load_params: {file_name}: {key} has dtype {value.dtype}, "
                                "parameters are floats")
        self.params.update(loaded)
        self._bind_params()

