"""common.optimizer.SGD: the update is exactly params - lr * grad, in place."""

import numpy as np
import pytest

from common.optimizer import SGD


def arrays(seed, shapes, dtype=np.float64):
    g = np.random.default_rng(seed)
    return {k: g.standard_normal(s).astype(dtype) for k, s in shapes.items()}


SHAPES = {"W1": (6, 4), "b1": (4,), "W2": (4, 3), "b2": (3,)}


def test_update_is_exactly_the_formula_step_after_step():
    params = arrays(0, SHAPES)
    expected = {k: v.copy() for k, v in params.items()}
    optimizer = SGD(lr=0.37)
    for seed in range(1, 5):
        grads = arrays(seed, SHAPES)
        kept = {k: v.copy() for k, v in grads.items()}
        optimizer.update(params, grads)
        for key in params:
            expected[key] = expected[key] - 0.37 * kept[key]
            np.testing.assert_array_equal(params[key], expected[key])  # bit for bit
            np.testing.assert_array_equal(grads[key], kept[key])  # the gradients are left alone


def test_same_optimizer_on_other_shapes_and_dtypes():
    optimizer = SGD(0.5)
    small = {"W": np.ones(3)}
    optimizer.update(small, {"W": np.array([1.0, 2.0, 4.0])})
    np.testing.assert_array_equal(small["W"], [0.5, 0.0, -1.0])
    big = {"W": np.ones((2, 2))}  # same key, another shape
    optimizer.update(big, {"W": np.full((2, 2), 2.0)})
    np.testing.assert_array_equal(big["W"], np.zeros((2, 2)))
    # float32 parameters with float64 gradients: lr * grad in float64, then stored back in float32
    p32 = {"W": np.full(3, 0.1, dtype=np.float32)}
    g64 = np.array([1e-9, 1.0, 3.0])
    want = (p32["W"] - 0.5 * g64).astype(np.float32)
    optimizer.update(p32, {"W": g64})
    assert p32["W"].dtype == np.float32
    np.testing.assert_array_equal(p32["W"], want)
    # float32 gradients: lr * grad is float32, as the plain formula computes it
    q = {"W": np.full(3, 0.1, dtype=np.float32)}
    g32 = np.array([0.3, 0.7, 1.1], dtype=np.float32)
    want = q["W"] - 0.5 * g32
    optimizer.update(q, {"W": g32})
    np.testing.assert_array_equal(q["W"], want)


@pytest.mark.parametrize("lr", [0, -1.0])
def test_learning_rate_must_be_positive(lr):
    with pytest.raises(ValueError, match="positive"):
        SGD(lr)
