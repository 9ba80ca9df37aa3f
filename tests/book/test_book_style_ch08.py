"""The primer's chapter 8 code style runs on the project's `common` and `dataset`.

A short script of our own, written the way the book's ch08/train_deepnet.py, half_float_network.py
and misclassified_mnist.py are (its imports, names and call signatures), run as a subprocess from a
temporary folder laid out like the book's repository: ch08/ next to links to the project's common/
and dataset/. It trains DeepConvNet for a few iterations on a slice, saves and reloads the
parameters under the book's file name, and converts them to float16 the book's way.
"""

import os
import subprocess
import sys

import pytest

from tools import REPO

DEEP_NET = """\
# coding: utf-8
import sys, os
sys.path.append(os.pardir)  # the folder above ch08/ holds common/ and dataset/
import numpy as np
import matplotlib.pyplot as plt
from dataset.mnist import load_mnist
from common.deep_convnet import DeepConvNet
from common.trainer import Trainer

(x_train, t_train), (x_test, t_test) = load_mnist(flatten=False)
x_train, t_train = x_train[:300], t_train[:300]
x_test, t_test = x_test[:100], t_test[:100]

network = DeepConvNet(seed=0)
trainer = Trainer(network, x_train, t_train, x_test, t_test,
                  epochs=1, mini_batch_size=50,
                  optimizer='Adam', optimizer_param={'lr':0.001},
                  evaluate_sample_num_per_epoch=100, verbose=False, seed=0)
final = trainer.train()
print("train:" + str(len(trainer.train_loss_list)) + "," + str(trainer.train_loss_list[0]) + ","
      + str(trainer.train_loss_list[-1]) + "," + str(final))

network.save_params("deep_convnet_params.pkl")
again = DeepConvNet()
again.load_params("deep_convnet_params.pkl")
y1 = network.predict(x_test, train_flg=False)
y2 = again.predict(x_test, train_flg=False)
print("reload:" + str(np.abs(y1 - y2).max()))

acc64 = again.accuracy(x_test, t_test)
x_test = x_test.astype(np.float16)
for param in again.params.values():
    param[...] = param.astype(np.float16)
print("half:" + str(acc64) + "," + str(again.accuracy(x_test, t_test)) + ","
      + str(again.predict(x_test[:2]).dtype))
"""


@pytest.fixture(scope="module")
def book_repo(tmp_path_factory):
    root = tmp_path_factory.mktemp("book")
    (root / "ch08").mkdir()
    (root / "common").symlink_to(REPO / "common", target_is_directory=True)
    (root / "dataset").symlink_to(REPO / "dataset", target_is_directory=True)
    return root


def test_deep_net_trains_saves_and_halves(book_repo):
    script = book_repo / "ch08" / "deep_net.py"
    script.write_text(DEEP_NET, encoding="utf-8")
    env = dict(os.environ, MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1")
    env.pop("PYTHONPATH", None)  # only the book's own sys.path.append(os.pardir) may find common/
    done = subprocess.run([sys.executable, script.name], cwd=script.parent, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    out = dict(line.split(":", 1) for line in done.stdout.splitlines())
    steps, first, last, final = (float(v) for v in out["train"].split(","))
    assert steps == 6  # 300 digits in batches of 50, one epoch
    assert last < first  # six Adam steps lower the loss (Dropout makes single losses noisy, not this much)
    assert 0.0 <= final <= 1.0
    assert float(out["reload"]) == 0.0  # the .npz behind the book's .pkl name holds the same numbers
    acc64, acc16, dtype = out["half"].split(",")
    assert abs(float(acc64) - float(acc16)) <= 0.02 and dtype == "float64"  # rounded, computed in float64
    assert (book_repo / "ch08" / "deep_convnet_params.pkl").read_bytes()[:2] == b"PK"  # a zip, not a pickle
