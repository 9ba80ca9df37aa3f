"""docs/explorer.html and docs/explorer.zh-CN.html: the tower explorer of notebook 07 as one page that
needs no Python, in English and in Chinese.

    from companion.explorer_page import standalone_page
    html = standalone_page()        # what tools/generate/build_explorer_page.py writes
    html = standalone_page("zh")    # the Chinese page: controls, status line, figure and text

The page is the template companion/static/explorer_page.html filled with the explorer's CSS, its front
end (the same ES module the notebook widget loads, companion.towers_view.esm_source), and its opening
state with the still pictures, all inline: it opens from disk with no server or network.

The page is compared byte for byte with what this builds (a test), on every processor. Its numbers
are display and opening state only, so they are written to 12 significant digits: the last bit of
numpy's exp, sin or pow differs between processors (AVX-512 or not, x86 or ARM) and would otherwise
show in the 16th or 17th digit (a steepness written 11.24682650380698 on one machine and
11.246826503806982 on another).
"""

import json
from string import Template

from companion.assets import read
from companion.language import check_language
from companion.towers_view import esm_source, initial_state, sent_once

DIGITS = 12  # significant digits of every number in the page


def _rounded(value):
    """value with every float in it rounded to DIGITS significant digits (lists and dicts walked)."""
    if isinstance(value, float):
        return float(f"{value:.{DIGITS}g}")
    if isinstance(value, dict):
        return {key: _rounded(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


# The page's own text, in each language; the explorer's words are companion.towers_view.WORDS.
PAGE_TEXT = {
    "en": {"lang": "en",
           "title": "Tower explorer: universal approximation with sigmoid towers（万能近似定理）",
           "body": """<h1>Tower explorer（万能近似定理）</h1>
<p>A sum of N towers, each made of two steep sigmoid units (or two ReLU pairs), follows the target
curve: this is the universal approximation theorem（万能近似定理）in one dimension, as Notebook 07 of
the companion to 《深度学习入门》 builds it. Move the sliders (their handles take the arrow keys, Page Up,
Page Down, Home and End), drag a tower's top (its red dot; with more than 40 towers, the dashed
line's step) to set its height, or let auto-fit choose the heights for the current steepness.</p>
<p><strong>Challenge:</strong> make the largest error on the wiggly target at most 0.05 with as few
towers as you can. The line under the figure says how far you are.</p>
<div id="explorer"></div>
<noscript><p>This page draws the explorer with JavaScript, which is switched off.</p></noscript>
<p>Everything here runs in this page, with no server: the same code and the same targets as the
explorer in Notebook 07, which checks it against the project's Python.
<a href="explorer.zh-CN.html">中文版</a></p>
"""},
    "zh": {"lang": "zh-CN", "title": "塔探索器：用 sigmoid 塔演示通用近似定理",
           "body": """<h1>塔探索器（通用近似定理）</h1>
<p>N 座塔之和跟随目标曲线，每座塔由两个很陡的 sigmoid 神经元（或两对 ReLU）组成：这就是一维情形下的
通用近似定理（universal approximation theorem），与《深度学习入门》配套笔记本 07 的构造相同。
拖动滑块（滑块手柄接受方向键、Page Up、Page Down、Home 和 End），拖动塔顶（红色圆点；塔数超过 40 时，
拖动虚线的台阶）设置它的高度，或者让自动拟合为当前的陡度选出高度。</p>
<p><strong>挑战：</strong>在 wiggly 目标函数上，用尽可能少的塔让最大误差不超过 0.05。
图下方的一行文字告诉你离目标还有多远。</p>
<div id="explorer"></div>
<noscript><p>这个页面用 JavaScript 绘制探索器，而 JavaScript 已被关闭。</p></noscript>
<p>这里的一切都在本页面中运行，不需要服务器：代码和目标函数与笔记本 07 中的探索器相同，
笔记本 07 用项目的 Python 代码检验它。<a href="explorer.html">English</a></p>
"""},
}


def page_state(lang="en"):
    """The page's opening state: the widget's state and what it reads once, numbers rounded."""
    check_language(lang, "page_state")
    return _rounded({**initial_state(lang=lang), **sent_once(lang)})


def standalone_page(lang="en"):
    """The whole page (HTML text) in `lang`, "en" or "zh"."""
    text = PAGE_TEXT[check_language(lang, "standalone_page")]
    state = json.dumps(page_state(lang), separators=(",", ":"), ensure_ascii=False)
    return Template(read("explorer_page.html")).substitute(css=read("explorer.css"), js=esm_source(),
                                                         state=state, **text)
