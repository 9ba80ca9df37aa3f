"""The slide-a-filter explorer in real headless Chromium (Debian's /usr/bin/chromium).

* Its math, in a blank page, for every filter size, stride and padding the sliders offer (with hand-set
  and learned filters, on two test digits): the output map equals common.layers.Convolution.forward to
  1e-12, the window's row equals the row of common.util.im2col exactly, sizes common refuses give no
  output, and max pooling of the output after ReLU equals common.layers.Pooling (values, arg_max, and
  the gradient routed back by Pooling.backward).
* The page docs/slide_filter.html: each slider moved with the keyboard, the window moved with the arrow
  keys and dragged with the mouse; each frame's output and im2col row checked against common.

If Chromium cannot start, the test fails: it is never skipped.
"""

import itertools
import json

import numpy as np
import pytest

from common.layers import Convolution, Pooling, Relu
from common.util import im2col
from companion import digit_nets as N
from companion import filter_view as F
from companion.assets import source
from tools import REPO
from tools.browser import PageSession

pytestmark = pytest.mark.browser

TOL = 1e-12
PAGE = REPO / "docs" / "slide_filter.html"


def math_module():
    return (source("conv_math.js", "digit_math.js", "filter_math.js")
            + "\nwindow.filterMath = { decodeNet, fromBase64, digitImage, filterWeights, slideState };"
            + "\nwindow.__moduleReady = true;\n")


STATES_JS = """
(text) => {
    const [encoded, digits, states] = JSON.parse(text);
    const m = window.filterMath;
    const net = m.decodeNet(encoded);
    const bytes = m.fromBase64(digits);
    const out = states.map((s) => {
        const x = m.digitImage(bytes.subarray(784 * s.digit, 784 * (s.digit + 1)));
        const f = m.filterWeights(net, s.filter, s.size);
        const r = m.slideState(x, 28, 28, f, s.stride, s.pad, s.row, s.pool_size, s.pool_stride);
        const list = (a) => a && Array.from(a);
        return {k: f.k, OH: r.OH, OW: r.OW, output: list(r.output), colRow: list(r.colRow), row: r.row,
                pooled: r.pooled && list(r.pooled.out), argMax: r.pooled && list(r.pooled.argMax),
                back: list(r.back)};
    });
    return JSON.stringify(out);
}
"""


def reference(state):
    """What common computes for one explorer state: dict like the page's, None parts where refused."""
    W, b = F.filter_weights(state["filter"], state["size"])
    k = W.shape[-1]
    images, _, _ = N.test_digits()
    x = N.digit_image(images[state["digit"]])[None, None]
    try:
        conv = Convolution(W, b, state["stride"], state["pad"])
        output = conv.forward(x)[0, 0]
    except ValueError:
        return {"k": k, "output": None}
    col = im2col(x, k, k, state["stride"], state["pad"])
    row = min(state["row"], len(col) - 1)
    activated = Relu().forward(output[None, None])
    pool = Pooling(state["pool_size"], state["pool_size"], state["pool_stride"])
    try:
        pooled = pool.forward(activated)
        back = pool.backward(np.ones_like(pooled))[0, 0]
        pooled, arg_max = pooled[0, 0], pool.arg_max.reshape(-1)
    except ValueError:
        pooled = arg_max = back = None
    return {"k": k, "output": output, "colRow": col[row], "row": row, "pooled": pooled, "argMax": arg_max,
            "back": back}


def assert_same(js, ref, state):
    """The page's numbers for `state` against common's; returns (outputs compared, poolings compared)."""
    assert js["k"] == ref["k"], state
    if ref["output"] is None:
        assert js["output"] is None, state
        return 0, 0
    OH, OW = ref["output"].shape
    assert (js["OH"], js["OW"]) == (OH, OW), state
    np.testing.assert_allclose(np.reshape(js["output"], (OH, OW)), ref["output"], rtol=0, atol=TOL,
                               err_msg=str(state))
    assert js["row"] == ref["row"], state
    np.testing.assert_array_equal(js["colRow"], ref["colRow"], err_msg=str(state))
    if ref["pooled"] is None:
        assert js["pooled"] is None, state
        return 1, 0
    np.testing.assert_allclose(np.reshape(js["pooled"], ref["pooled"].shape), ref["pooled"], rtol=0, atol=TOL)
    np.testing.assert_array_equal(js["argMax"], ref["argMax"], err_msg=str(state))
    np.testing.assert_array_equal(np.reshape(js["back"], (OH, OW)), ref["back"], err_msg=str(state))
    return 1, 1


def test_every_slider_setting_is_commons_im2col_convolution_and_pooling():
    rng = np.random.default_rng(5)
    sent = F.sent_once()
    states = []
    filters = ["vertical", "horizontal", "learned 1", "learned 17", "learned 30"]
    for size, stride, pad in itertools.product(F.SIZES, F.STRIDES, F.PADS):
        for name in filters:
            for pool_size, pool_stride in itertools.product(F.POOL_SIZES, F.POOL_STRIDES):
                states.append({"digit": int(rng.choice(sent["digit_choices"])), "filter": name, "size": size,
                               "stride": stride, "pad": pad, "row": int(rng.integers(0, 900)),
                               "pool_size": pool_size, "pool_stride": pool_stride})
    with PageSession(None) as session:
        session.add_module(math_module())
        page = session.page
        js = json.loads(page.evaluate(STATES_JS, json.dumps([sent["convnet"], sent["digits"], states])))
    counts = [assert_same(j, reference(s), s) for j, s in zip(js, states, strict=True)]
    fitted, pooled = (sum(c) for c in zip(*counts, strict=True))
    refused = len(states) - fitted
    assert fitted > 1000 and refused > 100 and pooled > 300  # every kind of setting was tried
    print(f"\n{len(states)} slider settings: {fitted} outputs and im2col rows equal common's "
          f"({pooled} poolings too), {refused} refused by both")


