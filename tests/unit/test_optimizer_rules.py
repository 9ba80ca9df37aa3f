"""Momentum, Nesterov, AdaGrad, RMSprop, Adam: the first two steps against numbers worked out by hand.

Every rule starts from W = 1 with gradient g = 2 at step 1 and g = 1 at step 2 (and a second
parameter moving the other way, to show the state is kept per key). The expected values are the
update rules evaluated by hand in the comments; none comes from the code under test.
"""

import math

import numpy as np
import pytest

from common.optimizer import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop

EPS = 1e-7  # the rules' guard in the denominator


def two_steps(optimizer):
    """Run steps with g = 2 then g = 1 on "W" (from 1) and g = -4 then -2 on "b" (from 0).

    Returns the values of W and b after each step and checks the arrays were updated in place.
    """
    params = {"W": np.array([1.0]), "b": np.array([0.0])}
    W, b = params["W"], params["b"]
    seen = []
    for gw, gb in [(2.0, -4.0), (1.0, -2.0)]:
        optimizer.update(params, {"W": np.array([gw]), "b": np.array([gb])})
        assert params["W"] is W and params["b"] is b  # in place: layers holding W see the update
        seen.append((float(W[0]), float(b[0])))
    return seen


def test_momentum():
    # lr 0.1, momentum 0.9. Step 1: v = -0.1*2 = -0.2, W = 0.8. Step 2: v = 0.9*(-0.2) - 0.1*1 = -0.28,
    # W = 0.8 - 0.28 = 0.52. b: v = 0.4, b = 0.4; v = 0.36 + 0.2 = 0.56, b = 0.96.
    (w1, b1), (w2, b2) = two_steps(Momentum(lr=0.1, momentum=0.9))
    np.testing.assert_allclose([w1, w2, b1, b2], [0.8, 0.52, 0.4, 0.96], rtol=1e-12)


def test_nesterov():
    # Step 1: v = -0.2, W = 1 + 0.9*(-0.2) - 0.1*2 = 0.62.
    # Step 2: v = 0.9*(-0.2) - 0.1 = -0.28, W = 0.62 + 0.9*(-0.28) - 0.1*1 = 0.268.
    # Paper's form at step 2: W += 0.81 * v_old - 1.9 * 0.1 * 1 = -0.162 - 0.19 = -0.352: same 0.268.
    # b: v = 0.4, b = 0.36 + 0.4 = 0.76; v = 0.56, b = 0.76 + 0.504 + 0.2 = 1.464.
    (w1, b1), (w2, b2) = two_steps(Nesterov(lr=0.1, momentum=0.9))
    np.testing.assert_allclose([w1, w2, b1, b2], [0.62, 0.268, 0.76, 1.464], rtol=1e-12)


def test_adagrad():
    # Step 1: h = 4, W = 1 - 0.1*2/(2 + eps). Step 2: h = 5, W -= 0.1*1/(sqrt 5 + eps).
    # b sees g = -4, -2: h = 16 then 20, so b = 0.1*4/4 = 0.1 then + 0.1*2/sqrt 20.
    (w1, b1), (w2, b2) = two_steps(AdaGrad(lr=0.1))
    w1_hand = 1 - 0.2 / (2 + EPS)
    b1_hand = 0.4 / (4 + EPS)
    np.testing.assert_allclose([w1, b1], [w1_hand, b1_hand], rtol=1e-12)
    np.testing.assert_allclose([w2, b2], [w1_hand - 0.1 / (math.sqrt(5) + EPS),
                                          b1_hand + 0.2 / (math.sqrt(20) + EPS)], rtol=1e-12)
    assert abs(w1 - 0.9) < 1e-7  # the first step is lr * sign(g): 0.1, whatever the size of g


def test_rmsprop():
    # decay 0.5. Step 1: h = 0.5*4 = 2, W = 1 - 0.2/sqrt 2. Step 2: h = 0.5*2 + 0.5*1 = 1.5,
    # W -= 0.1/sqrt 1.5. (AdaGrad would have h = 5 by now: the old gradient has faded by half.)
    (w1, _), (w2, _) = two_steps(RMSprop(lr=0.1, decay_rate=0.5))
    w1_hand = 1 - 0.2 / (math.sqrt(2) + EPS)
    np.testing.assert_allclose([w1, w2], [w1_hand, w1_hand - 0.1 / (math.sqrt(1.5) + EPS)], rtol=1e-12)


def test_rmsprop_default_decay():
    # decay 0.99 (the default): h = 0.04 after step 1, so W = 1 - 0.01*2/(0.2 + eps): a step of 0.1,
    # ten times the learning rate, because h starts at zero and is not bias-corrected.
    (w1, _), _ = two_steps(RMSprop())
    np.testing.assert_allclose(w1, 1 - 0.02 / (0.2 + EPS), rtol=1e-12)


def test_adam():
    # beta1 0.5, beta2 0.75, lr 0.1. Step 1: m = 0.5*2 = 1, v = 0.25*4 = 1,
    # lr_1 = 0.1 * sqrt(1 - 0.75) / (1 - 0.5) = 0.1, W = 1 - 0.1 * 1/(1 + eps).
    # Step 2: m = 0.5*1 + 0.5*1 = 1, v = 0.75*1 + 0.25*1 = 1,
    # lr_2 = 0.1 * sqrt(1 - 0.5625) / (1 - 0.25) = 0.1 * sqrt(0.4375) / 0.75.
    (w1, b1), (w2, _) = two_steps(Adam(lr=0.1, beta1=0.5, beta2=0.75))
    np.testing.assert_allclose(w1, 1 - 0.1 / (1 + EPS), rtol=1e-12)
    np.testing.assert_allclose(w2, w1 - 0.1 * math.sqrt(0.4375) / 0.75 / (1 + EPS), rtol=1e-12)
    # b: m = -2, v = 4, step 0.1 * 2/2: Adam's first step is lr against the gradient's sign too.
    np.testing.assert_allclose(b1, 0.1 * 2 / (2 + EPS), rtol=1e-12)


