"""Notebook 07's tower explorer in real headless Chromium (Debian's /usr/bin/chromium), two ways.

* docs/explorer.html, opened from disk: its controls, keyboard and a dragged tower top, with what the
  canvas shows compared with matplotlib's rendering of the same state (the browser's math against
  companion.towers: tests/browser/test_explorer_math.py).
* JupyterLab running a temporary copy of the notebook: every slider moved with the keyboard, a tower
  top dragged, the painted figure compared with matplotlib's rendering of the kernel's state, and
  the state read back in the kernel.

A failure leaves a screenshot and the server log in tests/artifacts/. If Chromium cannot start, the
test fails: it is never skipped.
"""

import io
import json
import time

import numpy as np
import pytest
from PIL import Image

import tools.browser
from companion import towers as T
from companion import towers_figure as F
from companion import towers_view as V
from tools import REPO
from tools.browser import BrowserError, LabSession, PageSession

pytestmark = pytest.mark.browser

NOTEBOOK = REPO / "notebooks" / "07_universal_approximation.ipynb"
PAGE = REPO / "docs" / "explorer.html"
ARTIFACTS = REPO / "tests" / "artifacts"
TIME_LIMIT = 115.0  # seconds for the JupyterLab test, server start to shutdown


def decode(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def save_failure(page, name, log=None):
    ARTIFACTS.mkdir(exist_ok=True)
    if page is not None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    if log is not None:
        (ARTIFACTS / f"{name}.log").write_text(log)


def differs(a, b):
    """Pixels whose colours differ by more than 96 (of 765) summed over R, G and B."""
    assert a.shape == b.shape, (a.shape, b.shape)
    return np.abs(a - b).sum(axis=2) > 96


def assert_painted_as_matplotlib_draws(shown_png, state):
    """What Chromium painted against matplotlib's rendering of the same state.

    The moving lines are the pixels where matplotlib's whole figure differs from the still picture.
    Chromium must draw nearly all of them as matplotlib does (antialiasing differs at their edges; a
    layer shifted by a single pixel matches only ~50-65 %), and next to nothing anywhere else.
    """
    shown = decode(shown_png)
    snapshot = decode(F.tower_figure().snapshot_png(state["target"], state["n"], state["w"], state["kind"],
                                                    state["heights"], state["selected"]))
    background = decode(F.tower_figure().background_png(state["target"]))
    assert shown.shape == snapshot.shape == (306, 816, 3), shown.shape  # shown at its natural size
    lines = differs(snapshot, background)
    assert lines.mean() > 0.01  # the check has lines to look at
    matched = float((~differs(shown, snapshot))[lines].mean())
    stray = float((differs(shown, background) & ~lines).mean())
    assert matched > 0.75, f"only {matched:.0%} of the moving lines' pixels are where matplotlib draws them"
    assert stray < 0.005, f"{stray:.2%} of the pixels are drawn where matplotlib draws nothing"


# ------------------------------------------------------------------------ the page's controls


def test_the_chinese_page_speaks_chinese_with_the_same_numbers():
    with PageSession(PAGE.with_name("explorer.zh-CN.html")) as session:
        ex = session.explorer()
        opening = ex.frame()["state"]
        zh = V.TowerExplorer(lang="zh")
        assert ex.status().strip() == zh.describe()
        w = ex.slider("陡度 w")  # the controls are labelled in Chinese
        ex.press(w, "End")
        assert ex.readout("陡度 w") == "10024" and "陡度 w = 10024：" in ex.status()
        assert (opening["n"], opening["heights_source"]) == (10, V.WORDS["zh"]["read_off"])
        assert session.errors == []


def test_the_page_moves_and_drags_as_matplotlib_draws():
    with PageSession(PAGE) as session:
        try:
            ex = session.explorer()
            opening = ex.frame()["state"]
            assert (opening["n"], opening["w"], opening["selected"]) == (10, 200, 4)
            assert_painted_as_matplotlib_draws(ex.canvas_screenshot(), opening)

            w = ex.slider("steepness w")
            grid = V.steepness_grid()
            # screen readers hear real steepnesses, not log10 positions
            assert float(w.get_attribute("aria-valuemax")) == pytest.approx(grid[-1])
            assert float(w.get_attribute("aria-valuemin")) == pytest.approx(grid[0])
            assert w.get_attribute("aria-valuetext") == "200"
            frame = ex.press(w, "End")
            assert frame["state"]["w"] == pytest.approx(grid[-1])
            assert ex.readout("steepness w") == "10024" and "w = 10024:" in ex.status()
            ex.press(w, "Home")
            for _ in range(36):
                frame = ex.press(w, "ArrowRight")
            assert frame["state"]["w"] == 200.0

            n = ex.slider("towers N")
            frame = ex.press(n, "End")
            assert frame["state"]["n"] == 100 and len(frame["state"]["heights"]) == 100
            frame = ex.press(ex.slider("edit tower"), "End")
            assert frame["state"]["selected"] == 99, "End on 'edit tower' must reach tower N"
            frame = ex.press(n, "Home")
            assert frame["state"]["n"] == 1 and ex.status().startswith("1 sigmoid tower at")
            for _ in range(9):
                frame = ex.press(n, "ArrowRight")
            assert frame["state"]["n"] == 10

            # drag tower 3's top (its red dot) up to 0.9, then past the top of the range
            spec = F.figure_spec()["main"]
            state = frame["state"]
            x = spec["sx"] * T.tower_centres(10)[2] + spec["ox"]
            y0 = spec["sy"] * state["heights"][2] + spec["oy"]
            frame = ex.drag((x, y0), [(x, y0 - 10), (x, spec["sy"] * 0.9 + spec["oy"])])
            assert frame["state"]["selected"] == 2
            assert frame["state"]["heights"][2] == pytest.approx(0.9)
            assert frame["state"]["heights_source"] == "edited by hand"
            assert frame["error"]["maxAbs"] == pytest.approx(
                T.fit_error("wiggly", frame["state"]["heights"], 200.0).max_abs, abs=1e-12)
            assert ex.readout("its height") == "0.90"
            assert_painted_as_matplotlib_draws(ex.canvas_screenshot(), frame["state"])
            frame = ex.drag((x, spec["sy"] * 0.9 + spec["oy"]), [(x, 2.0)])  # above the axes
            assert frame["state"]["heights"][2] == F.HEIGHT_RANGE[1]

            ex.click(ex.root.locator("button", has_text="ReLU pair"))
            frame = ex.click(ex.root.locator("button", has_text="auto-fit"))
            np.testing.assert_allclose(frame["state"]["heights"], T.fit_heights("wiggly", 10, 200.0, "relu"),
                                       rtol=0, atol=1e-10)
            assert_painted_as_matplotlib_draws(ex.canvas_screenshot(), frame["state"])
            ex.root.locator("select").select_option("sin")
            session.page.wait_for_function(
                "() => document.querySelector('#explorer').explorerFrame.state.target === 'sin'")
            frame = ex.frame()
            np.testing.assert_allclose(frame["state"]["heights"], T.fit_heights("sin", 10), atol=1e-12)
            assert_painted_as_matplotlib_draws(ex.canvas_screenshot(), frame["state"])
            assert session.errors == []
        except BaseException:
            save_failure(session.page, "test_page_failure")
            raise


# ---------------------------------------------------------------------------------- JupyterLab

STATE = ("import json; print(json.dumps(dict(target=explorer.target, n=explorer.n, w=explorer.w, "
         "kind=explorer.kind, heights=explorer.heights, selected=explorer.selected, "
         "source=explorer.heights_source, status=explorer.describe())))")


def kernel_state(lab, until=lambda s: True, timeout=5.0):
    """The explorer's state in the kernel, once `until(state)` holds (the browser saves after its frame)."""
    deadline = time.monotonic() + timeout
    while True:
        state = json.loads(lab.kernel_print(STATE))
        if until(state) or time.monotonic() > deadline:
            return state
        time.sleep(0.1)


MOVES = [  # (slider, key): each changes the figure. The explorer opens at w = 200, N = 10, tower 5.
    ("steepness w", "ArrowRight"),
    ("steepness w", "ArrowRight"),
    ("steepness w", "ArrowLeft"),
    ("towers N", "ArrowRight"),
    ("towers N", "ArrowRight"),
    ("towers N", "ArrowLeft"),
    ("edit tower", "ArrowRight"),
    ("its height", "ArrowRight"),
    ("its height", "ArrowUp"),
]


def test_explorer_in_jupyterlab_moves_drags_and_keeps_the_kernel_informed():
    started = time.monotonic()
    with LabSession(NOTEBOOK) as lab:
        try:
            # before the kernel has run the cell, its stored output says what it will show
            lab.open_notebook()
            lab.page.get_by_text("Run All Cells) to start it").wait_for(state="attached", timeout=30_000)
            assert "VBox(" not in lab.page_text()
            state = lab.run_all(timeout=90)
            assert len(state["cells"]) > 10 and all(c["count"] for c in state["cells"])
            ex = lab.explorer()
            opening = kernel_state(lab)
            assert (opening["n"], opening["w"], opening["selected"]) == (10, 200.0, 4), opening
            assert_painted_as_matplotlib_draws(ex.canvas_screenshot(), opening)
            assert ex.status() == opening["status"]

            frames = ex.frame()["frames"]
            for label, key in MOVES:
                before = ex.frame()
                frame = ex.press(ex.slider(label), key)
                assert frame["frames"] > before["frames"] and frame["state"] != before["state"], (label, key)
            assert ex.frame()["frames"] == frames + len(MOVES)  # one frame per move

            shown = frame["state"]
            moved = kernel_state(lab, until=lambda k: (k["heights"], k["w"]) == (shown["heights"],
                                                                                  shown["w"]))
            # w: two steps up and one down on the slider's grid of 10**0.05; N: 10 -> 11; tower 5 -> 6
            assert moved["w"] == pytest.approx(200.0 * 10**0.05, rel=1e-9), moved
            assert (moved["n"], moved["selected"]) == (11, 5), moved
            assert moved["heights"] == shown["heights"] and moved["source"] == "edited by hand"
            assert moved["status"].startswith("11 sigmoid towers at steepness w = 224"), moved
            assert ex.status() == moved["status"]
            assert_painted_as_matplotlib_draws(ex.canvas_screenshot(), moved)

            # drag the top of tower 2 down to 0.1: the error line follows while dragging
            spec = F.figure_spec()["main"]
            x = spec["sx"] * T.tower_centres(11)[1] + spec["ox"]
            y = spec["sy"] * moved["heights"][1] + spec["oy"]
            path = [(x, y + 5), (x, y + 15), (x, spec["sy"] * 0.1 + spec["oy"])]
            errors = []
            for point in path:
                errors.append(ex.drag((x, y), [point])["error"]["meanAbs"])
                y = point[1]
            assert len(set(errors)) == len(errors)  # every step of the drag drew a new error
            dragged = kernel_state(lab, until=lambda s: s["heights"][1] == pytest.approx(0.1))
            assert dragged["heights"][1] == pytest.approx(0.1) and dragged["selected"] == 1
            assert ex.status() == dragged["status"]
            assert_painted_as_matplotlib_draws(ex.canvas_screenshot(), dragged)

            # the kernel sets the state: the browser draws it
            lab.kernel_print("explorer.n = 30; explorer.w = 1000.0")
            lab.page.wait_for_function(
                "() => { const f = document.querySelector('.tower-explorer').parentElement.explorerFrame;"
                " return f.state.n === 30 && f.state.w === 1000; }")
            assert ex.status() == kernel_state(lab)["status"]

            text = lab.page_text()
            assert "Error displaying widget" not in text
            assert "Widget Javascript not detected" not in text
        except BaseException:
            save_failure(lab.page, "test_browser_failure", lab.log_tail(200))
            raise
    elapsed = time.monotonic() - started
    assert elapsed < TIME_LIMIT, f"the browser test took {elapsed:.0f} s"


@pytest.mark.parametrize("executable", ["/nonexistent/chromium", "/bin/false"])
def test_a_browser_that_cannot_start_is_a_failure_not_a_skip(monkeypatch, executable):
    monkeypatch.setattr(tools.browser, "CHROMIUM", executable)
    started = time.monotonic()
    with pytest.raises(BrowserError, match="chromium|Chromium"):
        with LabSession(NOTEBOOK):
            pass
    with pytest.raises(BrowserError, match="chromium|Chromium"):
        with PageSession(PAGE):
            pass
    assert time.monotonic() - started < 60

