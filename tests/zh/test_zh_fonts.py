"""Figures in Chinese without empty boxes, English figures as before, and the language setting.

use_style(lang="zh") must leave matplotlib a font with the CJK glyphs (Debian's fonts-noto-cjk, which the
set-up installs; PingFang / Heiti / Hiragino on macOS, Microsoft YaHei / SimHei on Windows): a figure
with Chinese title, axis labels, legend and annotation renders with no "missing glyph" report, and the
font matplotlib picks for those characters has every one of them.
"""

import io
import logging
import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from companion import language
from companion.graph import Graph, format_value
from companion.plotting import CJK_FONTS, cjk_fonts, use_style

CHINESE = "正向传播：苹果单价 × 个数 × 税率，损失函数（交叉熵误差）"


@pytest.fixture
def style():
    saved = dict(mpl.rcParams)
    yield
    mpl.rcParams.update(saved)
    language.set_language("en")


def test_a_cjk_font_is_installed_and_tried_in_order(style):
    found = cjk_fonts()
    assert found, f"no CJK font found (tried {CJK_FONTS}): install fonts-noto-cjk (see README.md)"
    assert found == [f for f in CJK_FONTS if f in found]
    use_style(lang="zh")
    assert mpl.rcParams["font.family"] == ["DejaVu Sans", *found]


def test_chinese_figure_renders_every_glyph(style, caplog):
    use_style(lang="zh")
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="训练数据的识别精度")
    ax.set_title(CHINESE)
    ax.set_xlabel("学习率（对数刻度）")
    ax.set_ylabel("损失")
    ax.annotate("鞍点", (0.5, 0.5))
    ax.legend()
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    plt.close(fig)
    reports = [str(w.message) for w in caught] + [r.getMessage() for r in caplog.records]
    assert not [r for r in reports if "glyph" in r.lower() or "findfont" in r], reports
    # the font matplotlib falls back to for Chinese has each character of the texts drawn
    cjk = font_manager.findfont(font_manager.FontProperties(family=cjk_fonts()[0]), fallback_to_default=False)
    charmap = FT2Font(cjk).get_charmap()
    drawn = CHINESE + "训练数据的识别精度学习率对数刻度损失鞍点"
    missing = [c for c in drawn if ord(c) > 0x2000 and ord(c) not in charmap]
    assert not missing, missing


def test_english_figures_keep_dejavu_sans(style):
    use_style(lang="en")
    assert mpl.rcParams["font.family"][0] == "DejaVu Sans"
    path = font_manager.findfont(font_manager.FontProperties(family=mpl.rcParams["font.family"]))
    assert "DejaVuSans" in path, path


def test_library_words_follow_the_language_and_numbers_do_not(style):
    g = Graph()
    g.mul(g.input("x", 3.0), g.input("y", 0.5), name="z")
    g.forward()
    g.backward()
    use_style(lang="en")
    english = g.describe()
    assert english.splitlines()[0].split() == ["node", "op", "operands", "value", "grad"]
    assert format_value(list(range(5))) == "shape (5,)"
    use_style(lang="zh")
    chinese = g.describe()
    assert chinese.splitlines()[0].split() == ["节点", "运算", "操作数", "值", "梯度"]
    assert format_value(list(range(5))) == "形状 (5,)"
    assert [line.split()[-2:] for line in chinese.splitlines()[1:]] == \
        [line.split()[-2:] for line in english.splitlines()[1:]]


def test_describe_pads_chinese_names_by_display_width(style):
    use_style(lang="zh")
    g = Graph()
    g.mul(g.input("苹果单价", 100.0), g.input("n", 2.0), name="价格")
    g.forward()
    rows = g.describe(grads=False).splitlines()
    columns = [language.width(row[:row.index("100")]) for row in rows if "100" in row and "×" not in row]
    header_value = language.width(rows[0][:rows[0].index("值")])
    assert columns == [header_value]


def test_ljust_and_rjust_pad_to_display_columns():
    # a Chinese character is two columns wide, a Latin letter or a digit one
    assert language.ljust("训练", 8) == "训练    " and language.rjust("训练", 8) == "    训练"
    assert language.ljust("train", 8) == "train   " == f"{'train':8s}"
    assert language.rjust("参数个数", 10) == "  参数个数"
    assert language.rjust("params", 10) == f"{'params':>10s}"
    assert language.ljust("识别精度 acc", 4) == "识别精度 acc"  # too long: whole, never cut
    assert language.ljust("（全角）", 9) == "（全角） "  # fullwidth brackets are wide too
    with pytest.raises(TypeError, match="ljust: text must be a string, got int"):
        language.ljust(3, 5)
    with pytest.raises(TypeError, match="rjust: columns must be an integer, got bool"):
        language.rjust("x", True)


def test_set_language_refuses_bad_input():
    with pytest.raises(TypeError, match="set_language: lang"):
        language.set_language(None)
    with pytest.raises(ValueError, match="set_language: lang must be one of"):
        language.set_language("fr")
    assert language.language() == "en"
