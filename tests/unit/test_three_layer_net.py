"""companion.three_layer_net: the primer's §3.4 network gives its output, for one input or a batch."""

import numpy as np

from common.functions import relu, softmax
from companion.three_layer_net import accuracy, forward, init_network


def test_the_primers_output():
    y = forward(init_network(), np.array([1.0, 0.5]))
    np.testing.assert_allclose(y, [0.31682708, 0.69627909], rtol=0, atol=5e-9)  # primer §3.4.3


def test_a_batch_row_by_row():
    network = init_network()
    x = np.random.default_rng(0).uniform(-1, 1, size=(7, 2))
    for hidden in (None, relu):
        kwargs = {} if hidden is None else {"hidden": hidden}
        batch = forward(network, x, **kwargs)
        assert batch.shape == (7, 2)
        np.testing.assert_allclose(batch, [forward(network, row, **kwargs) for row in x], rtol=1e-14)


def test_softmax_output_gives_probabilities():
    y = forward(init_network(), np.array([[1.0, 0.5], [-2.0, 3.0]]), output=softmax)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-15)


def test_fresh_weights_each_call():
    a = init_network()
    a["W1"][0, 0] = 99.0
    assert init_network()["W1"][0, 0] == 0.1


def test_accuracy_counts_hits_across_batches():
    network = init_network()
    x = np.random.default_rng(1).uniform(-1, 1, size=(7, 2))
    t = np.argmax(forward(network, x), axis=1)  # the identity output ranks like the softmax
    t[[0, 5]] = 1 - t[[0, 5]]  # two wrong labels, one in the first batch of 3, one in the last
    assert accuracy(network, x, t, batch_size=3) == 5 / 7
    assert accuracy(network, x, t) == 5 / 7
