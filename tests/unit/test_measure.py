"""companion.measure: exact call counts, positive timings, bad arguments refused."""

import pytest

from common.gradient import numerical_gradient
from common.two_layer_net import TwoLayerNet
from companion.measure import CountingCalls, seconds_per_call


def test_counts_every_call_and_passes_results_through():
    f = CountingCalls(lambda x, y=1: x + y)
    assert f(2) == 3 and f(2, y=5) == 7
    assert f.calls == 2


def test_numerical_gradient_makes_two_calls_per_parameter():
    import numpy as np

    loss = CountingCalls(lambda w: float(np.sum(w**2)))
    numerical_gradient(loss, np.ones((3, 4)))
    assert loss.calls == 24


def test_shadowing_a_method_counts_the_network_loss_calls():
    import numpy as np

    net = TwoLayerNet(3, 2, 2, seed=0)
    net.loss = CountingCalls(net.loss)
    net.numerical_gradient(np.ones((2, 3)), np.array([0, 1]))
    n_params = sum(p.size for p in net.params.values())
    assert net.loss.calls == 2 * n_params == 2 * (3 * 2 + 2 + 2 * 2 + 2)
    del net.loss
    assert not isinstance(net.loss, CountingCalls)


def test_seconds_per_call_and_bad_arguments():
    calls = []
    t = seconds_per_call(lambda: calls.append(1), repeat=3)
    assert len(calls) == 3 and 0 <= t < 1
    with pytest.raises(ValueError, match="repeat"):
        seconds_per_call(lambda: None, repeat=0)
    with pytest.raises(TypeError, match="callable"):
        CountingCalls(3)
