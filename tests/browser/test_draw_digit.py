"""The draw-a-digit explorer in real headless Chromium (Debian's /usr/bin/chromium).

* Its math, in a blank page: the preparation of random drawings (companion/static/digit_math.js) equals
  companion.digit_prep's bit for bit, and the forward passes of both networks equal common's (through
  companion.digit_nets) to 1e-12 on random inputs, on the shipped test digits and on those drawings.
* The page docs/draw_digit.html: a 7 drawn with Playwright's mouse, read by both networks while it is
  drawn; the buttons (clear, a test digit, shift) and the keyboard.

If Chromium cannot start, the test fails: it is never skipped.
"""

import base64
import json

import numpy as np
import pytest

from companion import digit_nets as N
from companion import digit_prep as P
from companion import draw_view as V
from companion.assets import source
from tools import REPO
from tools.browser import PageSession

pytestmark = pytest.mark.browser

MATH_NAMES = ("fromBase64", "decodeNet", "digitImage", "prepare", "scaleAndPlace", "coverage",
              "centringShift", "shiftImage", "mlpForward", "convnetForward")


def math_module():
    """The explorer's math files as one module that hands its functions to the page."""
    return (source("conv_math.js", "digit_math.js")
            + f"\nwindow.digitMath = {{ {', '.join(MATH_NAMES)} }};\nwindow.__moduleReady = true;\n")

TOL = 1e-12


def random_drawings(rng, count):
    """Drawings as a reader makes them: 1-4 strokes of 1-60 points, random walks inside [0, 1]^2; some
    a single dot, some tiny, some touching the borders; each with a shift of -4..4 pixels."""
    drawings = []
    for i in range(count):
        strokes = []
        for _ in range(int(rng.integers(1, 5))):
            k = 1 if i % 17 == 0 else int(rng.integers(2, 61))
            step = 0.002 if i % 13 == 0 else 0.04
            start = rng.uniform(0, 1, 2)
            points = np.clip(start + np.cumsum(rng.normal(0, step, (k, 2)), axis=0), 0, 1)
            strokes.append(points.tolist())
        drawings.append({"strokes": strokes, "shift": rng.integers(-4, 5, 2).tolist()})
    return drawings


# Arguments and results go as JSON text: Playwright's own serialization of millions of numbers in
# nested arrays takes minutes.
PREP_JS = """
(text) => JSON.stringify(JSON.parse(text).map(
    (d) => Array.from(window.digitMath.prepare(d.strokes, d.shift))))
"""

FORWARD_JS = """
(text) => {
    const [images, mlp, convnet] = JSON.parse(text);
    const m = window.digitMath;
    const a = m.decodeNet(mlp);
    const c = m.decodeNet(convnet);
    return JSON.stringify(images.map((x) => {
        const image = Float64Array.from(x);
        const out = m.convnetForward(c, image);
        return {mlp: Array.from(m.mlpForward(a, image)), cnn: Array.from(out.probabilities),
                maps: Array.from(out.maps)};
    }));
}
"""

DIGITS_JS = """
(encoded) => {
    const m = window.digitMath;
    const bytes = m.fromBase64(encoded);
    const images = [];
    for (let k = 0; k < bytes.length / 784; k++) {
        images.push(Array.from(m.digitImage(bytes.subarray(784 * k, 784 * (k + 1)))));
    }
    return images;
}
"""


def test_the_pages_math_is_companions_and_commons():
    rng = np.random.default_rng(2023)
    drawings = random_drawings(rng, 300)
    mlp, convnet = N.load_mlp(), N.load_convnet()
    digits, _, _ = N.test_digits()
    with PageSession(None) as session:
        session.add_module(math_module())
        page = session.page
        # the preparation: the same floating-point steps, so the same bits
        prepared = json.loads(page.evaluate(PREP_JS, json.dumps(drawings)))
        for d, js in zip(drawings, prepared, strict=True):
            np.testing.assert_array_equal(np.reshape(js, (28, 28)), P.prepare(d["strokes"], d["shift"]))
        inked = sum(np.count_nonzero(js) > 0 for js in prepared)
        assert inked == len(drawings)

        # the test digits as the page decodes them: load_mnist's float32 values
        shipped = page.evaluate(DIGITS_JS, base64.b64encode(digits.tobytes()).decode())
        np.testing.assert_array_equal(np.reshape(shipped, (-1, 28, 28)), N.digit_image(digits))

        images = np.concatenate([rng.uniform(0, 1, (200, 28, 28)), N.digit_image(digits),
                                 np.reshape(prepared, (-1, 28, 28)), np.zeros((1, 28, 28))])
        js = json.loads(page.evaluate(FORWARD_JS, json.dumps(
            [images.reshape(len(images), -1).tolist(), N.encode(mlp), N.encode(convnet)])))
    maps, cnn = N.convnet_forward(convnet, images)
    np.testing.assert_allclose([r["mlp"] for r in js], N.mlp_forward(mlp, images), rtol=0, atol=TOL)
    np.testing.assert_allclose([r["cnn"] for r in js], cnn, rtol=0, atol=TOL)
    np.testing.assert_allclose(np.reshape([r["maps"] for r in js], maps.shape), maps, rtol=0, atol=TOL)
    # the comparison counts, for the report: drawings, inputs, numbers compared
    print(f"\ncompared {len(drawings)} drawings bit for bit and {len(images)} inputs "
          f"({len(images) * (10 + 10 + maps[0].size)} numbers) to {TOL:g}")


