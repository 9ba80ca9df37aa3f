"""common.trainer.Trainer and common.util (smooth_curve, shuffle_dataset)."""

import numpy as np
import pytest

from common.multi_layer_net import MultiLayerNet
from common.optimizer import Adam, Momentum
from common.trainer import Trainer
from common.training import minibatches
from common.util import shuffle_dataset, smooth_curve


def blobs(n, seed):
    """Two well separated classes in 4-d: any working trainer gets them right."""
    rng = np.random.default_rng(seed)
    t = rng.integers(0, 2, n)
    x = rng.standard_normal((n, 4)) + 3.0 * t[:, None]
    return x, t


def test_trainer_records_one_accuracy_per_epoch_and_learns(capsys):
    x, t = blobs(300, 0)
    xt, tt = blobs(100, 1)
    net = MultiLayerNet(4, [8], 2, seed=0)
    trainer = Trainer(net, x, t, xt, tt, epochs=5, mini_batch_size=100, optimizer="Adam",
                      optimizer_param={"lr": 0.05}, verbose=False, seed=0)
    assert isinstance(trainer.optimizer, Adam) and trainer.optimizer.lr == 0.05
    final = trainer.train()
    assert trainer.max_iter == 15 and len(trainer.train_loss_list) == 15
    assert len(trainer.train_acc_list) == len(trainer.test_acc_list) == 5
    assert trainer.test_acc_list[-1] > 0.95 and final > 0.95
    assert trainer.train_loss_list[-1] < trainer.train_loss_list[0]
    assert capsys.readouterr().out == ""  # verbose=False prints nothing


def test_trainer_steps_are_common_trainings(capsys):
    """The same steps as common.training's loop: its batches, one optimizer update each."""
    x, t = blobs(200, 2)
    net, twin = MultiLayerNet(4, [5], 2, seed=1), MultiLayerNet(4, [5], 2, seed=1)
    trainer = Trainer(net, x, t, x, t, epochs=2, mini_batch_size=50, optimizer="momentum",
                      optimizer_param={"lr": 0.1}, seed=7)
    trainer.train()
    opt, losses = Momentum(lr=0.1), []
    batches = minibatches(x, t, 50, seed=7)
    for _ in range(8):
        xb, tb = next(batches)
        grads = twin.gradient(xb, tb)
        losses.append(twin.last_layer.loss)
        opt.update(twin.params, grads)
    np.testing.assert_array_equal(trainer.train_loss_list, losses)
    for key in net.params:
        np.testing.assert_array_equal(net.params[key], twin.params[key])
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("train loss:") and out[1].startswith("=== epoch:1, train acc:")
    banner = "=============== Final Test Accuracy ==============="
    assert out[-2:] == [banner, f"test acc:{net.accuracy(x, t)}"]
    assert sum(line.startswith("=== epoch:") for line in out) == 2


def test_trainer_fractional_epochs_and_sample_evaluation():
    x, t = blobs(130, 3)
    net = MultiLayerNet(4, [5], 2, seed=2)
    calls = []
    accuracy = net.accuracy
    net.accuracy = lambda xs, ts: (calls.append(len(xs)), accuracy(xs, ts))[1]
    trainer = Trainer(net, x, t, x, t, epochs=4, mini_batch_size=50, verbose=False,
                      evaluate_sample_num_per_epoch=20, seed=0)
    trainer.train()
    assert trainer.max_iter == int(4 * 2.6)  # 10 steps of 50 out of 130
    assert len(trainer.train_acc_list) == 4  # after steps 1, 4, 6 and 9 (epochs start at 0, 2.6, 5.2, 7.8)
    assert calls == [20, 20] * 4 + [130]  # samples per epoch, then the whole test set


def test_trainer_refuses_unknown_optimizer_and_sizes():
    x, t = blobs(10, 4)
    net = MultiLayerNet(4, [3], 2)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        Trainer(net, x, t, x, t, optimizer="newton")
    with pytest.raises(ValueError, match="batch_size"):
        Trainer(net, x, t, x, t, mini_batch_size=11)
    with pytest.raises(ValueError, match="learning rate"):
        Trainer(net, x, t, x, t, optimizer_param={"lr": -1})


def test_smooth_curve_is_a_weighted_moving_average():
    rng = np.random.default_rng(5)
    x = rng.standard_normal(40)
    y = smooth_curve(x)
    assert y.shape == x.shape
    w = np.kaiser(11, 2)
    np.testing.assert_allclose(y[20], np.dot(w, x[15:26]) / w.sum(), rtol=1e-12)  # inside: 11 around
    mirrored = np.concatenate([x[5:0:-1], x[:6]])  # the left end mirrored: x5 .. x1, x0 .. x5
    np.testing.assert_allclose(y[0], np.dot(w, mirrored) / w.sum(), rtol=1e-12)
    np.testing.assert_allclose(smooth_curve(np.full(15, 3.0)), 3.0, rtol=1e-12)  # flat stays flat
    assert np.std(np.diff(y)) < np.std(np.diff(x))  # and it is smoother
    with pytest.raises(ValueError, match="1-d"):
        smooth_curve(np.ones((3, 3)))


def test_shuffle_dataset_one_permutation_for_both():
    x = np.arange(24.0).reshape(6, 1, 2, 2)  # images
    t = np.arange(6)
    xs, ts = shuffle_dataset(x, t, seed=0)
    np.testing.assert_array_equal(xs[:, 0, 0, 0], x[ts, 0, 0, 0])  # rows still with their labels
    assert sorted(ts.tolist()) == list(range(6)) and ts.tolist() != list(range(6))
    xs2, ts2 = shuffle_dataset(x, t, seed=0)
    np.testing.assert_array_equal(ts, ts2)
    np.testing.assert_array_equal(t, np.arange(6))  # the inputs are left alone
    with pytest.raises(ValueError, match="targets"):
        shuffle_dataset(x, t[:5])
