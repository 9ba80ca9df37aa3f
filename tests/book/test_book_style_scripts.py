"""Scripts written the way the primer's own are run unchanged on the project's `common` and `dataset`.

Each script below is ours, in the primer's style: it sits in a chapter folder (ch03/, ch04/, ch05/)
beside `common/` and `dataset/`, reaches them with sys.path.append(os.pardir), star-imports
common.functions and common.layers, and uses the primer's call signatures: Affine(W, b) holding
references to the arrays, SoftmaxWithLoss().backward(dout=1), numerical_gradient(f, x) with
f = lambda W: net.loss(x, t), load_mnist(normalize=True, one_hot_label=True), and the update
network.params[key] -= learning_rate * grad[key]. The test lays out a temporary folder like the
primer's repository, runs each script there as its own process, and checks what it prints.
"""

import os
import subprocess
import sys
import textwrap

import pytest

from tools import REPO

HEADER = """\
# coding: utf-8
import sys, os
sys.path.append(os.pardir)
"""

SCRIPTS = {
    "ch03/forward_mnist.py": """
        import numpy as np
        from dataset.mnist import load_mnist
        from common.functions import *

        (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, flatten=True, one_hot_label=False)
        print(x_train.shape, x_train.dtype, t_train.shape, t_test.shape)
        print("pixels in", x_train.min(), x_train.max())

        print(softmax(np.array([0.3, 2.9, 4.0])))
        print(step_function(np.array([-1.0, 1.0, 2.0])), relu(np.array([-1.0, 2.0])))

        np.random.seed(0)
        network = {"W1": np.random.randn(784, 50) * 0.01, "b1": np.zeros(50),
                   "W2": np.random.randn(50, 10) * 0.01, "b2": np.zeros(10)}
        a1 = np.dot(x_test[:100], network["W1"]) + network["b1"]
        z1 = sigmoid(a1)
        y = softmax(np.dot(z1, network["W2"]) + network["b2"])
        print(y.shape, "rows sum to 1:", np.allclose(np.sum(y, axis=1), 1.0))
    """,
    "ch04/simple_gradient.py": """
        import numpy as np
        from common.functions import softmax, cross_entropy_error
        from common.gradient import numerical_gradient


        class simpleNet:
            def __init__(self):
                self.W = np.array([[0.47355232, 0.9977393, 0.84668094],
                                   [0.85557411, 0.03563661, 0.69422093]])

            def predict(self, x):
                return np.dot(x, self.W)

            def loss(self, x, t):
                return cross_entropy_error(softmax(self.predict(x)), t)


        net = simpleNet()
        x = np.array([0.6, 0.9])
        t = np.array([0, 0, 1])
        print("loss", round(net.loss(x, t), 4))
        f = lambda W: net.loss(x, t)
        dW = numerical_gradient(f, net.W)
        print(np.round(dW, 4))
        analytic = np.outer(x, softmax(net.predict(x)) - t)
        print("matches the formula:", np.max(np.abs(dW - analytic)) < 1e-6)
    """,
    "ch05/layer_net.py": """
        import numpy as np
        from collections import OrderedDict
        from common.layers import *
        from common.gradient import numerical_gradient
        from dataset.mnist import load_mnist

        apple, apple_num, tax = 100, 2, 1.1
        mul_apple_layer, mul_tax_layer = MulLayer(), MulLayer()
        price = mul_tax_layer.forward(mul_apple_layer.forward(apple, apple_num), tax)
        dapple_price, dtax = mul_tax_layer.backward(1)
        dapple, dapple_num = mul_apple_layer.backward(dapple_price)
        print("price", round(price, 6), "grads", round(dapple, 6), round(dapple_num, 6), dtax)


        class TwoLayerNet:
            def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
                self.params = {}
                self.params["W1"] = weight_init_std * np.random.randn(input_size, hidden_size)
                self.params["b1"] = np.zeros(hidden_size)
                self.params["W2"] = weight_init_std * np.random.randn(hidden_size, output_size)
                self.params["b2"] = np.zeros(output_size)
                self.layers = OrderedDict()
                self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"])
                self.layers["Relu1"] = Relu()
                self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"])
                self.lastLayer = SoftmaxWithLoss()

            def predict(self, x):
                for layer in self.layers.values():
                    x = layer.forward(x)
                return x

            def loss(self, x, t):
                return self.lastLayer.forward(self.predict(x), t)

            def accuracy(self, x, t):
                y = np.argmax(self.predict(x), axis=1)
                if t.ndim != 1:
                    t = np.argmax(t, axis=1)
                return np.sum(y == t) / float(x.shape[0])

            def numerical_gradient(self, x, t):
                loss_W = lambda W: self.loss(x, t)
                return {key: numerical_gradient(loss_W, self.params[key]) for key in ("W1", "b1", "W2", "b2")}

            def gradient(self, x, t):
                self.loss(x, t)
                dout = self.lastLayer.backward(dout=1)
                for layer in reversed(list(self.layers.values())):
                    dout = layer.backward(dout)
                return {"W1": self.layers["Affine1"].dW, "b1": self.layers["Affine1"].db,
                        "W2": self.layers["Affine2"].dW, "b2": self.layers["Affine2"].db}


        (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)
        print(t_train.shape, t_train.dtype)
        np.random.seed(0)
        network = TwoLayerNet(input_size=784, hidden_size=10, output_size=10)

        grad_numerical = network.numerical_gradient(x_train[:3], t_train[:3])
        grad_backprop = network.gradient(x_train[:3], t_train[:3])
        for key in ("W1", "b1", "W2", "b2"):
            diff = np.average(np.abs(grad_backprop[key] - grad_numerical[key]))
            print(key, "agrees:", diff < 1e-7)

        learning_rate = 0.1
        first_loss = network.loss(x_train[:100], t_train[:100])
        for i in range(600):
            batch_mask = np.random.choice(x_train.shape[0], 100)
            grad = network.gradient(x_train[batch_mask], t_train[batch_mask])
            for key in ("W1", "b1", "W2", "b2"):
                network.params[key] -= learning_rate * grad[key]
        print("layers see the updated params:", network.layers["Affine1"].W is network.params["W1"])
        print("loss fell:", network.loss(x_train[:100], t_train[:100]) < first_loss / 2)
        print("test acc", network.accuracy(x_test, t_test))
    """,
}