# ---------------------------------------------------------------------------------- the page

PAGE = REPO / "docs" / "draw_digit.html"
# A 7 as a reader draws it, in units of the drawing area: the bar left to right, then down and left.
SEVEN = [(0.25, 0.2), (0.75, 0.2), (0.55, 0.5), (0.42, 0.85)]


def frame(page):
    return page.evaluate("() => { const f = document.getElementById('explorer').explorerFrame;"
                         " return {...f, input: Array.from(f.input), mlp: Array.from(f.mlp),"
                         " cnn: Array.from(f.cnn)}; }")


def act(page, action):
    """Do `action`; wait until the frame it causes is drawn; return that frame."""
    before = page.evaluate("() => document.getElementById('explorer').explorerFrame.frames")
    action()
    page.wait_for_function(f"() => document.getElementById('explorer').explorerFrame.frames > {before}")
    return frame(page)


def assert_as_python_computes(f):
    """A frame's input, probabilities and sentence against companion (the state read off the frame)."""
    s = f["state"]
    x = V.input_image(s["strokes"], s["shift"], s["digit"])
    np.testing.assert_array_equal(np.reshape(f["input"], (28, 28)), x)
    mlp, convnet = N.load_mlp(), N.load_convnet()
    np.testing.assert_allclose(f["mlp"], N.mlp_forward(mlp, x), rtol=0, atol=TOL)
    np.testing.assert_allclose(f["cnn"], N.convnet_forward(convnet, x)[1], rtol=0, atol=TOL)
    assert f["text"] == V.describe_state("en", s["strokes"], s["shift"], s["digit"])


def test_drawing_a_seven_in_the_page():
    with PageSession(PAGE) as session:
        page = session.page
        page.wait_for_function("() => !!document.getElementById('explorer').explorerFrame")
        opening = frame(page)
        assert opening["state"] == V.initial_state()
        assert_as_python_computes(opening)

        pad = page.locator(".draw-pad")
        box = pad.bounding_box()

        def at(x, y):
            return box["x"] + x * box["width"], box["y"] + y * box["height"]

        # the first stroke over a test digit starts a new drawing; every move draws a new frame
        f = act(page, lambda: (page.mouse.move(*at(*SEVEN[0])), page.mouse.down()))
        assert f["state"]["digit"] == -1 and len(f["state"]["strokes"]) == 1
        reads = []
        for (a, b), (c, d) in zip(SEVEN, SEVEN[1:], strict=False):
            for k in range(1, 9):
                f = act(page, lambda k=k, a=a, b=b, c=c, d=d: page.mouse.move(
                    *at(a + (c - a) * k / 8, b + (d - b) * k / 8)))
                reads.append(f["text"])
        page.mouse.up()
        assert len(f["state"]["strokes"][0]) == 25  # the press and 24 moves
        assert_as_python_computes(f)
        assert np.argmax(f["mlp"]) == 7 and np.argmax(f["cnn"]) == 7, f["text"]
        assert len(set(reads)) > 3  # the reading changed while the 7 was drawn

        # shift: the buttons and the keyboard move the input by 2 pixels
        f = act(page, lambda: page.get_by_role("button", name="shift 2 pixels right").click())
        assert f["state"]["shift"] == [2, 0]
        assert_as_python_computes(f)
        pad.focus()
        f = act(page, lambda: page.keyboard.press("ArrowDown"))
        assert f["state"]["shift"] == [2, 2] and "Shifted by 2 px right and 2 px down" in f["text"]
        assert_as_python_computes(f)

        # a test digit, then clear
        f = act(page, lambda: page.get_by_role("button", name="a test digit").click())
        assert 0 <= f["state"]["digit"] < 100 and f["state"]["strokes"] == []
        assert_as_python_computes(f)
        f = act(page, lambda: page.get_by_role("button", name="clear").click())
        assert f["state"] == {"strokes": [], "shift": [0, 0], "digit": -1}
        assert not any(f["input"]) and f["text"].startswith("Nothing drawn yet.")
        assert session.errors == []


def test_the_chinese_page_speaks_chinese():
    with PageSession(REPO / "docs" / "draw_digit.zh-CN.html") as session:
        page = session.page
        page.wait_for_function("() => !!document.getElementById('explorer').explorerFrame")
        assert page.evaluate("() => document.documentElement.lang") == "zh-CN"
        assert page.get_by_role("button", name="清除").count() == 1
        f = frame(page)
        assert f["text"] == V.describe_state("zh", [], [0, 0], f["state"]["digit"])
        assert "全连接网络" in f["text"]
