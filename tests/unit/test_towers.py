"""companion.towers: steps, towers, tower sums and fitted heights, checked against independent math.

Expected values come from calculus done by hand, not from the code under test:
* integral of |sigmoid(w t) - H(t)| over the real line = 2 ln 2 / w (each half is ln 2 / w);
* integral of |hard_sigmoid - H| = 1 / (4 w) (two triangles of legs 1/(2w) and 1/2);
* ideal towers with heights f(centre) are within L / (2N) of f, L = max |f'| (the mean value theorem);
* ReLU towers whose ramps span exactly one tower (w = N) interpolate linearly between the centres.
"""

import math
import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.functions import relu, sigmoid
from common.layers import Affine, Sigmoid
from companion import towers as T

FINE = np.linspace(-1.0, 2.0, 600_001)  # step 5e-6, fine enough for w up to a few thousand


def l1(a, b, x=FINE):
    return float(np.trapezoid(np.abs(a - b), x))


def wiggly(x):
    return 0.2 + 0.4 * x**2 + 0.3 * x * np.sin(15 * x) + 0.05 * np.cos(50 * x)


def wiggly_slope(x):
    return 0.8 * x + 0.3 * np.sin(15 * x) + 4.5 * x * np.cos(15 * x) - 2.5 * np.sin(50 * x)


# Largest |f'| on [0, 1] for each registry target, from the derivatives written out by hand.
SLOPES = {
    "wiggly": float(np.abs(wiggly_slope(np.linspace(0, 1, 200_001))).max()),
    "sin": 0.8 * math.pi,  # d/dx 0.4 sin(2 pi x) = 0.8 pi cos(2 pi x)
    "bump": 10 * math.exp(-0.5),  # a Gaussian of sigma 0.1 is steepest at 1 sigma: e^-1/2 / sigma
    "abs": 1.0,
}


# ------------------------------------------------------------------------------------ steps


@given(w=st.floats(0.1, 1e4), b=st.floats(-1e3, 1e3))
def test_sigmoid_of_wx_plus_b_is_one_half_at_minus_b_over_w(w, b):
    s = T.step_position(w, b)
    assert s == -b / w
    assert sigmoid(w * s + b) == pytest.approx(0.5, abs=1e-9)
    # sigmoid_step(x, s, w) is the unit sigmoid(w x + b) with b = -w s
    x = np.linspace(-2, 2, 9)
    np.testing.assert_allclose(T.sigmoid_step(x, s, w), sigmoid(w * x + b), atol=1e-9)


def test_steep_sigmoid_approaches_the_ideal_step():
    """L1 distance 2 ln 2 / w -> 0; the max stays 1/2 (at the jump) but vanishes a distance away."""
    s = 0.4
    ideal = T.ideal_step(FINE, s)
    distances = []
    for w in (10.0, 100.0, 1000.0):
        real = T.sigmoid_step(FINE, s, w)
        distances.append(l1(real, ideal))
        assert distances[-1] == pytest.approx(2 * math.log(2) / w, rel=1e-3)
        # right beside the jump the gap stays close to 1/2 for every w: convergence is not uniform
        assert np.abs(real - ideal).max() > 0.49
        away = np.abs(FINE - s) >= 0.05
        assert np.abs(real - ideal)[away].max() <= math.exp(-w * 0.05)  # |sigma(z) - H(z)| <= e^-|z|
    assert distances[0] > distances[1] > distances[2]


def test_hard_sigmoid_is_a_clipped_ramp_made_of_two_relus():
    x = np.linspace(-1, 2, 3001)
    for s, w in [(0.3, 5.0), (0.5, 1.0), (0.7, 250.0)]:
        expected = np.clip(w * (x - s) + 0.5, 0.0, 1.0)
        np.testing.assert_allclose(T.hard_sigmoid(x, s, w), expected, atol=1e-12)
        np.testing.assert_allclose(T.step(x, s, w, "relu"), relu(w * (x - s) + 0.5)
                                   - relu(w * (x - s) - 0.5), atol=1e-12)
        assert T.hard_sigmoid(s, s, w) == 0.5
    for w in (10.0, 100.0, 1000.0):
        assert l1(T.hard_sigmoid(FINE, 0.4, w), T.ideal_step(FINE, 0.4)) == pytest.approx(
            1 / (4 * w), rel=1e-3)


