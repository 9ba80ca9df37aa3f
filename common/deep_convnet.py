"""DeepConvNet: the primer's deeper convolutional network (primer §8.1), its constructor plus seed.

    conv - relu - conv - relu - pool -
    conv - relu - conv - relu - pool -
    conv - relu - conv - relu - pool -
    affine - relu - dropout - affine - dropout - softmax

Six 3x3 convolutions (16, 16, 32, 32, 64, 64 filters), three 2x2 max poolings, two fully connected
layers (hidden_size 50), He initialisation, Dropout 0.5. `params` (W1, b1, ..., W8, b8) is the single
source of truth: before each forward pass the network hands those arrays to its layers, so an
optimizer's in-place update and load_params take effect at once.

Rules on input (tests/unit/test_deep_convnet.py): input_dim (C, H, W) of integers >= 1; each
conv_param a dict with exactly filter_num, filter_size, pad, stride (integers); each convolution's
output must be whole, and each pooling's input of even height and width (ValueError naming the
parameter); hidden_size, output_size integers >= 1; seed None or an integer >= 0; dtype float32 or
float64. Images are checked by the first Convolution, targets by SoftmaxWithLoss.
"""

import numpy as np

from common import _checks as check
from common import _params
from common.gradient import float64_gradients
from common.layers import Affine, Convolution, Dropout, Pooling, Relu, SoftmaxWithLoss

POOL = 2  # every pooling: 2x2 windows, stride 2
POOL_AFTER = (2, 4, 6)  # a pooling follows convolutions 2, 4 and 6
DROPOUT = 0.5


def _conv(filter_num, pad):
    return {"filter_num": filter_num, "filter_size": 3, "pad": pad, "stride": 1}


