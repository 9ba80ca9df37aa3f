"""common.functions: seed numbers, independent math, properties over shapes and magnitudes, bad input."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from common import functions as F

# The seed's example: the network puts 0.6 on class 2 (right), then 0.6 on class 7 (wrong).
T_ONE_HOT = np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
Y_RIGHT = np.array([0.1, 0.05, 0.6, 0.0, 0.05, 0.1, 0.0, 0.1, 0.0, 0.0])
Y_WRONG = np.array([0.1, 0.05, 0.1, 0.0, 0.05, 0.1, 0.0, 0.6, 0.0, 0.0])


# ------------------------------------------------------------------------------ seed numbers


def test_softmax_seed_example():
    y = F.softmax(np.array([0.3, 2.9, 4.0]))
    np.testing.assert_allclose(y, [0.01821127, 0.24519181, 0.73659691], atol=5e-9)
    assert y.sum() == pytest.approx(1.0, abs=1e-15)


def test_mean_squared_error_seed_numbers():
    assert F.mean_squared_error(Y_RIGHT, T_ONE_HOT) == 0.09750000000000003
    assert F.mean_squared_error(Y_WRONG, T_ONE_HOT) == pytest.approx(0.5975, abs=1e-15)


def test_cross_entropy_seed_numbers():
    assert F.cross_entropy_error(Y_RIGHT, T_ONE_HOT) == pytest.approx(0.510825457099338, abs=1e-15)
    assert F.cross_entropy_error(Y_WRONG, T_ONE_HOT) == pytest.approx(2.302584092994546, abs=1e-15)
    # the same with a scalar label instead of a one-hot row
    assert F.cross_entropy_error(Y_RIGHT, 2) == pytest.approx(0.510825457099338, abs=1e-15)
    assert F.cross_entropy_error(Y_WRONG, np.int64(2)) == pytest.approx(2.302584092994546, abs=1e-15)


def test_naive_softmax_overflows_but_ours_does_not():
    a = np.array([1010.0, 1000.0, 990.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        naive = np.exp(a) / np.sum(np.exp(a))
    assert np.isnan(naive).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y = F.softmax(a)
    e = [1.0, math.exp(-10), math.exp(-20)]
    np.testing.assert_allclose(y, np.array(e) / sum(e), rtol=1e-14)


# ------------------------------------------------------------------------------- activations


def test_activations_against_formulas():
    xs = np.linspace(-5, 5, 101)
    for x, s, r in zip(xs, F.sigmoid(xs), F.relu(xs), strict=True):
        assert s == pytest.approx(1 / (1 + math.exp(-x)), rel=1e-14)
        assert r == (x if x > 0 else 0.0)
    np.testing.assert_array_equal(F.step_function([-1.0, 0.0, 1e-300, 2.0]), [0, 0, 1, 1])
    np.testing.assert_allclose(F.tanh(xs), [math.tanh(x) for x in xs], rtol=1e-14)
    np.testing.assert_array_equal(F.identity(xs), xs)


def test_derivatives_match_central_differences():
    xs = np.linspace(-4, 4, 81) + 0.013  # keep away from ReLU's kink at exactly 0
    h = 1e-6
    for f, df in [(F.sigmoid, F.sigmoid_grad), (F.tanh, F.tanh_grad), (F.relu, F.relu_grad)]:
        numeric = (f(xs + h) - f(xs - h)) / (2 * h)
        np.testing.assert_allclose(df(xs), numeric, atol=1e-8)


def test_sigmoid_silent_and_exact_at_extremes():
    x = np.array([-1000.0, -745.0, -50.0, 0.0, 50.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the primer's 1 / (1 + exp(-x)) warns for x < -709
        y = F.sigmoid(x)
        F.sigmoid_grad(x)
    assert y[0] == 0.0 and y[-1] == 1.0 and y[3] == 0.5
    assert y[2] == pytest.approx(math.exp(-50) / (1 + math.exp(-50)), rel=1e-14)


def test_relu_grad_at_zero_agrees_with_layer():
    from common.layers import Relu

    x = np.array([-1.0, 0.0, 1.0])
    layer = Relu()
    layer.forward(x)
    np.testing.assert_array_equal(layer.backward(np.ones(3)), F.relu_grad(x))
    assert F.relu_grad(0.0) == 0.0


def test_activations_keep_float32():
    x = np.linspace(-3, 3, 7, dtype=np.float32)
    for f in (F.sigmoid, F.relu, F.tanh, F.step_function, F.softmax):
        assert f(x).dtype == np.float32


def test_linear_activation_collapses_three_layers():
    c = 1.7
    x = np.linspace(-2, 2, 9)

    def h(v):
        return c * v

    np.testing.assert_allclose(h(h(h(x))), c**3 * x, rtol=1e-15)


# ----------------------------------------------------------------------------------- softmax

finite_rows = hnp.arrays(
    np.float64,
    hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=6),
    elements=st.floats(-1e6, 1e6),
)


@given(finite_rows)
def test_softmax_is_a_distribution(a):
    y = F.softmax(a)
    assert y.shape == a.shape
    assert np.all(y >= 0) and np.all(y <= 1)
    np.testing.assert_allclose(y.sum(axis=-1), 1.0, rtol=1e-12)
    # the largest score keeps the largest probability
    rows, cols = a.reshape(-1, a.shape[-1]), y.reshape(-1, a.shape[-1])
    for r, p in zip(rows, cols, strict=True):
        assert p[np.argmax(r)] == p.max()


@given(finite_rows, st.floats(-1e3, 1e3))
def test_softmax_shift_invariance(a, c):
    np.testing.assert_allclose(F.softmax(a + c), F.softmax(a), atol=1e-12)


@given(hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-30, 30)))
def test_softmax_matches_textbook_formula_where_it_is_safe(a):
    e = np.array([math.exp(v) for v in a])
    np.testing.assert_allclose(F.softmax(a), e / e.sum(), rtol=1e-12)


@given(hnp.arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e300, 1e300)))
def test_log_softmax_finite_for_huge_scores(a):
    assume(np.ptp(a) < 1e308)  # differences must themselves be finite
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = F.log_softmax(a)
    assert np.all(np.isfinite(out)) and np.all(out <= 0)


def test_softmax_batches_along_last_axis():
    a = np.arange(24.0).reshape(2, 3, 4)
    y = F.softmax(a)
    for idx in np.ndindex(2, 3):
        e = np.exp(a[idx] - a[idx].max())
        np.testing.assert_allclose(y[idx], e / e.sum(), rtol=1e-14)


@pytest.mark.parametrize("bad", [np.array([1.0, np.nan]), np.array([np.inf, 0.0]), np.zeros((2, 0))])
def test_softmax_rejects_bad_input(bad):
    with pytest.raises(ValueError):
        F.softmax(bad)


# ------------------------------------------------------------------------------------- losses

def _random_batch(n, c, seed):
    rng = np.random.default_rng(seed)
    y = rng.dirichlet(np.ones(c), size=n)
    t = rng.integers(0, c, size=n)
    return y, t


@given(st.integers(1, 20), st.integers(2, 12), st.integers(0, 2**32 - 1))
def test_cross_entropy_labels_equal_one_hot(n, c, seed):
    y, t = _random_batch(n, c, seed)
    one_hot = np.eye(c)[t]
    by_label = F.cross_entropy_error(y, t)
    assert by_label == pytest.approx(F.cross_entropy_error(y, one_hot), rel=1e-13)
    expected = -sum(math.log(y[i, t[i]] + 1e-7) for i in range(n)) / n
    assert by_label == pytest.approx(expected, rel=1e-13)


@given(st.integers(1, 20), st.integers(2, 12), st.integers(0, 2**32 - 1))
def test_mean_squared_error_is_half_sum_batch_mean(n, c, seed):
    y, t = _random_batch(n, c, seed)
    one_hot = np.eye(c)[t]
    expected = sum(0.5 * sum((y[i, k] - one_hot[i, k]) ** 2 for k in range(c)) for i in range(n)) / n
    assert F.mean_squared_error(y, one_hot) == pytest.approx(expected, rel=1e-12)
    assert F.mean_squared_error(y, t) == pytest.approx(expected, rel=1e-12)


@given(
    hnp.arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 6)), elements=st.floats(-50, 50)),
    st.integers(0, 2**32 - 1),
)
def test_softmax_cross_entropy_equals_probability_form(logits, seed):
    t = np.random.default_rng(seed).integers(0, logits.shape[1], size=logits.shape[0])
    p = F.softmax(logits)
    expected = -np.mean([math.log(p[i, t[i]]) for i in range(len(t))])
    assert F.softmax_cross_entropy(logits, t) == pytest.approx(expected, rel=1e-10, abs=1e-12)
    assert F.softmax_cross_entropy(logits, np.eye(logits.shape[1])[t]) == pytest.approx(
        expected, rel=1e-10, abs=1e-12
    )


@given(st.floats(1e3, 1e300))
def test_softmax_cross_entropy_stays_finite_and_exact_for_huge_logits(scale):
    logits = np.array([[scale, 0.0, -scale]])
    assert F.softmax_cross_entropy(logits, [0]) == pytest.approx(0.0, abs=1e-300)
    # the wrong class costs the full margin: exactly what the 1e-7 guard would clip at 16.1
    loss = F.softmax_cross_entropy(logits, [1])
    assert np.isfinite(loss) and loss == pytest.approx(scale, rel=1e-12)
    assert F.cross_entropy_error(F.softmax(logits), [1]) == pytest.approx(-math.log(1e-7))


def test_losses_reject_bad_targets():
    y = np.full((2, 3), 1 / 3)
    cases = [
        (np.array([0, 3]), ValueError, "out of range"),
        (np.array([0, -1]), ValueError, "out of range"),  # must not wrap to the last class
        (np.eye(4)[:2], ValueError, "does not match"),
        (np.array([0.0, 1.0]), TypeError, "integers"),
        (np.array([0, 1, 2]), ValueError, "fits neither"),
    ]
    for loss in (F.cross_entropy_error, F.mean_squared_error, F.softmax_cross_entropy):
        for t, err, words in cases:
            with pytest.raises(err, match=words):
                loss(y, t)


def test_losses_reject_nan():
    y = np.array([[0.5, np.nan, 0.5]])
    for loss in (F.cross_entropy_error, F.mean_squared_error, F.softmax_cross_entropy):
        with pytest.raises(ValueError, match="NaN"):
            loss(y, [0])


def test_cross_entropy_rejects_negative_probabilities_and_bad_shapes():
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        F.cross_entropy_error(np.array([-0.1, 1.1]), 1)
    with pytest.raises(ValueError, match="shape"):
        F.cross_entropy_error(np.ones((2, 2, 2)) / 2, np.zeros((2, 2), dtype=int))


def test_to_one_hot():
    np.testing.assert_array_equal(F.to_one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])
    with pytest.raises(ValueError):
        F.to_one_hot(np.array([3]), 3)


def test_single_sample_accepts_batch_of_one_targets():
    expected = -math.log(0.6 + 1e-7)
    for t in (2, np.array([2]), T_ONE_HOT, T_ONE_HOT[None, :]):
        assert F.cross_entropy_error(Y_RIGHT, t) == pytest.approx(expected, rel=1e-15)
