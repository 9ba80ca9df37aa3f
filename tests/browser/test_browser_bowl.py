"""Notebook 09's bowl explorer in a real JupyterLab, driven through headless Chromium.

Runs every cell of a temporary copy of the notebook, then moves the explorer's controls with the
keyboard (the learning-rate slider, the optimizer menu, the second setting's slider) and checks after
each move that the browser drew, in its next frame, the path and the sentence the kernel computes with
companion.bowl for the settings it heard about, and that the controls are labelled. A failure leaves a
screenshot and the server log in tests/artifacts/. If Chromium cannot start, the test fails: it is
never skipped.
"""

import json
import time

import pytest

from tools import REPO
from tools.browser import LabSession

pytestmark = pytest.mark.browser

NOTEBOOK = REPO / "notebooks" / "09_learning_techniques.ipynb"
ARTIFACTS = REPO / "tests" / "artifacts"

STATE = ("import json; print(json.dumps(dict(name=explorer.name, lr=explorer.lr, beta=explorer.beta, "
         "steps=explorer.steps, pixels=explorer.pixels().ravel().tolist(), status=explorer.describe())))")

POLYLINE = ".bowl-explorer .bowl-overlay polyline.bowl-path"


def kernel_state(lab, until, timeout=10.0):
    """The explorer's state in the kernel once `until(state)` holds (the browser saves after its frame)."""
    deadline = time.monotonic() + timeout
    while True:
        state = json.loads(lab.kernel_print(STATE))
        if until(state) or time.monotonic() > deadline:
            return state
        time.sleep(0.1)


def check_shows(lab, ex, state):
    """The page draws exactly the kernel's path (to 0.1 px) and says the kernel's sentence."""
    text = lab.page.locator(POLYLINE).get_attribute("points")
    drawn = [float(v) for pair in text.split() for v in pair.split(",")]
    assert drawn == pytest.approx(state["pixels"], abs=0.051)
    assert ex.status().strip() == state["status"]


def test_bowl_explorer_follows_each_move_in_the_browser():
    with LabSession(NOTEBOOK) as lab:
        try:
            lab.run_all(timeout=150)
            ex = lab.explorer(root=".bowl-explorer")
            alt = ex.root.locator(".bowl-figure img").get_attribute("alt")
            assert alt.startswith("Contour lines of the bowl")

            opening = kernel_state(lab, until=lambda s: True)
            assert (opening["name"], opening["lr"], opening["steps"]) == ("SGD", 0.95, 89)
            check_shows(lab, ex, opening)
            beta = ex.slider("—")  # SGD has no second setting: the slider says so and stays put
            assert beta.get_attribute("aria-disabled") == "true"
            assert beta.get_attribute("aria-label") == "no second setting"

            # The learning rate one step up: the browser draws the new path; the kernel agrees.
            lr = ex.slider("learning rate")
            assert lr.get_attribute("aria-valuetext") == "0.95"
            shown = ex.press(lr, "ArrowRight")
            assert shown["state"]["lr"] == pytest.approx(0.96) and shown["steps"] != opening["steps"]
            moved = kernel_state(lab, until=lambda s: s["lr"] == pytest.approx(0.96))
            assert moved["steps"] == shown["steps"] and moved["pixels"] != opening["pixels"]
            check_shows(lab, ex, moved)

            # Another optimizer: its opening settings, its second slider, its path.
            shown = ex.after(lambda: ex.root.locator("select").select_option("Adam"), "the menu")
            assert shown["state"] == {"name": "Adam", "lr": 0.3, "beta": 0.9}
            adam = kernel_state(lab, until=lambda s: s["name"] == "Adam")
            assert (adam["lr"], adam["beta"]) == (0.3, 0.9)
            check_shows(lab, ex, adam)
            beta1 = ex.slider("beta1")
            assert beta1.get_attribute("aria-disabled") == "false"
            assert beta1.get_attribute("aria-label") == "beta1"

            shown = ex.press(beta1, "ArrowLeft")
            assert shown["state"]["beta"] == pytest.approx(0.89)
            moved = kernel_state(lab, until=lambda s: s["beta"] == pytest.approx(0.89))
            assert moved["pixels"] != adam["pixels"]
            check_shows(lab, ex, moved)

            # The kernel sets the state: the browser draws it.
            lab.kernel_print("explorer.name = 'Momentum'")
            lab.page.wait_for_function("() => document.querySelector('.bowl-explorer').parentElement"
                                       ".explorerFrame.state.name === 'Momentum'")
            check_shows(lab, ex, kernel_state(lab, until=lambda s: s["name"] == "Momentum"))
            assert "Error displaying widget" not in lab.page_text()
        except BaseException:
            ARTIFACTS.mkdir(exist_ok=True)
            if lab.page is not None:
                lab.page.screenshot(path=str(ARTIFACTS / "bowl_explorer.png"), full_page=True)
            (ARTIFACTS / "bowl_explorer.log").write_text(lab.log_tail(200))
            raise