class DeepConvNet:
    """The primer's deep network; with the defaults, on 1x28x28 images:

        layer   output (C, H, W)   weights            fan-in (inputs per output unit)
        conv1   16 x 28 x 28       W1 (16, 1, 3, 3)   1 * 3 * 3  =    9
        conv2   16 x 28 x 28       W2 (16, 16, 3, 3)  16 * 3 * 3 =  144
        pool    16 x 14 x 14
        conv3   32 x 14 x 14       W3 (32, 16, 3, 3)  16 * 3 * 3 =  144
        conv4   32 x 16 x 16       W4 (32, 32, 3, 3)  32 * 3 * 3 =  288   (pad 2: 14 + 4 - 3 + 1 = 16)
        pool    32 x 8 x 8
        conv5   64 x 8 x 8         W5 (64, 32, 3, 3)  32 * 3 * 3 =  288
        conv6   64 x 8 x 8         W6 (64, 64, 3, 3)  64 * 3 * 3 =  576
        pool    64 x 4 x 4
        affine  50                 W7 (1024, 50)      64 * 4 * 4 = 1024
        affine  10                 W8 (50, 10)        50

    He initialisation (primer §6.2.2): each weight ~ N(0, 2 / fan_in), biases 0. fan_in is how many
    numbers one output unit adds up: a convolution's unit sees one FH x FW window in each of the C
    input channels, so fan_in = C * FH * FW (the filter's own size, not the image's); an Affine
    unit sees every input, so fan_in = D. With ReLU halving the signal's energy on average, variance
    2 / fan_in keeps the activations' scale from layer to layer. These are the primer's
    pre_node_nums, here computed from the layer plan (the primer writes them out by hand, and its
    64*4*4 holds only for the default plan).

    Weights are drawn in the order W1 ... W8 from np.random.default_rng(seed); the two Dropout
    layers draw their masks from generators seeded from the same seed. dtype (an extension): float32
    halves memory and roughly doubles the speed of training; the default is the primer's float64.
    The first convolution does not compute the gradient of its input (the images): nothing needs it.
    """

    def __init__(self, input_dim=(1, 28, 28),
                 conv_param_1=_conv(16, 1), conv_param_2=_conv(16, 1),  # noqa: B008 (the primer's; only read)
                 conv_param_3=_conv(32, 1), conv_param_4=_conv(32, 2),  # noqa: B008
                 conv_param_5=_conv(64, 1), conv_param_6=_conv(64, 1),  # noqa: B008
                 hidden_size=50, output_size=10, seed=None, dtype=np.float64):
        shape = check.input_dim("DeepConvNet", input_dim)
        convs = [check.conv_param("DeepConvNet", p, f"conv_param_{i}") for i, p in
                 enumerate((conv_param_1, conv_param_2, conv_param_3, conv_param_4, conv_param_5,
                            conv_param_6), start=1)]
        hidden_size = check.integer(hidden_size, "DeepConvNet: hidden_size", 1)
        output_size = check.integer(output_size, "DeepConvNet: output_size", 1)
        rng = check.rng(seed, "DeepConvNet: seed")
        if np.dtype(dtype) not in (np.float32, np.float64):
            raise ValueError(f"DeepConvNet: dtype must be float32 or float64, got {dtype!r}")

        # Weight shapes and fan-ins, following the images' shape through the plan.
        self.weight_shapes, self.fan_in = [], []
        for i, (fn, fs, pad, stride) in enumerate(convs, start=1):
            self.weight_shapes.append((fn, shape[0], fs, fs))
            self.fan_in.append(shape[0] * fs * fs)
            shape = (fn, *(check.output_size(size, fs, stride, pad, "DeepConvNet", size_name,
                                             f"conv_param_{i}")
                           for size, size_name in ((shape[1], "H"), (shape[2], "W"))))
            if i in POOL_AFTER:
                if shape[1] % POOL or shape[2] % POOL:
                    raise ValueError(f"DeepConvNet: convolution {i} outputs {shape[1]}x{shape[2]}; the 2x2 "
                                     f"pooling after it needs an even height and width (change "
                                     f"conv_param_{i} or input_dim)")
                shape = (shape[0], shape[1] // POOL, shape[2] // POOL)
        flat = int(np.prod(shape))
        self.weight_shapes += [(flat, hidden_size), (hidden_size, output_size)]
        self.fan_in += [flat, hidden_size]

        self.params = {}
        for i, (w_shape, fan_in) in enumerate(zip(self.weight_shapes, self.fan_in, strict=True), start=1):
            self.params[f"W{i}"] = (np.sqrt(2.0 / fan_in) * rng.standard_normal(w_shape)).astype(dtype)
            self.params[f"b{i}"] = np.zeros(w_shape[0] if len(w_shape) == 4 else w_shape[1], dtype=dtype)

        # The primer's list of 20 layers, in its order (its load_params indexes it).
        dropout_seeds = rng.integers(2**63, size=2)
        self.layers = []
        for i, (_, _, pad, stride) in enumerate(convs, start=1):
            self.layers += [Convolution(self.params[f"W{i}"], self.params[f"b{i}"], stride, pad,
                                        input_grad=i > 1), Relu()]
            if i in POOL_AFTER:
                self.layers.append(Pooling(pool_h=POOL, pool_w=POOL, stride=POOL))
        self.layers += [Affine(self.params["W7"], self.params["b7"]), Relu(),
                        Dropout(DROPOUT, seed=int(dropout_seeds[0])),
                        Affine(self.params["W8"], self.params["b8"]),
                        Dropout(DROPOUT, seed=int(dropout_seeds[1]))]
        self.last_layer = SoftmaxWithLoss()
        self.param_layers = [layer for layer in self.layers if isinstance(layer, Convolution | Affine)]

    def _bind_params(self):
        """Hand each parameter layer the current arrays of `params` (W1, b1 to the first, ...)."""
        for i, layer in enumerate(self.param_layers, start=1):
            layer.W, layer.b = self.params[f"W{i}"], self.params[f"b{i}"]

    def predict(self, x, train_flg=False):
        """Scores before softmax. x: (N, C, H, W) -> (N, output_size). train_flg: Dropout drops units
        (training) or scales by 1 - 0.5 (inference)."""
        self._bind_params()
        for layer in self.layers:
            x = layer.forward(x, train_flg) if isinstance(layer, Dropout) else layer.forward(x)
        return x

    def loss(self, x, t):
        """Mean cross-entropy of a training pass (Dropout on) against t: labels (N,) or one-hot (N, C)."""
        scores = check.scores_of_finite_input(self.predict(x, train_flg=True), x, "DeepConvNet")
        return self.last_layer.forward(scores, t)

    def accuracy(self, x, t, batch_size=100):
        """Fraction of the N images whose highest score (Dropout off) is their class, batch_size at a time.

        x: (N, C, H, W); t: labels (N,) or one-hot (N, C). Every image counts, the last partial batch
        too (the primer's loop leaves it out but still divides by N).
        """
        predicted = self.predicted_labels(x, batch_size)
        scores_shape = np.empty((len(predicted), self.params[f"b{len(self.param_layers)}"].shape[0]))
        t, is_labels = check.accuracy_target(scores_shape, t, "DeepConvNet.accuracy")
        t = t.reshape(-1) if is_labels else np.argmax(t, axis=1)
        return float(np.mean(predicted == t))

    def predicted_labels(self, x, batch_size=100):
        """argmax of predict(x) (Dropout off) for each of the N images, batch_size at a time: (N,) ints."""
        batch_size = check.integer(batch_size, "DeepConvNet.accuracy: batch_size", 1)
        x = np.asarray(x)
        if x.ndim == 0 or len(x) == 0:
            raise ValueError("DeepConvNet.accuracy: the batch x is empty (the fraction would be 0 / 0)")
        scores = (check.scores_of_finite_input(self.predict(x[i:i + batch_size]), x, "DeepConvNet")
                  for i in range(0, len(x), batch_size))
        return np.concatenate([np.argmax(s, axis=1) for s in scores])

    def gradient(self, x, t):
        """Gradients of loss(x, t) by backpropagation (the same Dropout masks as the forward pass):
        a dict with the keys of `params`, each gradient of its parameter's shape."""
        self.loss(x, t)
        # The loss layer's y - t comes back in float64 (its one-hot rows); keep the backward pass in
        # the network's own precision.
        dout = self.last_layer.backward(1).astype(self.params["W1"].dtype, copy=False)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        grads = {}
        for i, layer in enumerate(self.param_layers, start=1):
            grads[f"W{i}"], grads[f"b{i}"] = layer.dW, layer.db
        return grads

    def numerical_gradient(self, x, t):
        """Gradients of loss(x, t) by central differences over every entry of params, in float64. loss
        runs with Dropout on: replay the same masks for every evaluation (see the tests)."""
        x64 = np.asarray(x, dtype=np.float64)
        return float64_gradients(self.params, lambda: self.loss(x64, t))

    def save_params(self, file_name="deep_convnet_params.npz"):
        """Write params to file_name (exactly that name) as an .npz of float arrays: no pickle."""
        _params.save(self.params, file_name)

    def load_params(self, file_name="deep_convnet_params.pkl"):
        """Read params written by save_params, whatever the file's name (the primer's scripts pass
        "deep_convnet_params.pkl"): np.load with allow_pickle=False, so a pickle is refused, never
        run. Keys and shapes are checked; the arrays keep their stored dtype (float16, float32, ...)."""
        loaded = _params.load("DeepConvNet", self.params, file_name)
        self.params.update(loaded)
        self._bind_params()