def test_towers_use_the_one_sigmoid_of_common_functions_without_warnings():
    z = np.array([-1e308, -800.0, -30.0, 0.0, 30.0, 800.0, 1e308])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = T.tower_sum(z / 1e3 + 0.5, [0.0, 1.0], 1e3)  # one unit, sigmoid(1e3 (x - 1/2)) = sigmoid(z)
    np.testing.assert_allclose(got, sigmoid(z), rtol=1e-12, atol=1e-300)
    assert not hasattr(T, "_units")


# ----------------------------------------------------------------------------------- towers


def box(x, left, right, height):
    return height * ((x > left) & (x < right)) + height * 0.5 * ((x == left) | (x == right))


@pytest.mark.parametrize("kind, per_step", [("sigmoid", lambda w: 2 * math.log(2) / w),
                                            ("relu", lambda w: 1 / (4 * w))])
def test_tower_approaches_the_ideal_box_as_w_grows(kind, per_step):
    center, width, height = 0.5, 0.2, 0.7
    target = box(FINE, 0.4, 0.6, height)
    distances = []
    for w in (100.0, 300.0, 1000.0, 3000.0):
        d = l1(T.tower(FINE, center, width, height, w, kind), target)
        distances.append(d)
        # two steps, far enough apart not to overlap: twice the single-step distance, times height
        assert d == pytest.approx(2 * height * per_step(w), rel=2e-3)
    assert all(a > b for a, b in zip(distances, distances[1:], strict=False)), distances
    np.testing.assert_allclose(T.tower(FINE, center, width, height, kind="ideal"), target)


def test_tower_is_two_opposite_steps():
    x = np.arange(129) / 128  # dyadic: the edges 0.25 and 0.5 are samples, exactly
    for kind in T.KINDS:
        expected = 0.3 * (T.step(x, 0.25, 50.0, kind) - T.step(x, 0.5, 50.0, kind))
        np.testing.assert_allclose(T.tower(x, 0.375, 0.25, 0.3, 50.0, kind), expected, atol=1e-15)


