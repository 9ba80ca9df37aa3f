"""The two networks of the draw-a-digit explorer, as the browser runs them, and its test digits.

    mlp, convnet = load_mlp(), load_convnet()
    probabilities = mlp_forward(mlp, image)                 # image (28, 28) in [0, 1] -> (10,)
    maps, probabilities = convnet_forward(convnet, image)   # maps (30, 12, 12) after ReLU and pooling

The fully connected network is notebook 01's (dataset/sample_weight.npz: 784-50-100-10, sigmoid hidden
layers, softmax output), the convolutional one SimpleConvNet with its shipped trained weights
(dataset/simple_convnet.npz, 98.24 % on the official test digits). The browser gets every array as
float32 (`encode`): both files store float32 numbers, so nothing is lost, and the page and the widget's
message are half the size of float64's (2.3 MB of base64 instead of 4.6 MB). Both sides then compute
in float64 from the same numbers (`load_mlp` and `load_convnet` return them as float64), so what
Python computes here is what the browser shows, to the order of the sums (~1e-15;
tests/browser/test_draw_digit.py checks 1e-12).
"""

import base64
import functools

import numpy as np

from common.functions import sigmoid, softmax
from common.layers import Affine, Convolution, Pooling, Relu
from companion.three_layer_net import forward
from dataset import load_mnist
from dataset.sample_weight import load_sample_weight
from dataset.simple_convnet import load_simple_convnet

MLP_SHAPES = {"W1": (784, 50), "b1": (50,), "W2": (50, 100), "b2": (100,), "W3": (100, 10), "b3": (10,)}
CONVNET_SHAPES = {"W1": (30, 1, 5, 5), "b1": (30,), "W2": (4320, 100), "b2": (100,), "W3": (100, 10),
                  "b3": (10,)}
DIGITS_PER_CLASS = 10  # test digits shipped with the explorer: 10 of each class
DIGITS_SEED = 23


def _as_float32(params):
    """params with every array rounded to float32 and held as float64 (what the browser receives)."""
    return {key: np.asarray(value, dtype=np.float32).astype(np.float64) for key, value in params.items()}


def _read_only(arrays):
    """The dict, its arrays made read-only (they are cached and shared)."""
    for a in arrays.values():
        a.setflags(write=False)
    return arrays


def _check_params(params, shapes, what):
    """params: a dict with the arrays of `shapes` (TypeError or ValueError naming `what`)."""
    if not isinstance(params, dict):
        raise TypeError(f"{what}: params must be a dict of arrays, got {type(params).__name__}")
    got = {key: np.shape(value) for key, value in params.items()}
    if got != shapes:
        raise ValueError(f"{what}: params must hold the arrays {shapes}, got {got}")


def load_mlp():
    """Notebook 01's trained weights (W1 (784, 50), b1, W2 (50, 100), b2, W3 (100, 10), b3), float64."""
    return _as_float32(load_sample_weight())


@functools.cache
def load_convnet():
    """SimpleConvNet's shipped weights (dataset/simple_convnet.npz, checked on load: W1 (30, 1, 5, 5),
    b1, W2 (4320, 100), b2, W3 (100, 10), b3), rounded to float32, held as float64. Read once per
    process (the arrays are shared: do not change them)."""
    return _read_only(_as_float32(load_simple_convnet().params))


def mlp_forward(params, images):
    """Class probabilities of notebook 01's network. images (..., 28, 28) or (..., 784) -> (..., 10)."""
    _check_params(params, MLP_SHAPES, "mlp_forward")
    x = np.asarray(images, dtype=np.float64)
    x = x.reshape(*x.shape[:-2], 784) if x.shape[-2:] == (28, 28) else x
    if x.ndim == 0 or x.shape[-1] != 784:
        raise ValueError(f"mlp_forward: images must be (..., 28, 28) or (..., 784), got shape "
                         f"{np.shape(images)}")
    return forward(params, x, hidden=sigmoid, output=softmax)


def convnet_forward(params, images):
    """SimpleConvNet on images (28, 28) or (N, 28, 28): (maps, probabilities).

    maps: the FN feature maps after Conv1, Relu1 and Pool1, (FN, 12, 12) or (N, FN, 12, 12);
    probabilities: softmax of the scores, (10,) or (N, 10).
    """
    _check_params(params, CONVNET_SHAPES, "convnet_forward")
    x = np.asarray(images, dtype=np.float64)
    if x.shape[-2:] != (28, 28) or x.ndim not in (2, 3):
        raise ValueError(f"convnet_forward: images must be (28, 28) or (N, 28, 28), got shape {x.shape}")
    single = x.ndim == 2
    # SimpleConvNet's layers, with the pooled maps kept on the way
    maps = Pooling(2, 2, stride=2).forward(Relu().forward(Convolution(params["W1"], params["b1"]).forward(
        x.reshape(-1, 1, 28, 28))))
    hidden = Relu().forward(Affine(params["W2"], params["b2"]).forward(maps))
    probabilities = softmax(Affine(params["W3"], params["b3"]).forward(hidden))
    return (maps[0], probabilities[0]) if single else (maps, probabilities)


def encode(params):
    """Each array as the browser reads it: {name: {shape, float32: base64 of little-endian float32}}."""
    if not isinstance(params, dict):
        raise TypeError(f"encode: params must be a dict of arrays, got {type(params).__name__}")
    return {key: {"shape": list(value.shape),
                  "float32": base64.b64encode(np.asarray(value, dtype="<f4").tobytes()).decode("ascii")}
            for key, value in params.items()}


@functools.cache
def test_digits():
    """The official test digits shipped with the explorer: DIGITS_PER_CLASS of each class, drawn with
    np.random.default_rng(DIGITS_SEED) from load_mnist()'s 10,000, in the test set's order.

    Returns (images (100, 28, 28) uint8, labels (100,), indices (100,) into the test set), read once
    per process (the arrays are shared: do not change them)."""
    _, (x, t) = load_mnist(normalize=False, flatten=False)
    rng = np.random.default_rng(DIGITS_SEED)
    chosen = np.sort(np.concatenate([rng.choice(np.flatnonzero(t == d), DIGITS_PER_CLASS, replace=False)
                                     for d in range(10)]))
    return tuple(_read_only({"images": x[chosen, 0], "labels": t[chosen], "indices": chosen}).values())


def digit_image(pixels):
    """A test digit's bytes as load_mnist(normalize=True) gives them (float32 / 255), in float64."""
    dtype = np.asarray(pixels).dtype
    if dtype != np.uint8:
        raise TypeError(f"digit_image: pixels must be bytes 0-255 (uint8), got dtype {dtype}")
    return (np.asarray(pixels).astype(np.float32) / np.float32(255)).astype(np.float64)