@pytest.fixture(scope="module")
def book_layout(tmp_path_factory):
    """A folder laid out like the primer's repository: ch0X/ beside common/ and dataset/."""
    root = tmp_path_factory.mktemp("book")
    for package in ("common", "dataset"):
        (root / package).symlink_to(REPO / package, target_is_directory=True)
    for name, body in SCRIPTS.items():
        path = root / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(HEADER + textwrap.dedent(body), encoding="utf-8")
    return root


def run_script(root, name):
    """Run one script from its chapter folder, as `cd ch0X; python script.py` does; its stdout lines."""
    script = root / name
    env = {**os.environ, "MPLBACKEND": "Agg", "OPENBLAS_NUM_THREADS": "1"}
    env.pop("PYTHONPATH", None)  # only what the script puts on sys.path itself
    done = subprocess.run([sys.executable, script.name], cwd=script.parent, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout.splitlines()


def test_chapter_3_style_forward_pass(book_layout):
    lines = run_script(book_layout, "ch03/forward_mnist.py")
    assert lines[0] == "(5000, 784) float32 (5000,) (10000,)"
    assert lines[1] == "pixels in 0.0 1.0"
    assert lines[2] == "[0.01821127 0.24519181 0.73659691]"  # the primer's softmax example
    assert lines[3] == "[0. 1. 1.] [0. 2.]"
    assert lines[4] == "(100, 10) rows sum to 1: True"


def test_chapter_4_style_numerical_gradient_of_a_loss_closure(book_layout):
    lines = run_script(book_layout, "ch04/simple_gradient.py")
    assert lines[0] == "loss 0.9281"  # the primer's simpleNet example (its weights, x and t)
    assert lines[1:3] == ["[[ 0.2192  0.1436 -0.3628]", " [ 0.3289  0.2153 -0.5442]]"]  # the primer's dW
    assert lines[3] == "matches the formula: True"


def test_chapter_5_style_layers_gradient_check_and_training(book_layout):
    lines = run_script(book_layout, "ch05/layer_net.py")
    assert lines[0] == "price 220.0 grads 2.2 110.0 200"  # the primer's apple example
    assert lines[1] == "(5000, 10) float64"
    assert lines[2:6] == [f"{key} agrees: True" for key in ("W1", "b1", "W2", "b2")]
    assert lines[6] == "layers see the updated params: True"
    assert lines[7] == "loss fell: True"
    accuracy = float(lines[8].removeprefix("test acc "))
    assert 0.85 < accuracy <= 1.0
