"""Notebook 09's bowl explorer in a real JupyterLab, driven through headless Chromium.

Runs every cell of a temporary copy of the notebook, then checks that the browser draws the path the
kernel computed (the SVG over the still picture holds the kernel's pixel coordinates), and that moving
the learning-rate slider, choosing another optimizer and moving its momentum / beta slider each
redraw the path and the step count in words. A failure leaves a screenshot and the server log in
tests/artifacts/. If Chromium cannot start, the test fails: it is never skipped.
"""

import json
from pathlib import Path

import pytest
from lab_browser import BrowserError, LabSession

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
NOTEBOOK = REPO / "notebooks" / "09_learning_techniques.ipynb"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

STATE = ("import json; print(json.dumps(dict(name=explorer.name, lr=explorer.lr, beta=explorer.beta, "
         "steps=explorer.steps, frames=explorer.frames, points=explorer.canvas.points, "
         "status=explorer.describe(), beta_label=explorer.beta_slider.description)))")

POLYLINE = ".bowl-explorer .bowl-overlay polyline.bowl-path"


def kernel_state(lab):
    return json.loads(lab.kernel_print(STATE))


def drawn_points(lab):
    """The path the page shows, as [x0, y0, x1, y1, ...] pixel numbers."""
    text = lab.page.locator(POLYLINE).get_attribute("points")
    return [float(v) for pair in text.split() for v in pair.split(",")]


def wait_for_new_path(lab, before, timeout=15_000):
    try:
        lab.page.wait_for_function(
            "([sel, before]) => { const p = document.querySelector(sel);"
            " return p && p.getAttribute('points') !== before; }",
            arg=[POLYLINE, before], timeout=timeout)
    except Exception as err:  # playwright's TimeoutError
        raise BrowserError("the path did not change") from err
    lab.wait_idle()


def check_shows(lab, state):
    """The page draws exactly the kernel's path and says the kernel's sentence."""
    assert drawn_points(lab) == pytest.approx(state["points"], abs=0.051)  # drawn to 0.1 px
    status = lab.page.locator(".bowl-explorer .widget-html").last.inner_text()
    assert status.strip() == state["status"]


def slider(lab, label):
    box = lab.page.locator(".bowl-explorer .widget-slider").filter(has_text=label)
    handle = box.locator(".noUi-handle")
    handle.wait_for(state="visible")
    return handle


def test_bowl_explorer_redraws_the_path():
    with LabSession(NOTEBOOK) as lab:
        try:
            lab.run_all(timeout=150)
            root = lab.page.locator(".bowl-explorer")
            root.wait_for(state="visible", timeout=30_000)
            root.scroll_into_view_if_needed()
            lab.page.wait_for_function(
                "(sel) => { const img = document.querySelector('.bowl-explorer .bowl-figure img');"
                " return img && img.complete && img.naturalWidth > 0 && document.querySelector(sel)"
                " && document.querySelector(sel).getAttribute('points'); }", arg=POLYLINE, timeout=30_000)

            state = kernel_state(lab)
            assert state["name"] == "SGD" and state["lr"] == 0.95 and state["steps"] == 89
            check_shows(lab, state)

            # The learning rate one step up: a new path, and the kernel's numbers in the page.
            before = lab.page.locator(POLYLINE).get_attribute("points")
            slider(lab, "learning rate").press("ArrowRight")
            wait_for_new_path(lab, before)
            moved = kernel_state(lab)
            assert moved["lr"] == pytest.approx(0.96) and moved["frames"] == state["frames"] + 1
            assert moved["points"] != state["points"] and moved["steps"] != state["steps"]
            check_shows(lab, moved)

            # Another optimizer: its opening settings, its second slider, its path.
            before = lab.page.locator(POLYLINE).get_attribute("points")
            root.locator("select").select_option("Adam")
            wait_for_new_path(lab, before)
            adam = kernel_state(lab)
            assert (adam["name"], adam["lr"], adam["beta"], adam["beta_label"]) == ("Adam", 0.3, 0.9, "beta1")
            check_shows(lab, adam)

            before = lab.page.locator(POLYLINE).get_attribute("points")
            slider(lab, "beta1").press("ArrowLeft")
            wait_for_new_path(lab, before)
            beta = kernel_state(lab)
            assert beta["beta"] == pytest.approx(0.89) and beta["points"] != adam["points"]
            check_shows(lab, beta)
            assert "Error displaying widget" not in lab.page_text()
        except BaseException:
            ARTIFACTS.mkdir(exist_ok=True)
            if lab.page is not None:
                lab.page.screenshot(path=str(ARTIFACTS / "bowl_explorer.png"), full_page=True)
            (ARTIFACTS / "bowl_explorer.log").write_text(lab.log_tail(200))
            raise
