"""The convolution explorers' Python side (companion.draw_view, companion.filter_view) and their
standalone pages (tools/generate/build_conv_pages.py). The browser side: tests/browser/test_draw_digit.py and
tests/browser/test_slide_filter.py."""

import re

import numpy as np
import pytest

from common.layers import Convolution
from common.util import im2col
from companion import digit_nets as N
from companion import digit_prep as P
from companion import draw_view as D
from companion import filter_view as F
from tools import REPO
from tools.generate.build_conv_pages import pages


@pytest.fixture(scope="module")
def built():
    return pages()


def test_the_committed_pages_are_up_to_date(built):
    assert len(built) == 4
    for name, html in built.items():
        assert (REPO / name).read_bytes() == html.encode("utf-8"), (
            f"{name} is stale: run .venv/bin/python -m tools.generate.build_conv_pages")


def test_the_pages_need_no_network_and_say_their_language(built):
    for name, html in built.items():
        assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html), name
        assert "http://" not in html and "https://" not in html, name
        assert f'<html lang="{"zh-CN" if "zh-CN" in name else "en"}">' in html, name
    assert "随机测试数字" in built["docs/draw_digit.zh-CN.html"]
    assert "随机测试数字" not in built["docs/draw_digit.html"]
    assert "步幅" in built["docs/slide_filter.zh-CN.html"]


def test_every_string_has_its_chinese():
    for module in (D, F):
        assert module.STRINGS["en"].keys() == module.STRINGS["zh"].keys()
        assert module.PAGE_TEXT["en"].keys() == module.PAGE_TEXT["zh"].keys()
    with pytest.raises(ValueError, match="DrawDigit: lang"):
        D.DrawDigit(lang="fr")
    with pytest.raises(ValueError, match="SlideFilter: lang"):
        F.SlideFilter(lang="fr")


def test_draw_digit_reads_what_the_browser_shows():
    explorer = D.DrawDigit()
    images, labels, indices = N.test_digits()
    np.testing.assert_array_equal(explorer.image(), N.digit_image(images[0]))
    assert explorer.describe().startswith(f"Official test digit no. {indices[0]} (labelled {labels[0]}).")
    explorer.strokes = [[[0.25, 0.2], [0.75, 0.2], [0.42, 0.85]]]
    explorer.digit = -1
    explorer.shift = [2, 0]
    np.testing.assert_array_equal(explorer.image(), P.prepare(explorer.strokes, (2, 0)))
    mlp, cnn = explorer.probabilities()
    assert mlp.shape == cnn.shape == (10,) and np.isclose(cnn.sum(), 1)
    assert explorer.describe().startswith("Your drawing. Shifted by 2 px right and 0 px down.")
    assert "全连接网络" in D.DrawDigit(lang="zh").describe()
    with pytest.raises(ValueError, match="DrawDigit: digit"):
        explorer.digit = 100
    with pytest.raises(ValueError, match="DrawDigit: digit"):
        D.DrawDigit(digit=-2)
    with pytest.raises(ValueError, match=r"DrawDigit: strokes: scale_and_place: strokes\[0\]"):
        explorer.strokes = [[]]
    assert len(explorer.snapshot_figure().axes) == 4
    assert "Run the notebook" in repr(explorer)


def test_slide_filter_computes_with_common():
    explorer = F.SlideFilter(size=5, stride=1, pad=2)
    x = explorer.image()[None, None]
    W, b = F.filter_weights("vertical", 5)
    np.testing.assert_array_equal(explorer.output(), Convolution(W, b, 1, 2).forward(x)[0, 0])
    np.testing.assert_array_equal(explorer.im2col_row(), im2col(x, 5, 5, 1, 2)[explorer.row])
    assert explorer.formula().endswith("(28 + 4 − 5) / 1 + 1 = 28")
    explorer.stride = 2
    assert explorer.output() is None and explorer.im2col_row() is None
    assert "= 14.5: not a whole number" in explorer.formula()
    np.testing.assert_array_equal(F.edge_filter("vertical", 3), [[-1, 0, 1]] * 3)  # Prewitt
    np.testing.assert_array_equal(F.edge_filter("horizontal", 2), [[-0.5, -0.5], [0.5, 0.5]])
    learned = F.SlideFilter(filter="learned 4")
    assert learned.weights()[0].shape == (1, 1, 5, 5)
    with pytest.raises(ValueError, match="SlideFilter: stride must be 1 to 4"):
        learned.stride = 5
    with pytest.raises(ValueError, match="SlideFilter: unknown filter"):
        learned.filter = "learned 31"
    assert len(F.SlideFilter().snapshot_figure().axes) == 3


def test_percentages_are_written_as_javascript_writes_them():
    # 100 * 0.1225 is 12.25 exactly in binary: JavaScript's toFixed(1) rounds the tie up, Python's
    # format to even
    assert 100 * 0.1225 == 12.25 and D.percent(0.1225) == "12.3" and f"{12.25:.1f}" == "12.2"
    assert D.percent(1.0) == "100.0" and D.percent(0.0) == "0.0" and D.percent(0.93456) == "93.5"


def test_the_explorers_take_their_language_from_use_style():
    from companion import language

    try:
        language.set_language("zh")
        assert D.DrawDigit().lang == F.SlideFilter().lang == "zh"
        assert "全连接网络" in D.DrawDigit().describe() and F.SlideFilter().formula().startswith("输出大小")
        assert D.DrawDigit(lang="en").lang == "en"  # an explicit lang wins
    finally:
        language.set_language("en")
    assert D.DrawDigit().lang == F.SlideFilter().lang == "en"
    assert not F.SlideFilter().formula().startswith("输出大小")
