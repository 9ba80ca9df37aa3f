"""common.training's minibatches() and sgd_step(), and the lean step against a plain reference.

The reference below writes the 784-50-10 step out with numpy formulas only (no project code):
the project's step must agree with it to 1e-12 in float64, step after step.
"""

import numpy as np
import pytest

from common.optimizer import SGD
from common.training import minibatches, sgd_step, train
from common.two_layer_net import TwoLayerNet


def data(n=60, d=784, c=10, seed=0, dtype=np.float64):
    g = np.random.default_rng(seed)
    return g.random((n, d)).astype(dtype), g.integers(0, c, size=n)


def reference_step(params, x, t, lr):
    """One SGD step of Affine -> sigmoid -> Affine -> softmax cross-entropy, from the formulas."""
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    x = x.astype(np.float64)
    n = len(x)
    h = 1 / (1 + np.exp(-(x @ W1 + b1)))
    scores = h @ W2 + b2
    e = np.exp(scores - scores.max(axis=1, keepdims=True))
    y = e / e.sum(axis=1, keepdims=True)
    one_hot = np.eye(W2.shape[1])[t]
    loss = -np.sum(np.log(y[np.arange(n), t])) / n
    d_scores = (y - one_hot) / n
    d_a1 = (d_scores @ W2.T) * h * (1 - h)
    grads = {"W1": x.T @ d_a1, "b1": d_a1.sum(axis=0), "W2": h.T @ d_scores, "b2": d_scores.sum(axis=0)}
    new_params = {k: params[k] - lr * grads[k] for k in params}
    return loss, grads, new_params


def assert_close_1e12(got, want, what):
    """Agreement to 1e-12 relative to the array's largest magnitude (rounding order may differ)."""
    scale = max(np.abs(want).max(), np.finfo(np.float64).tiny)
    assert np.abs(got - want).max() <= 1e-12 * scale, what


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=["float64 data", "float32 data"])
@pytest.mark.parametrize("batch_size", [1, 7, 20])
def test_project_step_matches_reference_to_1e12(dtype, batch_size):
    x, t = data(dtype=dtype)
    net = TwoLayerNet(784, 50, 10, weight_init_std=0.1, seed=3)
    optimizer = SGD(lr=0.5)
    params = {k: v.copy() for k, v in net.params.items()}
    batches = minibatches(x, t, batch_size, seed=1)
    for step in range(12):
        x_batch, t_batch = next(batches)
        loss_ref, grads_ref, params = reference_step(params, x_batch, t_batch, 0.5)
        grads = net.gradient(x_batch, t_batch)
        for key in grads:
            assert grads[key].dtype == np.float64
            assert_close_1e12(grads[key], grads_ref[key], f"step {step} grad {key}")
        loss = sgd_step(net, optimizer, x_batch, t_batch)
        assert loss == pytest.approx(loss_ref, rel=1e-12, abs=0)
        for key in params:
            assert_close_1e12(net.params[key], params[key], f"step {step} param {key}")


def test_gradient_dicts_are_not_overwritten_by_the_next_call():
    x, t = data()
    net = TwoLayerNet(784, 50, 10, weight_init_std=0.1, seed=0)
    first = net.gradient(x[:10], t[:10])
    kept = {k: v.copy() for k, v in first.items()}
    second = net.gradient(x[10:30], t[10:30])
    for key in first:
        np.testing.assert_array_equal(first[key], kept[key])
        assert not np.shares_memory(first[key], second[key])
        assert not np.array_equal(first[key], second[key])


def test_predictions_kept_by_a_caller_are_not_overwritten():
    x, _ = data()
    net = TwoLayerNet(784, 50, 10, weight_init_std=0.1, seed=0)
    first = net.predict(x[:5])
    kept = first.copy()
    net.predict(x[5:10])
    np.testing.assert_array_equal(first, kept)


def test_sgd_step_returns_the_loss_before_the_update_and_updates_in_place():
    x, t = data()
    net = TwoLayerNet(784, 50, 10, weight_init_std=0.1, seed=0)
    W1 = net.params["W1"]
    before = net.loss(x[:10], t[:10])
    grads = {k: v.copy() for k, v in net.gradient(x[:10], t[:10]).items()}
    expected = {k: v - 0.1 * grads[k] for k, v in net.params.items()}
    assert sgd_step(net, SGD(0.1), x[:10], t[:10]) == before
    assert net.params["W1"] is W1  # updated, not replaced
    for key in expected:
        np.testing.assert_array_equal(net.params[key], expected[key])


def test_minibatches_visit_every_sample_once_an_epoch():
    x = np.arange(23.0)[:, None] * np.ones((1, 3))
    t = np.arange(23)
    batches = minibatches(x, t, 5, seed=4)
    for _ in range(3):  # three epochs of 23 // 5 = 4 batches
        seen = []
        for _ in range(4):
            xb, tb = next(batches)
            assert xb.shape == (5, 3) and tb.shape == (5,)
            np.testing.assert_array_equal(xb[:, 0], tb)  # rows stay with their labels
            seen.extend(tb)
        assert len(set(seen)) == 20  # no repeats inside an epoch; 3 samples wait for another one


def test_minibatches_same_seed_same_batches_and_batches_are_fresh_arrays():
    x, t = data()
    a, b = minibatches(x, t, 8, seed=2), minibatches(x, t, 8, seed=2)
    kept = [next(a) for _ in range(10)]
    copies = [(xb.copy(), tb.copy()) for xb, tb in kept]
    for (xa, ta), (xc, tc) in zip(kept, copies, strict=True):
        xb, tb = next(b)
        np.testing.assert_array_equal(xa, xb)
        np.testing.assert_array_equal(ta, tb)
        np.testing.assert_array_equal(xa, xc)  # later batches did not overwrite a kept one
        np.testing.assert_array_equal(ta, tc)
    assert not np.array_equal(kept[0][0], next(minibatches(x, t, 8, seed=3))[0])


def test_minibatches_checks_its_arguments_when_called():
    x, t = data(n=10)
    with pytest.raises(ValueError, match="batch_size"):
        minibatches(x, t, 11)
    with pytest.raises(ValueError, match="batch_size"):
        minibatches(x, t, 0)
    with pytest.raises(ValueError, match="targets"):
        minibatches(x, t[:9], 2)


def test_train_is_minibatches_plus_sgd_step():
    x, t = data(n=50, d=6, c=3, seed=5)
    net_a = TwoLayerNet(6, 5, 3, weight_init_std=0.5, seed=1)
    net_b = TwoLayerNet(6, 5, 3, weight_init_std=0.5, seed=1)
    history = train(net_a, SGD(0.3), (x, t), steps=17, batch_size=10, seed=7, log=None)
    batches = minibatches(x, t, 10, seed=7)
    losses = [sgd_step(net_b, SGD(0.3), *next(batches)) for _ in range(17)]
    assert history.loss == losses
    for key in net_a.params:
        np.testing.assert_array_equal(net_a.params[key], net_b.params[key])
