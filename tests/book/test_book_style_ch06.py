"""The primer's chapter 6 code style runs on the project's `common` and `dataset`.

Readers of the book run scripts from its ch06/ folder with `sys.path.append(os.pardir)`, so that
`common` and `dataset` beside it are importable. These short scripts of our own are written that way
(the book's imports, names and call signatures, `from common.optimizer import *` included) and run
as subprocesses from a temporary folder laid out like the book's repository: ch06/ next to links to
the project's common/ and dataset/. Each asserts on what the script prints.
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
sys.path.append(os.pardir)  # the folder above ch06/ holds common/ and dataset/
"""

BOWL = HEADER + """\
from common.optimizer import *   # the six optimizers (and numpy as np, as the book's scripts rely on)


def df(x, y):
    return x / 10.0, 2.0 * y


optimizers = {"SGD": SGD(lr=0.95), "Momentum": Momentum(lr=0.1), "Nesterov": Nesterov(lr=0.1),
              "AdaGrad": AdaGrad(lr=1.5), "RMSprop": RMSprop(lr=0.1), "Adam": Adam(lr=0.3)}
for key in optimizers:
    params = {"x": -7.0, "y": 2.0}
    grads = {}
    for i in range(30):
        grads["x"], grads["y"] = df(params["x"], params["y"])
        optimizers[key].update(params, grads)
    distance = np.hypot(params["x"], params["y"])
    print(key + ":" + str(params["x"]) + "," + str(params["y"]) + "," + str(distance))
"""

TRAINER = HEADER + """\
import numpy as np
import matplotlib.pyplot as plt
from dataset.mnist import load_mnist
from common.multi_layer_net import MultiLayerNet
from common.multi_layer_net_extend import MultiLayerNetExtend
from common.trainer import Trainer
from common.util import shuffle_dataset, smooth_curve

(x_train, t_train), (x_test, t_test) = load_mnist(normalize=True)
x_train, t_train = shuffle_dataset(x_train[:300], t_train[:300])

plain = MultiLayerNet(input_size=784, hidden_size_list=[50, 50], output_size=10, weight_decay_lambda=0.01)
extend = MultiLayerNetExtend(input_size=784, hidden_size_list=[50, 50], output_size=10,
                             use_dropout=True, dropout_ration=0.2, use_batchnorm=True)
for name, network in [("plain", plain), ("extend", extend)]:
    trainer = Trainer(network, x_train, t_train, x_test, t_test, epochs=5, mini_batch_size=100,
                      optimizer='Adam', optimizer_param={'lr': 0.01}, evaluate_sample_num_per_epoch=200,
                      verbose=False)
    trainer.train()
    print(name + ":" + str(len(trainer.train_loss_list)) + "," + str(len(trainer.train_acc_list))
          + "," + str(trainer.train_acc_list[-1]) + "," + str(trainer.test_acc_list[-1]))

plt.plot(np.arange(len(trainer.train_loss_list)), smooth_curve(trainer.train_loss_list))
plt.show()  # MPLBACKEND=Agg: returns at once
print("smooth:" + str(len(smooth_curve(trainer.train_loss_list))))
"""

GRADIENT_CHECK = HEADER + """\
import numpy as np
from dataset.mnist import load_mnist
from common.multi_layer_net_extend import MultiLayerNetExtend

(x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)
network = MultiLayerNetExtend(input_size=784, hidden_size_list=[4, 4], output_size=10, activation="sigmoid",
                              weight_init_std="sigmoid", use_batchnorm=True,
                              weight_decay_lambda=0.1)
x_batch = x_train[:10]
t_batch = t_train[:10]
grad_backprop = network.gradient(x_batch, t_batch)
grad_numerical = network.numerical_gradient(x_batch, t_batch)
for key in grad_numerical.keys():
    diff = np.average(np.abs(grad_backprop[key] - grad_numerical[key]))
    print(key + ":" + str(diff))
"""

LAYERS = HEADER + """\
import numpy as np
from common.layers import *

x = np.random.randn(8, 5) * 3 + 1
bn = BatchNormalization(gamma=np.ones(5), beta=np.zeros(5))
y = bn.forward(x, train_flg=True)
dx = bn.backward(np.ones_like(y))
print("bn:" + str(np.abs(y.mean(axis=0)).max()) + "," + str(np.abs(dx).max()) + "," + str(bn.dbeta[0]))
drop = Dropout(dropout_ratio=0.5)
print("dropout:" + str(drop.forward(np.ones((2, 3)), train_flg=False).tolist()))
"""


@pytest.fixture(scope="module")
def book_repo(tmp_path_factory):
    root = tmp_path_factory.mktemp("book")
    (root / "ch06").mkdir()
    (root / "common").symlink_to(REPO / "common", target_is_directory=True)
    (root / "dataset").symlink_to(REPO / "dataset", target_is_directory=True)
    return root


def run(book_repo, name, source):
    script = book_repo / "ch06" / name
    script.write_text(textwrap.dedent(source), encoding="utf-8")
    env = dict(os.environ, MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1")
    env.pop("PYTHONPATH", None)  # only the book's own sys.path.append(os.pardir) may find common/
    done = subprocess.run([sys.executable, name], cwd=script.parent, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(":", 1) for line in done.stdout.splitlines() if ":" in line)
    return {key: [float(v) if v[0] in "-0123456789" else v for v in value.split(",")]
            for key, value in lines.items() if not value.startswith("[")} | {
            key: value for key, value in lines.items() if value.startswith("[")}


def test_optimizers_on_the_bowl(book_repo):
    out = run(book_repo, "bowl.py", BOWL)
    assert set(out) == {"SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"}
    x, y, _ = out["SGD"]
    # 30 SGD steps: x = -7 * 0.905^30, y = 2 * (-0.9)^30 (see tests/test_optimizer_rules.py)
    assert x == pytest.approx(-7 * 0.905**30, rel=1e-12) and y == pytest.approx(2 * 0.9**30, rel=1e-12)
    for key, (_, _, distance) in out.items():
        assert distance < 1.0, key  # every rule has come most of the way from 7.3 to the minimum


def test_trainer_and_util(book_repo):
    out = run(book_repo, "train.py", TRAINER)
    for name in ("plain", "extend"):
        steps, epochs, train_acc, test_acc = out[name]
        assert (steps, epochs) == (15, 5)  # 300 / 100 = 3 steps an epoch
        assert train_acc > 0.5 and test_acc > 0.3, name  # 5 epochs of Adam on 300 digits: learning
    assert out["smooth"] == [15.0]


def test_batch_norm_gradient_check(book_repo):
    out = run(book_repo, "gradient_check.py", GRADIENT_CHECK)
    assert set(out) == {f"{p}{i}" for p in ("W", "b") for i in (1, 2, 3)} | {
        f"{p}{i}" for p in ("gamma", "beta") for i in (1, 2)}
    for key, (diff,) in out.items():
        assert diff < 1e-7, key


def test_layers_star_import(book_repo):
    out = run(book_repo, "layers.py", LAYERS)
    mean, dx, dbeta = out["bn"]
    assert mean < 1e-12 and dx < 1e-12 and dbeta == 8.0  # a constant dout moves nothing but beta
    assert out["dropout"] == "[[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]]"
