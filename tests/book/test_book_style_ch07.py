"""A chapter-7 script written the primer's way runs unchanged on the project's `common` and `dataset`.

The script is ours, in the style of the primer's ch07/ scripts: it sits in ch07/ beside `common/` and
`dataset/`, reaches them with sys.path.append(os.pardir), star-imports common.layers, calls im2col
with the primer's arguments, builds a small convolutional network the way ch07/simple_convnet.py
does (Convolution(W, b, stride, pad) and Pooling(pool_h=2, pool_w=2, stride=2) holding references to
its params, an OrderedDict of layers walked in reverse, labels of shape (1, 1) as its
gradient_check.py passes them), checks its gradient, trains it a little and reloads its weights by
assigning layers[key].W as the primer's load_params does. The primer's own ch07 scripts cannot be
shipped here; bench/RESULTS.md records what they print with this `common`.
"""

import os
import subprocess
import sys
import textwrap

import pytest

from tools import REPO

SCRIPT = """\
# coding: utf-8
import sys, os
sys.path.append(os.pardir)  # the folder above ch07/ holds common/ and dataset/
import numpy as np
from collections import OrderedDict
from common.layers import *
from common.util import im2col
from common.gradient import numerical_gradient
from dataset.mnist import load_mnist

x1 = np.random.rand(1, 3, 7, 7)
col1 = im2col(x1, 5, 5, stride=1, pad=0)
print("col1:" + str(col1.shape))
x2 = np.random.rand(10, 3, 7, 7)
col2 = im2col(x2, 5, 5, stride=1, pad=0)
print("col2:" + str(col2.shape))


class TinyConvNet:
    \"\"\"conv - relu - pool - affine - softmax\"\"\"
    def __init__(self, input_dim=(1, 28, 28), filter_num=4, weight_init_std=0.1):
        pool_output_size = filter_num * (input_dim[1] // 2) * (input_dim[2] // 2)
        self.params = {}
        self.params['W1'] = weight_init_std * np.random.randn(filter_num, input_dim[0], 3, 3)
        self.params['b1'] = np.zeros(filter_num)
        self.params['W2'] = weight_init_std * np.random.randn(pool_output_size, 10)
        self.params['b2'] = np.zeros(10)

        self.layers = OrderedDict()
        self.layers['Conv1'] = Convolution(self.params['W1'], self.params['b1'], 1, 1)
        self.layers['Relu1'] = Relu()
        self.layers['Pool1'] = Pooling(pool_h=2, pool_w=2, stride=2)
        self.layers['Affine1'] = Affine(self.params['W2'], self.params['b2'])
        self.last_layer = SoftmaxWithLoss()

    def predict(self, x):
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        return self.last_layer.forward(self.predict(x), t)

    def accuracy(self, x, t):
        y = np.argmax(self.predict(x), axis=1)
        return np.sum(y == t) / float(x.shape[0])

    def numerical_gradient(self, x, t):
        loss_w = lambda w: self.loss(x, t)
        grads = {}
        for key in ('W1', 'b1', 'W2', 'b2'):
            grads[key] = numerical_gradient(loss_w, self.params[key])
        return grads

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.last_layer.backward(1)
        layers = list(self.layers.values())
        layers.reverse()
        for layer in layers:
            dout = layer.backward(dout)
        grads = {}
        grads['W1'], grads['b1'] = self.layers['Conv1'].dW, self.layers['Conv1'].db
        grads['W2'], grads['b2'] = self.layers['Affine1'].dW, self.layers['Affine1'].db
        return grads

    def load_params(self, params):
        for key, val in params.items():
            self.params[key] = val
        for i, key in enumerate(['Conv1', 'Affine1']):
            self.layers[key].W = self.params['W' + str(i+1)]
            self.layers[key].b = self.params['b' + str(i+1)]


np.random.seed(0)
network = TinyConvNet(input_dim=(1, 6, 6), filter_num=2)
X = np.random.rand(36).reshape((1, 1, 6, 6))
T = np.array([1]).reshape((1, 1))
grad_num = network.numerical_gradient(X, T)
grad = network.gradient(X, T)
for key, val in grad_num.items():
    print(key + ":" + str(np.abs(grad_num[key] - grad[key]).mean()))

(x_train, t_train), (x_test, t_test) = load_mnist(flatten=False)
print("shape:" + str(x_train.shape[1:]))
network = TinyConvNet()
for i in range(300):
    batch_mask = np.random.choice(x_train.shape[0], 50)
    grads = network.gradient(x_train[batch_mask], t_train[batch_mask])
    for key in ('W1', 'b1', 'W2', 'b2'):
        network.params[key] -= 0.1 * grads[key]
acc = network.accuracy(x_test[:1000], t_test[:1000])
print("test acc:" + str(acc))

saved = {key: val.copy() for key, val in network.params.items()}
network.load_params({key: np.zeros_like(val) for key, val in saved.items()})
print("zeroed acc:" + str(network.accuracy(x_test[:1000], t_test[:1000])))
network.load_params(saved)
print("reloaded acc:" + str(network.accuracy(x_test[:1000], t_test[:1000])))
"""


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    """What ch07/conv_script.py prints, run from a folder laid out like the primer's repository."""
    root = tmp_path_factory.mktemp("book")
    for package in ("common", "dataset"):
        (root / package).symlink_to(REPO / package, target_is_directory=True)
    (root / "ch07").mkdir()
    (root / "ch07" / "conv_script.py").write_text(textwrap.dedent(SCRIPT), encoding="utf-8")
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}
    env.pop("PYTHONPATH", None)  # only what the script puts on sys.path itself
    done = subprocess.run([sys.executable, "conv_script.py"], cwd=root / "ch07", env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return dict(line.split(":", 1) for line in done.stdout.splitlines())


def test_im2col_shapes_of_the_primers_example(output):
    assert output["col1"] == "(9, 75)" and output["col2"] == "(90, 75)"


def test_gradient_check_with_a_label_column(output):
    for key in ("W1", "b1", "W2", "b2"):
        assert float(output[key]) < 1e-8, key


def test_training_and_reloading_the_weights(output):
    assert output["shape"] == "(1, 28, 28)"
    accuracy = float(output["test acc"])
    assert accuracy > 0.8  # 300 SGD steps of a 4-filter net
    assert float(output["zeroed acc"]) < 0.2  # the layers saw the zeroed weights: one class for all
    assert float(output["reloaded acc"]) == accuracy
