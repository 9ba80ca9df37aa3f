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
from browser_pages import blank_page

from companion import digit_nets as N
from companion import digit_prep as P
from companion.assets import source

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
    with blank_page() as page:
        page.add_module(math_module())
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
