"""The explorers' math in the browser against the Python it mirrors, on a grid of inputs.

The JavaScript modules run in headless Chromium (Debian's /usr/bin/chromium) on an empty page:
companion/static/towers_math.js against companion.towers (tower sums, ideal towers, the one-tower
close-up, errors, auto-fit's linear solve and condition number, the status sentence), and
companion/static/bowl_math.js against companion.bowl.descend with the rules of common.optimizer (the
paths, the step counts, the status sentence). Numbers agree to 1e-12. If Chromium cannot start, the
test fails: it is never skipped.
"""

import itertools

import numpy as np
import pytest

from companion import bowl
from companion import towers as T
from companion.assets import read
from companion.bowl_view import ADAM_BETA2, describe_run, sent_once
from companion.bowl_view import WORDS as BOWL_WORDS
from companion.towers_figure import HEIGHT_RANGE, ZOOM_U
from companion.towers_view import WORDS, describe_state, format_w, steepness_grid, targets_js
from tools.browser import PageSession

pytestmark = pytest.mark.browser

TOWERS_EXPOSE = """
window.towerMath = { linspace, GRID, towerSum, fitError, zoomTower, fitHeights, centreHeights, formatW,
                     describe, TARGET_FUNCTIONS };
window.__moduleReady = true;
"""

TOWERS_JS = """
(states) => {
    const m = window.towerMath;
    const f64 = (a) => Array.from(a);
    return states.map((s) => {
        const f = m.TARGET_FUNCTIONS[s.target];
        const error = m.fitError(f, s.heights, s.w, s.kind);
        const idealError = m.fitError(f, s.heights, null, "ideal");
        const close = m.zoomTower(m.linspace(...s.zoom), s.w, s.n, s.kind);
        return {sum: f64(m.towerSum(m.GRID, s.heights, s.w, s.kind)),
                ideal: f64(m.towerSum(m.GRID, s.heights, null, "ideal")),
                up: f64(close.up), down: f64(close.down), tower: f64(close.tower),
                error: [error.maxAbs, error.meanAbs], idealError: [idealError.maxAbs, idealError.meanAbs],
                target: f64(m.GRID.map(f)), centres: m.centreHeights(f, s.n),
                status: m.describe({...s, bound: 0.05, heights_source: s.words.by_hand}, error, s.words)};
    });
}
"""

FIT_JS = """
(states) => states.map((s) => {
    const m = window.towerMath;
    const fit = m.fitHeights(m.TARGET_FUNCTIONS[s.target], s.n, s.w, s.kind, s.max_condition);
    return {heights: fit.heights && Array.from(fit.heights), cond: fit.cond};
})
"""

# Every target and kind of unit, at these N and at every tenth steepness of the slider (both ends).
TOWER_NS = (1, 2, 5, 10, 37, 100)
FIT_NS = (1, 2, 3, 7, 10, 25)  # a Jacobi SVD per fit: N = 100 three times only, below


def tower_states():
    rng = np.random.default_rng(17)
    ws = steepness_grid()[::10]
    states = []
    for k, (target, kind, n, w) in enumerate(itertools.product(T.TARGETS, ("sigmoid", "relu"), TOWER_NS, ws)):
        lang = ("en", "zh")[k % 2]  # the status line in both languages of WORDS
        states.append({"target": target, "kind": kind, "n": n, "w": float(w), "zoom": list(ZOOM_U),
                       "heights": rng.uniform(*HEIGHT_RANGE, n).tolist(), "lang": lang, "words": WORDS[lang]})
    return states


def fit_states():
    states = [{"target": target, "kind": kind, "n": n, "w": float(w)}
              for target, kind, n, w in itertools.product(T.TARGETS, ("sigmoid", "relu"), FIT_NS,
                                                          steepness_grid()[::14])]
    states += [{"target": "wiggly", "kind": "sigmoid", "n": 100, "w": w} for w in (120.0, 140.0, 3e2)]
    return [{**s, "max_condition": T.MAX_CONDITION} for s in states]


