"""Both convolution explorers as notebook widgets, in a real JupyterLab in headless Chromium: they render,
a stroke drawn with the mouse and a slider moved with the keyboard reach the kernel, and what the
kernel computes from that state (companion and common) is what the browser shows.

If Chromium or JupyterLab cannot start, the test fails: it is never skipped.
"""

import json

import numpy as np
import pytest

from companion import filter_view as F
from tools.browser import LabSession

pytestmark = pytest.mark.browser

CELLS = [
    "from companion.draw_view import DrawDigit\nfrom companion.filter_view import SlideFilter\n"
    "draw = DrawDigit()\nslide = SlideFilter()",
    "draw",
    "slide",
]


def notebook(path):
    cells = [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [],
              "source": source} for i, source in enumerate(CELLS)]
    path.write_text(json.dumps({"cells": cells, "nbformat": 4, "nbformat_minor": 5, "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}}))
    return path


def frame(page, selector):
    return page.evaluate(f"() => document.querySelector('{selector}').parentElement.explorerFrame")


def wait_kernel(lab, code, expected, timeout=20.0):
    """Run `code` in the kernel until it prints `expected` (the browser's changes arrive a moment later)."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        out = lab.kernel_print(code).strip()
        if out == expected or time.monotonic() > deadline:
            return out
        time.sleep(0.2)


def test_the_widgets_in_jupyterlab(tmp_path):
    with LabSession(notebook(tmp_path / "conv_explorers.ipynb")) as lab:
        lab.run_all()
        page = lab.page
        page.wait_for_function("() => { const e = document.querySelector('.draw-explorer');"
                               " return !!(e && e.parentElement.explorerFrame); }")
        opening = frame(page, ".draw-explorer")
        assert lab.kernel_print("print(draw.describe())").strip() == opening["text"]

        # a stroke drawn with the mouse reaches the kernel, which reads the same digit
        pad = page.locator(".draw-pad")
        pad.scroll_into_view_if_needed()
        box = pad.bounding_box()
        page.mouse.move(box["x"] + 0.25 * box["width"], box["y"] + 0.2 * box["height"])
        page.mouse.down()
        for k in range(1, 13):
            x = 0.25 + 0.5 * min(k, 6) / 6 - 0.3 * max(k - 6, 0) / 6  # a 7: the bar, then down-left
            y = 0.2 + 0.65 * max(k - 6, 0) / 6
            page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
        page.mouse.up()
        page.wait_for_timeout(300)
        shown = frame(page, ".draw-explorer")
        points = len(shown["state"]["strokes"][0])
        assert points > 5 and shown["state"]["digit"] == -1
        count = "print(len(draw.strokes[0]) if draw.strokes else 0)"
        assert wait_kernel(lab, count, str(points)) == str(points)
        assert lab.kernel_print("print(draw.describe())").strip() == shown["text"]
        kernel_input = json.loads(lab.kernel_print("import json\nprint(json.dumps(draw.image().tolist()))"))
        np.testing.assert_array_equal(kernel_input, np.reshape(
            page.evaluate("() => Array.from(document.querySelector('.draw-explorer')"
                          ".parentElement.explorerFrame.input)"), (28, 28)))

        # the filter explorer's size and stride sliders, moved with the keyboard (3 -> 4, 1 -> 2): the
        # kernel computes the same output with common's Convolution
        for label in ("filter size", "stride"):
            slider = page.locator(".filter-explorer .explorer-slider").filter(has_text=label).first
            slider.scroll_into_view_if_needed()
            slider.locator(".explorer-slider-handle").press("ArrowRight")
        page.wait_for_function("() => document.querySelector('.filter-explorer').parentElement"
                               ".explorerFrame.state.stride === 2")
        assert wait_kernel(lab, "print(slide.size, slide.stride)", "4 2") == "4 2"
        shown = frame(page, ".filter-explorer")
        assert (shown["OH"], shown["OW"]) == (13, 13) and shown["formula"] == lab.kernel_print(
            "print(slide.formula())").strip()
        kernel_output = json.loads(lab.kernel_print("print(json.dumps(slide.output().tolist()))"))
        np.testing.assert_allclose(np.reshape(shown["output"], (13, 13)), kernel_output, rtol=0,
                                   atol=1e-12)
        assert F.SlideFilter(size=4, stride=2).output().shape == (13, 13)

        # the kernel sets the state: the browser draws it
        lab.kernel_print("slide.pad = 1")
        page.wait_for_function("() => document.querySelector('.filter-explorer').parentElement"
                               ".explorerFrame.state.pad === 1")
        text = lab.page_text()
        assert "Error displaying widget" not in text and "Widget Javascript not detected" not in text
