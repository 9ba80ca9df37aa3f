"""The tower explorer in Python: its widget's state (companion.towers_view), its figure
(companion.towers_figure) and the page docs/explorer.html (companion.explorer_page).

What the browser computes and draws is checked in tests/browser/test_explorer_math.py and
tests/browser/test_browser.py (real Chromium); here the Python side: the widget's state and the rules
for changing it, the still pictures and the pixel maps the browser draws with, matplotlib's snapshot
of a state, and that the committed page is current, on every processor.
"""

import io
import json
import re

import numpy as np
import pytest
from PIL import Image

from companion import explorer_page as P
from companion import towers as T
from companion import towers_figure as F
from companion import towers_view as V
from companion.towers_view import TowerExplorer, format_w, initial_state, sent_once, steepness_grid
from tools import REPO

CJK = re.compile(r"[\u4e00-\u9fff]")


def decode(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


@pytest.fixture
def explorer():
    return TowerExplorer(target="wiggly", n=10, w=200.0)


def test_opening_state_matches_the_math_module(explorer):
    heights = T.fit_heights("wiggly", 10)
    np.testing.assert_array_equal(explorer.heights, heights)
    assert (explorer.n, explorer.w, explorer.kind, explorer.selected) == (10, 200.0, "sigmoid", 4)
    assert explorer.error == T.fit_error("wiggly", heights, 200.0)
    text = explorer.describe()
    assert text.startswith("10 sigmoid towers at steepness w = 200: the sum is at most "
                           f"{explorer.error.max_abs:.3f} away")
    assert "not there yet" in text and text.endswith("Heights: the target read off at each centre.")


def test_setting_n_or_target_from_python_resets_the_heights(explorer):
    explorer.heights = [0.5] * 10
    explorer.selected = 9
    explorer.n = 30
    np.testing.assert_array_equal(explorer.heights, T.fit_heights("wiggly", 30))
    assert explorer.selected == 9
    explorer.n = 3
    assert explorer.selected == 2  # still a tower that exists
    explorer.target = "sin"
    np.testing.assert_array_equal(explorer.heights, T.fit_heights("sin", 3))
    assert explorer.heights_source == "the target read off at each centre"


def test_a_change_from_the_browser_keeps_the_heights_it_brings(explorer):
    # the browser resets the heights itself when the reader moves N, and sends them with N
    explorer.set_state({"n": 2, "heights": [0.1, 0.2], "selected": 1, "heights_source": "edited by hand"})
    assert explorer.heights == [0.1, 0.2] and explorer.n == 2 and explorer.selected == 1
    explorer.set_state({"heights": [0.3, 1]})  # JSON sends 1.0 as 1
    assert explorer.heights == [0.3, 1.0]


def test_auto_fit_from_python_and_its_refusal(explorer):
    explorer.auto_fit()
    np.testing.assert_allclose(explorer.heights, T.fit_heights("wiggly", 10, 200.0, "sigmoid"))
    assert explorer.heights_source == "auto-fitted for w = 200"
    explorer.n, explorer.w = 50, 10.0  # far too gentle for 50 towers
    explorer.auto_fit()
    np.testing.assert_array_equal(explorer.heights, T.fit_heights("wiggly", 50))
    assert "too gentle to auto-fit" in explorer.heights_source


@pytest.mark.parametrize("name, value, message", [
    ("target", "cosine", "unknown target"),
    ("kind", "ideal", "kind must be one of"),
    ("w", 0.0, "steepness w must be"),
    ("w", float("nan"), "steepness w must be"),
    ("n", 0, "N must be 1 to 100"),
    ("n", 101, "N must be 1 to 100"),
    ("heights", [1.0, 2.0], "heights must be 10 finite numbers"),
    ("heights", [float("inf")] * 10, "heights must be 10 finite numbers"),
    ("selected", 10, "selected must be a tower index 0 to 9"),
])
def test_bad_state_raises_an_error_naming_it(explorer, name, value, message):
    with pytest.raises(ValueError, match=message):
        setattr(explorer, name, value)


def test_one_number_format_and_one_tower_in_the_singular():
    assert [format_w(w) for w in (200.0, 10023.7, 44.77, 3.1698, 5.0, 99.4)] == [
        "200", "10024", "44.8", "3.17", "5.00", "99.4"]
    grid = steepness_grid()
    assert grid[36] == 200.0 and format_w(grid[-1]) == "10024"  # not "1.00e+4" nor "1e+04"
    one = TowerExplorer(n=1)
    assert one.describe().startswith("1 sigmoid tower at steepness")


def test_before_the_kernel_runs_the_cell_says_what_it_will_show(explorer):
    bundle = explorer._repr_mimebundle_()
    data = bundle[0] if isinstance(bundle, tuple) else bundle
    text = data["text/plain"]
    assert text.startswith("Tower explorer: sliders") and "Run All" in text
    assert "VBox" not in text and "0x" not in text
    assert "application/vnd.jupyter.widget-view+json" in data


# -------------------------------------------------------------------------------- the figure


def test_the_y_axis_holds_every_settable_height_below_the_legend():
    fig = F.tower_figure()
    lo, hi = fig.ax.get_ylim()
    assert lo < F.HEIGHT_RANGE[0] and F.HEIGHT_RANGE[1] < hi
    legend = fig.ax.get_legend().get_window_extent()
    top_of_heights = fig.ax.transData.transform([(0.0, F.HEIGHT_RANGE[1])])[0, 1]
    assert legend.y0 > top_of_heights + 2  # pixels: the legend covers no height a reader can set


def test_every_target_picture_has_the_same_axes():
    spec = F.figure_spec()
    assert (spec["width"], spec["height"]) == (816, 306)
    sizes = {decode(F.tower_figure().background_png(name)).shape for name in T.TARGETS}
    assert sizes == {(306, 816, 3)}
    fig = F.tower_figure()
    m = spec["main"]
    # the pixel map is matplotlib's transData, y flipped (pixel rows grow downwards)
    xy = np.array([[0.0, 0.0], [1.0, 1.25], [0.3, -0.2]])
    display = fig.ax.transData.transform(xy)
    np.testing.assert_allclose(m["sx"] * xy[:, 0] + m["ox"], display[:, 0], atol=1e-9)
    np.testing.assert_allclose(m["sy"] * xy[:, 1] + m["oy"], 306 - display[:, 1], atol=1e-9)


def test_snapshot_adds_the_moving_lines_inside_the_axes_only(explorer):
    background = decode(F.tower_figure().background_png("wiggly"))
    snapshot = decode(explorer.snapshot_png())
    differs = (background != snapshot).any(axis=2)
    assert differs.mean() > 0.02
    inside = np.zeros_like(differs)
    for m in (F.figure_spec()["main"], F.figure_spec()["zoom"]):
        left, top, width, height = m["clip"]
        inside[int(top) - 2:int(top + height) + 3, int(left) - 2:int(left + width) + 3] = True
    assert not (differs & ~inside).any()


def test_the_selected_tower_is_shaded_wider_than_a_sliver_at_n_100():
    explorer = TowerExplorer(n=100)
    explorer.snapshot_png()
    fig = F.tower_figure()
    x0 = fig.span.get_x()
    left, right = fig.ax.transData.transform([(x0, 0.0), (x0 + fig.span.get_width(), 0.0)])[:, 0]
    assert right - left == pytest.approx(F.MIN_SPAN_PX)
    assert (x0 + fig.span.get_width() / 2) == pytest.approx(T.tower_centres(100)[explorer.selected])
    # 100 dots 4.6 px apart would hide the lines: only the selected tower's ring is drawn
    assert len(fig.line_heights.get_xdata()) == 0 and len(fig.line_selected.get_xdata()) == 1
    TowerExplorer(n=F.MAX_DOTS).snapshot_png()
    assert len(fig.line_heights.get_xdata()) == F.MAX_DOTS


# ---------------------------------------------------------------------------------- the page


@pytest.mark.parametrize("lang, name", [("en", "explorer.html"), ("zh", "explorer.zh-CN.html")])
def test_the_committed_pages_are_up_to_date(lang, name):
    page = REPO / "docs" / name
    assert page.read_text(encoding="utf-8") == P.standalone_page(lang), (
        f"docs/{name} is stale: run .venv/bin/python -m tools.generate.build_explorer_page")


def test_the_chinese_explorer_says_in_chinese_what_the_english_says_with_the_same_numbers():
    numbers = re.compile(r"-?\d+(?:\.\d+)?")
    for state in ({}, {"n": 1, "w": 3000.0}, {"n": 70, "kind": "relu", "w": 50.0}):
        en, zh = TowerExplorer(lang="en", **state), TowerExplorer(lang="zh", **state)
        assert numbers.findall(en.describe()) == numbers.findall(zh.describe()), zh.describe()
        assert CJK.search(zh.describe()) and not CJK.search(en.describe())
        en.auto_fit()
        zh.auto_fit()
        assert numbers.findall(en.heights_source) == numbers.findall(zh.heights_source)
    assert set(V.WORDS["zh"]) == set(V.WORDS["en"]) and set(V.WORDS["zh"]["kinds"]) == set(V.KIND_LABELS)
    html = P.standalone_page("zh")
    assert '<html lang="zh-CN">' in html and '"steepness":"陡度 w"' in html and "通用近似定理" in html


def test_the_explorer_takes_its_language_from_use_style():
    from companion import language

    try:
        language.set_language("zh")
        assert TowerExplorer().lang == "zh" and TowerExplorer().words["towers"] == "塔数 N"
    finally:
        language.set_language("en")
    assert TowerExplorer().words["towers"] == "towers N"


def _floats(value):
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict | list | tuple):
        for v in value.values() if isinstance(value, dict) else value:
            yield from _floats(v)