def test_edges_and_centres():
    np.testing.assert_allclose(T.tower_edges(4), [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_allclose(T.tower_centres(4), [0.125, 0.375, 0.625, 0.875])
    np.testing.assert_allclose(T.tower_centres(1), [0.5])


@pytest.mark.parametrize("kind", T.KINDS)
def test_tower_sum_is_the_sum_of_its_towers(kind):
    """Inner towers from tower(); the two end towers are open at the outside (one step each)."""
    rng = np.random.default_rng(3)
    n, w = 7, 80.0
    h = rng.uniform(-1, 1, n)
    x = np.linspace(0, 1, 501)
    e, c = T.tower_edges(n), T.tower_centres(n)
    expected = h[0] * (1 - T.step(x, e[1], w, kind)) + h[-1] * T.step(x, e[-2], w, kind)
    for k in range(1, n - 1):
        expected += T.tower(x, c[k], 1 / n, h[k], w, kind)
    np.testing.assert_allclose(T.tower_sum(x, h, w, kind), expected, atol=1e-14)
    basis = T.tower_basis(x, n, w, kind)
    np.testing.assert_allclose(basis @ h, expected, atol=1e-14)


@given(n=st.integers(1, 60), w=st.floats(0.5, 1e5), kind=st.sampled_from(T.KINDS))
def test_towers_split_one_into_non_negative_parts(n, w, kind):
    """Each x is a weighted average of the heights: weights >= 0 summing to 1 (no overshoot)."""
    basis = T.tower_basis(np.linspace(0, 1, 57), n, w, kind)
    assert basis.shape == (57, n)
    assert (basis >= 0).all()
    np.testing.assert_allclose(basis.sum(axis=1), 1.0, atol=1e-12)


def test_one_tower_is_a_constant():
    np.testing.assert_allclose(T.tower_sum(np.linspace(0, 1, 11), [0.3], 5.0), 0.3)


def test_network_form_matches_the_tower_sum_with_real_layers():
    """y = b + sum_i c_i sigmoid(w_i x + b_i) through common.layers' Affine and Sigmoid."""
    h = np.array([0.2, 0.5, 0.1, 0.9, 0.4])
    w = 60.0
    w_hidden, b_hidden, c, b = T.as_network(h, w)
    assert w_hidden.shape == b_hidden.shape == c.shape == (4,)
    np.testing.assert_allclose(T.step_position(w_hidden, b_hidden), [0.2, 0.4, 0.6, 0.8])
    x = np.linspace(0, 1, 201)
    hidden = Sigmoid().forward(Affine(w_hidden[None, :], b_hidden).forward(x[:, None]))
    y = Affine(c[:, None], np.array([b])).forward(hidden)[:, 0]
    np.testing.assert_allclose(y, T.tower_sum(x, h, w), atol=1e-14)


# ---------------------------------------------------------------------------------- fitting


def test_relu_towers_one_tower_wide_interpolate_linearly_between_centres():
    for n in (3, 10, 40):
        c = T.tower_centres(n)
        h = wiggly(c)
        x = np.linspace(0, 1, 2001)
        np.testing.assert_allclose(T.tower_sum(x, h, float(n), "relu"), np.interp(x, c, h), atol=1e-13)


@pytest.mark.parametrize("name", sorted(T.TARGETS))
def test_ideal_tower_error_is_within_the_slope_bound_and_falls_with_n(name):
    f = T.TARGETS[name]
    errors = []
    for n in (5, 10, 30, 100, 300):
        h = T.fit_heights(name, n)
        np.testing.assert_allclose(h, f(T.tower_centres(n)))
        err = T.fit_error(name, h, kind="ideal")
        assert err.max_abs <= SLOPES[name] / (2 * n) + 1e-12
        errors.append(err)
    assert all(a.max_abs > b.max_abs and a.mean_abs > b.mean_abs
               for a, b in zip(errors, errors[1:], strict=False)), errors


@pytest.mark.parametrize("kind", ["sigmoid", "relu"])
def test_auto_fitted_error_on_the_wiggly_target_falls_as_n_grows(kind):
    errors = []
    for n in (10, 30, 100):
        w = 4.0 * n  # the same steepness measured in tower widths
        h = T.fit_heights("wiggly", n, w, kind)
        # the fitted sum passes through the target at every centre
        c = T.tower_centres(n)
        np.testing.assert_allclose(T.tower_sum(c, h, w, kind), wiggly(c), atol=1e-12)
        errors.append(T.fit_error("wiggly", h, w, kind))
    assert errors[0].max_abs > errors[1].max_abs > errors[2].max_abs, errors
    assert errors[0].mean_abs > errors[1].mean_abs > errors[2].mean_abs, errors
    assert errors[2].max_abs < SLOPES["wiggly"] / (2 * 100)


def test_steep_units_reach_the_ideal_towers():
    n = 20
    h = T.fit_heights("wiggly", n)
    x = (np.arange(1000) + 0.5) / 1000  # no sample on an edge, where a step is 1/2 at any w
    ideal = T.tower_sum(x, h, kind="ideal")
    gaps = [np.abs(T.tower_sum(x, h, w) - ideal).max() for w in (1e3, 1e4, 1e5)]
    assert gaps[0] > gaps[1] > gaps[2]
    # the nearest sample is 5e-4 from an edge: the gap there is at most |jump| * e^(-w * 5e-4)
    assert gaps[2] <= np.abs(np.diff(h)).max() * math.exp(-1e5 * 5e-4)


def true_ideal_max_error(f, h):
    """The largest |f - h_k| over each closed slice [e_k, e_k+1], both edges included, on 20,001
    points per slice: the supremum the staircase of ideal towers reaches (as one-sided limits)."""
    edges = np.linspace(0.0, 1.0, len(h) + 1)
    slices = zip(edges[:-1], edges[1:], h, strict=True)
    return max(np.abs(f(np.linspace(a, b, 20_001)) - hk).max() for a, b, hk in slices)


@pytest.mark.parametrize("n", [4, 10, 50, 100])
def test_ideal_error_reaches_the_slope_bound_of_a_straight_line(n):
    # f(x) = 0.3 + 0.5 x has slope L = 0.5 everywhere: the staircase is exactly L / (2N) off at every
    # edge (as a one-sided limit), which a sample on the edge (where the step is 1/2) does not see.
    err = T.fit_error(lambda x: 0.3 + 0.5 * x, T.fit_heights(lambda x: 0.3 + 0.5 * x, n), kind="ideal")
    assert err.max_abs == pytest.approx(0.5 / (2 * n), rel=1e-12)


@pytest.mark.parametrize("name", sorted(T.TARGETS))
def test_ideal_error_misses_no_worst_point(name):
    f = T.TARGETS[name]
    for n in (7, 10, 66, 100):
        h = T.fit_heights(name, n)
        measured = T.fit_error(name, h, kind="ideal").max_abs
        true = true_ideal_max_error(f, h)
        assert measured <= true + 1e-15
        assert measured == pytest.approx(true, rel=2e-3), (name, n)  # the 1001-point grid inside slices


def test_ideal_towers_on_the_wiggly_target_need_70_not_66():
    assert T.fit_error("wiggly", T.fit_heights("wiggly", 100), kind="ideal").max_abs == pytest.approx(
        0.0349, abs=1e-4)
    errors = (T.fit_error("wiggly", T.fit_heights("wiggly", n), kind="ideal").max_abs for n in range(1, 200))
    needed = next(n for n, e in enumerate(errors, start=1) if e <= 0.05)
    assert needed == 70
    assert true_ideal_max_error(T.TARGETS["wiggly"], T.fit_heights("wiggly", 69)) > 0.05


def test_ideal_kind_needs_no_w_and_the_others_do():
    x = np.linspace(0, 1, 11)
    h = [1.0, 2.0]
    np.testing.assert_array_equal(T.tower_sum(x, h, kind="ideal"), T.tower_sum(x, h, 5.0, "ideal"))
    box = T.tower(x, 0.5, 0.2, 1.0, kind="ideal")
    np.testing.assert_array_equal(box, T.tower(x, 0.5, 0.2, 1.0, 9.0, "ideal"))
    for kind in ("sigmoid", "relu"):
        with pytest.raises(ValueError, match="need a steepness w"):
            T.tower_sum(x, [1.0, 2.0], kind=kind)


def test_best_steepness_is_the_smallest_error_of_a_scan():
    ws = np.geomspace(10, 3000, 12)
    fits = []
    for w in ws:
        try:
            fits.append((T.fit_error("wiggly", T.fit_heights("wiggly", 20, w), w).max_abs, w))
        except ValueError:
            pass
    err, w = T.best_steepness("wiggly", 20, ws)
    assert (err.max_abs, w) == min(fits)
    assert len(fits) < len(ws)  # the gentlest were refused and skipped
    with pytest.raises(ValueError, match="too gentle"):
        T.best_steepness("wiggly", 50, [1.0, 2.0])


def test_fit_refuses_a_hopelessly_gentle_steepness():
    with pytest.raises(ValueError, match="too gentle"):
        T.fit_heights("wiggly", 50, w=2.0)


def test_fit_accepts_any_function():
    h = T.fit_heights(lambda x: 3 * x, 4, w=100.0)
    np.testing.assert_allclose(T.tower_sum(T.tower_centres(4), h, 100.0), [0.375, 1.125, 1.875, 2.625],
                               atol=1e-12)


def test_approximation_error_by_hand():
    err = T.approximation_error([1.0, 2.0, 3.0, 4.0], [1.5, 2.0, 2.0, 4.0])
    assert err == (1.0, 0.375)
    assert err.max_abs == 1.0 and err.mean_abs == 0.375


# ---------------------------------------------------------------------------------- targets


def test_target_registry_formulas():
    assert set(T.TARGETS) >= {"sin", "bump", "abs", "wiggly"}
    assert T.TARGETS["wiggly"](0.0) == pytest.approx(0.25)
    assert T.TARGETS["wiggly"](1.0) == pytest.approx(0.6 + 0.3 * math.sin(15) + 0.05 * math.cos(50))
    assert T.TARGETS["abs"](0.2) == pytest.approx(0.3)
    assert T.TARGETS["bump"](0.5) == 1.0
    assert T.TARGETS["sin"](0.25) == pytest.approx(0.9)
    x = np.linspace(0, 1, 7)
    np.testing.assert_allclose(T.get_target("wiggly")(x), wiggly(x))
    assert T.get_target(T.TARGETS["sin"]) is T.TARGETS["sin"]


# -------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("call, message", [
    (lambda: T.tower_edges(0), "N must be an integer >= 1"),
    (lambda: T.tower_centres(-3), "N must be an integer >= 1"),
    (lambda: T.fit_heights("sin", 0), "N must be an integer >= 1"),
    (lambda: T.tower_sum([0.5], [], 10.0), "non-empty 1-D"),
    (lambda: T.tower_sum([0.5], [[1.0, 2.0]], 10.0), "non-empty 1-D"),
    (lambda: T.tower(0.5, 0.5, 0.0, 1.0, 10.0), "tower: width must be positive"),
    (lambda: T.tower(0.5, 0.5, -0.1, 1.0, 10.0), "tower: width must be positive"),
    (lambda: T.tower([0.1, np.nan], 0.5, 0.1, 1.0, 10.0), "x contains NaN"),
    (lambda: T.tower_sum([0.1, np.nan], [1.0, 2.0], 10.0), "x contains NaN"),
    (lambda: T.tower_sum([0.1], [1.0, np.nan], 10.0), "heights contains NaN"),
    (lambda: T.tower_sum([0.1], [1.0, 2.0], np.nan), "steepness w must be finite"),
    (lambda: T.tower_sum([0.1], [1.0, 2.0], 0.0), "steepness w must be positive"),
    (lambda: T.sigmoid_step(0.1, 0.5, -2.0), "steepness w must be positive"),
    (lambda: T.sigmoid_step(0.1, np.inf, 2.0), "position must be finite"),
    (lambda: T.tower(0.5, 0.5, 0.1, np.nan, 10.0), "height must be finite"),
    (lambda: T.step(0.5, 0.5, 10.0, kind="tanh"), "kind must be one of"),
    (lambda: T.step_position(0.0, 1.0), "w must be non-zero"),
    (lambda: T.fit_heights("cosine", 3), "unknown target"),
    (lambda: T.fit_heights(lambda x: x * np.nan, 3), "target values contains NaN"),
    (lambda: T.approximation_error([1.0, 2.0], [1.0]), "same shape"),
    (lambda: T.approximation_error([1.0, np.nan], [1.0, 2.0]), "approximation contains NaN"),
])
def test_bad_input_raises_a_clear_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: T.tower_basis([0.5], 2.5, 10.0), "N must be an integer"),
    (lambda: T.fit_heights("sin", True), "N must be an integer"),
    (lambda: T.tower_edges("3"), "N must be an integer"),
    (lambda: T.tower(0.5, "0.5", 0.1, 1.0, 10.0), "must be a single real number"),
    (lambda: T.tower_sum(["a"], [1.0], 10.0), "x must be an array of real numbers"),
])
def test_the_wrong_kind_raises_a_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_math_module_imports_neither_matplotlib_nor_ipywidgets():
    code = ("import sys, companion.towers; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