def test_adam_first_step_with_the_published_defaults():
    # Step 1 from m = v = 0: m = 0.1 g, v = 0.001 g^2, lr_1 = lr * sqrt(0.001) / 0.1, so the step is
    # lr * g / |g| = 0.01 for any g, up to the eps guard (1e-7 next to sqrt(v) = 0.0158 |g|: < 1e-4 here).
    params = {"W": np.array([3.0, -1.0])}
    Adam(lr=0.01).update(params, {"W": np.array([0.5, -8.0])})
    np.testing.assert_allclose(params["W"], [3.0 - 0.01, -1.0 + 0.01], rtol=1e-4)


@pytest.mark.parametrize("make", [lambda: Momentum(lr=0.1, momentum=0.0),
                                  lambda: Nesterov(lr=0.1, momentum=0.0)])
def test_no_momentum_is_sgd(make):
    rng = np.random.default_rng(3)
    a = {"W": rng.standard_normal((3, 2))}
    b = {"W": a["W"].copy()}
    opt, sgd = make(), SGD(lr=0.1)
    for _ in range(3):
        g = rng.standard_normal((3, 2))
        opt.update(a, {"W": g})
        sgd.update(b, {"W": g})
    np.testing.assert_allclose(a["W"], b["W"], rtol=1e-14)


def test_python_floats_as_parameters():
    # The primer's bowl keeps x and y as plain floats in the params dict.
    params = {"x": -7.0, "y": 2.0}
    Momentum(lr=0.1).update(params, {"x": -0.7, "y": 4.0})
    np.testing.assert_allclose([params["x"], params["y"]], [-7.0 + 0.07, 2.0 - 0.4], rtol=1e-12)


@pytest.mark.parametrize("make, name", [
    (lambda: Momentum(lr=0), "lr"), (lambda: Momentum(momentum=1.0), "momentum"),
    (lambda: Nesterov(lr=-1), "lr"), (lambda: Nesterov(momentum=-0.1), "momentum"),
    (lambda: AdaGrad(lr=float("nan")), "lr"),
    (lambda: RMSprop(decay_rate=1.5), "decay_rate"), (lambda: RMSprop(lr=float("inf")), "lr"),
    (lambda: Adam(beta1=1.0), "beta1"), (lambda: Adam(beta2=-0.5), "beta2"), (lambda: Adam(lr=0), "lr"),
])
def test_bad_hyperparameters_are_refused_by_name(make, name):
    with pytest.raises(ValueError, match=name):
        make()


@pytest.mark.parametrize("cls", [Momentum, Nesterov, AdaGrad, RMSprop, Adam])
def test_state_belongs_to_one_network(cls):
    opt = cls()
    opt.update({"W": np.ones(3)}, {"W": np.ones(3)})
    with pytest.raises(ValueError, match="keys or shapes"):
        opt.update({"W": np.ones(4)}, {"W": np.ones(4)})
    with pytest.raises(ValueError, match="differ in keys"):
        opt.update({"W": np.ones(3)}, {"V": np.ones(3)})


# ------------------------------------------------------------------ the primer's bowl (companion.bowl)


def test_sgd_on_the_bowl_is_two_geometric_sequences():
    # f = x²/20 + y²: x <- x - lr * x/10 and y <- y - lr * 2y, so x_n = -7 (1 - lr/10)^n and
    # y_n = 2 (1 - 2 lr)^n. With lr = 0.95: factors 0.905 and -0.9 (y flips sign every step).
    from companion.bowl import descend, steps_to_minimum

    path = descend(SGD(lr=0.95), steps=30)
    n = np.arange(31)
    np.testing.assert_allclose(path[:, 0], -7 * 0.905**n, rtol=1e-12)
    np.testing.assert_allclose(path[:, 1], 2 * (-0.9) ** n, rtol=1e-12, atol=1e-15)
    # Within 1e-3 of (0, 0) when hypot(7 * 0.905^n, 2 * 0.9^n) <= 1e-3: first at n = 89, since
    # 0.905^88 = 1.53e-4 (x alone is 1.07e-3 away) and 0.905^89 = 1.39e-4 (x 9.70e-4, y 1.7e-4).
    assert math.hypot(7 * 0.905**88, 2 * 0.9**88) > 1e-3 >= math.hypot(7 * 0.905**89, 2 * 0.9**89)
    assert steps_to_minimum(SGD(lr=0.95)) == 89


def test_bowl_paths_stop_at_the_minimum_or_on_divergence():
    from companion.bowl import ESCAPE, descend, steps_to_minimum

    # lr = 1.2: y_n = 2 (-1.4)^n, and 2 * 1.4^n first reaches 1e6 at n = 39 (1.4^38 = 3.6e5, 1.4^39 = 5.0e5)
    path = descend(SGD(lr=1.2), steps=1000)
    assert not math.hypot(*path[-1]) < ESCAPE and math.hypot(*path[-2]) < ESCAPE
    assert len(path) - 1 == next(k for k in range(1, 100) if math.hypot(7 * 0.88**k, 2 * 1.4**k) >= ESCAPE)
    assert steps_to_minimum(SGD(lr=1.2)) is None
    assert steps_to_minimum(SGD(lr=0.01), max_steps=50) is None  # far too slow along x