def test_towers_math_js_is_companion_towers():
    states, fits = tower_states(), fit_states()
    with PageSession(None) as session:
        session.add_module(targets_js() + read("towers_math.js") + read("controls.js") + TOWERS_EXPOSE)
        got = session.page.evaluate(TOWERS_JS, states)
        fitted = session.page.evaluate(FIT_JS, fits)
        formats = session.page.evaluate("(ws) => ws.map(window.towerMath.formatW)", steepness_grid().tolist())
        assert session.errors == []
    u = np.linspace(*ZOOM_U)
    for s, g in zip(states, got, strict=True):
        f, h, w, kind, n = T.TARGETS[s["target"]], np.array(s["heights"]), s["w"], s["kind"], s["n"]
        np.testing.assert_allclose(g["target"], f(T.GRID), rtol=0, atol=1e-12)
        np.testing.assert_allclose(g["sum"], T.tower_sum(T.GRID, h, w, kind), rtol=0, atol=1e-12)
        np.testing.assert_allclose(g["ideal"], T.tower_sum(T.GRID, h, kind="ideal"), rtol=0, atol=1e-12)
        np.testing.assert_allclose(g["up"], T.step(u, 0.0, w / n, kind), rtol=0, atol=1e-12)
        np.testing.assert_allclose(g["down"], -T.step(u, 1.0, w / n, kind), rtol=0, atol=1e-12)
        np.testing.assert_allclose(g["tower"], T.tower(u, 0.5, 1.0, 1.0, w / n, kind), rtol=0, atol=1e-12)
        np.testing.assert_allclose(g["error"], T.fit_error(f, h, w, kind), rtol=0, atol=1e-12)
        np.testing.assert_allclose(g["idealError"], T.fit_error(f, h, kind="ideal"), rtol=0, atol=1e-12)
        np.testing.assert_allclose(g["centres"], T.fit_heights(f, n), rtol=0, atol=1e-12)
        by_hand = s["words"]["by_hand"]
        assert g["status"] == describe_state(s["target"], n, w, kind, h, 0.05, by_hand, s["lang"])
    assert len(states) == 4 * 2 * len(TOWER_NS) * 8
    assert formats == [format_w(w) for w in steepness_grid()]
    refused = 0
    for s, g in zip(fits, fitted, strict=True):
        cond = np.linalg.cond(T.tower_basis(T.tower_centres(s["n"]), s["n"], s["w"], s["kind"]))
        if cond < 1e6:
            assert g["cond"] == pytest.approx(cond, rel=1e-9)
        else:  # numerically singular: both only say "huge", far beyond the limit of 100
            assert g["cond"] > 1e6
        try:
            expected = T.fit_heights(s["target"], s["n"], s["w"], s["kind"])
        except ValueError:
            assert g["heights"] is None, s  # the browser refuses what companion.towers refuses
            refused += 1
            continue
        np.testing.assert_allclose(g["heights"], expected, rtol=0, atol=1e-10)
    assert 0 < refused < len(fits)  # both answers were tried


BOWL_EXPOSE = """
window.bowlMath = { run, formatG, describeRun };
window.__moduleReady = true;
"""

BOWL_JS = """
([runs, constants]) => runs.map((s) => {
    const m = window.bowlMath;
    const result = m.run(s.name, {lr: s.lr, beta: s.beta, beta2: constants.beta2}, constants);
    return {path: result.path, steps: result.steps, status: m.describeRun(s, result, constants, s.words)};
})
"""

LRS = (0.01, 0.05, 0.1, 0.3, 0.5, 0.95, 1.0, 1.5, 2.0)
BETAS = (0.0, 0.5, 0.9, 0.99)


def bowl_runs():
    runs = []
    for name, (_, _, second) in bowl.OPTIMIZERS.items():
        for lr, beta in itertools.product(LRS, [None] if second is None else BETAS):
            for lang in ("en", "zh"):  # the line under the figure in both languages of WORDS
                runs.append({"name": name, "lr": lr, "beta": beta, "lang": lang, "words": BOWL_WORDS[lang]})
    return runs


def test_bowl_math_js_is_companion_bowl_with_common_optimizer():
    runs = bowl_runs()
    constants = sent_once()["bowl"]
    values = [0.001, 1e6, 0.95, 0.5, 1.0, 2.0, 0.07, 0.99, 123.456, 1.23456e-5, 0.000123, 9.995e5, 3.14159e-9,
              4.2e12, 7.0, 0.25, 1234567.0, 0.0999999]
    with PageSession(None) as session:
        session.add_module(read("bowl_math.js") + read("controls.js") + BOWL_EXPOSE)
        got = session.page.evaluate(BOWL_JS, [runs, constants])
        formatted = session.page.evaluate("(vs) => vs.flatMap((v) => [window.bowlMath.formatG(v),"
                                          " window.bowlMath.formatG(v, 3)])", values)
        assert session.errors == []
    assert formatted == [text for v in values for text in (f"{v:g}", f"{v:.3g}")]
    outcomes = set()
    for s, g in zip(runs, got, strict=True):
        opt = bowl.make_optimizer(s["name"], s["lr"], s["beta"])
        assert s["name"] != "Adam" or opt.beta2 == ADAM_BETA2
        path = bowl.descend(opt, bowl.MAX_STEPS, stop_within=bowl.TOLERANCE)
        assert len(g["path"]) == len(path), s
        np.testing.assert_allclose(g["path"], path, rtol=1e-12, atol=1e-12, err_msg=str(s))
        steps = len(path) - 1 if np.hypot(*path[-1]) <= bowl.TOLERANCE else None
        assert g["steps"] == steps, s
        status = describe_run(s["name"], s["lr"], s["beta"], path, s["lang"])
        assert g["status"] == status, s
        if s["lang"] == "en":
            outcomes.add(status.split(") ")[1].split()[0])
    assert len(runs) == 2 * (2 * len(LRS) + 4 * len(LRS) * len(BETAS))
    assert outcomes == {"gets", "diverges:", "is"}  # every kind of ending was compared