# ---------------------------------------------------------------------------------- the page


def frame(page):
    return page.evaluate("() => document.getElementById('explorer').explorerFrame")


def act(page, action):
    """Do `action`; wait for the frame it causes; return it."""
    before = frame(page)["frames"]
    action()
    page.wait_for_function(f"() => document.getElementById('explorer').explorerFrame.frames > {before}")
    return frame(page)


def slider(page, label):
    return page.locator(".explorer-slider").filter(has_text=label).first.locator(".explorer-slider-handle")


def test_the_page_moves_every_slider_and_the_window():
    with PageSession(PAGE) as session:
        page = session.page
        page.wait_for_function("() => !!document.getElementById('explorer').explorerFrame")
        first = frame(page)
        assert first["state"] == {**F.initial_state()} | {"row": F.OPENING_ROW}
        assert first["formula"].endswith("= (28 + 0 − 3) / 1 + 1 = 26")
        assert_same(first, reference(first["state"]), first["state"])
        seen = []
        moves = [("filter size", "ArrowRight"), ("stride", "ArrowRight"), ("padding", "ArrowRight"),
                 ("window", "ArrowRight"), ("window", "End"), ("pool size", "ArrowRight"),
                 ("pool stride", "ArrowLeft"), ("pooled cell", "ArrowRight"), ("stride", "ArrowRight")]
        for label, key in moves:
            handle = slider(page, label)
            f = act(page, lambda h=handle, k=key: h.press(k))
            assert_same(f, reference(f["state"]), f["state"])
            s = f["state"]
            assert f["formula"] == F.formula_text(F.STRINGS["en"], f["k"], s["stride"], s["pad"])
            seen.append((label, s, f["formula"]))
        # size 4, stride 3, pad 1: (28 + 2 - 4) / 3 + 1 is not whole: no output, the formula says so
        assert (seen[-1][1]["size"], seen[-1][1]["stride"], seen[-1][1]["pad"]) == (4, 3, 1)
        assert "not a whole number" in seen[-1][2] and frame(page)["output"] is None
        assert frame(page)["state"]["pool_size"] == 3 and frame(page)["state"]["pool_stride"] == 1
        f = act(page, lambda: slider(page, "stride").press("ArrowLeft"))  # stride 2: 14 x 14
        assert (f["OH"], f["OW"]) == (14, 14)

        # the window on the input: arrow keys, then a drag with the mouse
        canvas = page.locator(".filter-explorer canvas").first
        canvas.focus()
        f = act(page, lambda: page.keyboard.press("ArrowDown"))
        assert (f["row"] // 14, f["row"] % 14) == (1, 0)
        f = act(page, lambda: page.keyboard.press("ArrowRight"))
        assert f["row"] == 15
        assert_same(f, reference(f["state"]), f["state"])
        box = canvas.bounding_box()
        cell = box["width"] / 30  # 28 + 2 * pad 1 cells
        page.mouse.move(box["x"] + 3 * cell, box["y"] + 3 * cell)
        page.mouse.down()
        rows = []
        for cx, cy in [(10, 3), (20, 12), (27, 27)]:
            f = act(page, lambda x=cx, y=cy: page.mouse.move(box["x"] + x * cell, box["y"] + y * cell))
            assert_same(f, reference(f["state"]), f["state"])
            rows.append(f["row"])
        page.mouse.up()
        # a window of 4 centred under the pointer: top-left at round((y - 2) / 2) of 14 x 14
        assert rows == [1 * 14 + 4, 5 * 14 + 9, 13 * 14 + 13]

        # a click on the output map moves the window there, one on the pooled map selects that cell
        out = page.locator(".filter-explorer canvas").nth(2).bounding_box()
        cell = out["width"] / 14
        f = act(page, lambda: page.mouse.click(out["x"] + 6.5 * cell, out["y"] + 2.5 * cell))
        assert f["row"] == 2 * 14 + 6
        pooled = page.locator(".filter-explorer canvas").nth(5).bounding_box()
        side = round(pooled["width"] / 9)  # cells of 9 pixels
        f = act(page, lambda: page.mouse.click(pooled["x"] + 1.5 * 9, pooled["y"] + 2.5 * 9))
        assert f["state"]["pool_row"] == 2 * side + 1

        # a learned filter: 5 x 5 whatever the size slider says
        page.locator(".filter-explorer select").nth(1).select_option("learned 3")
        page.wait_for_function("() => document.getElementById('explorer').explorerFrame.state.filter"
                               " === 'learned 3'")
        f = frame(page)
        assert f["k"] == 5 and slider(page, "filter size").get_attribute("aria-disabled") == "true"
        assert_same(f, reference(f["state"]), f["state"])
        assert session.errors == []