def test_the_pages_numbers_do_not_depend_on_the_last_bit():
    # numpy's exp, sin and pow differ in the last bit between processors (AVX-512 or not, x86 or ARM):
    # one bit up or down in any number behind the page leaves the page's number as it is
    raw = {**initial_state(), **sent_once()}
    floats = list(_floats(raw))
    assert len(floats) > 100
    for v in floats:
        for nudged in (v * (1 + 2.0**-52), v * (1 - 2.0**-53)):
            assert P._rounded(nudged) == P._rounded(v), v
    # and the page holds nothing finer than 12 significant digits
    page_json = re.search(r"pageModel\((\{.*\})\);", P.standalone_page()).group(1)
    written = list(_floats(json.loads(page_json)))
    assert len(written) == len(floats)
    assert all(len(repr(v).split("e")[0].replace("-", "").replace(".", "").strip("0")) <= 12 for v in written)
    assert max(abs(a - b) / max(abs(a), 1e-300) for a, b in zip(written, floats, strict=True)) < 5e-12


def test_the_page_needs_no_network():
    html = P.standalone_page()
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html)  # nothing loaded from elsewhere
    assert "http://" not in html and "https://" not in html
    assert html.count("data:image/png;base64,") == len(T.TARGETS)
    for target in T.TARGETS.values():
        assert f"{target.name!r}".replace("'", '"') + f": (x) => {target.js}," in html


def test_notebook_07_and_the_explorer_use_only_public_towers_functions():
    path = REPO / "notebooks" / "07_universal_approximation.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    modules = [(REPO / "companion" / f"{name}.py").read_text(encoding="utf-8")
               for name in ("towers_view", "towers_figure", "explorer_page")]
    for text in (code, *modules):
        assert not re.search(r"\bT\._|towers\._", text)
    assert not re.search(r"1\.0, \"ideal\"", code)  # ideal towers take no dummy steepness
