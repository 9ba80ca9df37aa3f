"""The slide-a-filter explorer: a filter moves over a digit and im2col builds the output (notebook 10).

    from companion.filter_view import SlideFilter; SlideFilter()   # words in use_style(lang=...)'s language

A test digit and a filter (a hand-set edge filter of size 2 to 7, or one of SimpleConvNet's 30 learned
5 x 5 first-layer filters), with sliders for the filter size, the stride and the padding. The window
moves over the padded input (drag it, or use the arrow keys on the input, or the window slider); the
output map fills in cell by cell in im2col's row order, the current window's row of the im2col
matrix is shown with its index i * OW + j, and the output-size formula follows the sliders. Below,
max pooling of the output after ReLU: which cell each pooled value came from (Pooling's arg_max) and
where the gradient goes back (Pooling.backward of ones).

How it works: an anywidget whose front end (companion/static/filter_widget.js with filter_math.js and
conv_math.js, mirrors of common.util.im2col, common.layers.Convolution and Pooling) computes every move
in the browser. `output()`, `im2col_row()` and `formula()` compute here, with common, what the browser
shows (tests/browser/test_slide_filter.py compares the two). The same front end makes docs/slide_filter.html
and docs/slide_filter.zh-CN.html (`standalone_page`), which need no Python.
"""

import base64
import functools

import numpy as np
import traitlets

from common.layers import Convolution
from common.util import im2col
from companion import digit_nets as N
from companion.assets import convolution_page, read, source
from companion.explorer_widget import ExplorerWidget, synced
from companion.language import language

FILES = ("controls.js", "conv_math.js", "digit_math.js", "filter_math.js", "filter_widget.js")
CSS = ("explorer.css", "filter.css")
H = 28
SIZES, STRIDES, PADS = range(2, 8), range(1, 5), range(0, 4)
POOL_SIZES, POOL_STRIDES = range(2, 4), range(1, 4)
OPENING_ROW = 12 * 26 + 13  # the window opens half-way, at (12, 13) of the 26 x 26 output

STRINGS = {
    "en": {
        "digit": "digit", "digit_option": "a {label} (test digit no. {index})", "filter": "filter",
        "vertical": "vertical edge (hand-set)", "horizontal": "horizontal edge (hand-set)",
        "learned": "learned filter {n} of SimpleConvNet", "fill_all": "fill the whole output",
        "size": "filter size", "stride": "stride", "pad": "padding", "window": "window",
        "window_text": "{r} ({i}, {j})",
        "formula": "output size OH = (H + 2P − FH) / S + 1 = ({H} + {pad2} − {k}) / {s} + 1",
        "formula_bad": "= {q}: not a whole number of strides, so common.util.im2col and Convolution "
                       "refuse it. Change the stride or the padding.",
        "conv_part": "convolution", "pool_part": "max pooling of the output after ReLU",
        "input_label": "The digit with its padding; the window is outlined. Arrow keys move the window.",
        "input_caption": "input, padded (drag the window, or arrow keys)",
        "filter_label": "The filter's weights.", "filter_caption": "filter",
        "output_label": "The output map, filled up to the current window.",
        "output_caption": "output, filled in im2col's row order",
        "row_label": "The current window's row of the im2col matrix.",
        "row_caption": "the window's row of the im2col matrix",
        "row_text": "Row {r} = i·OW + j = {i}·{OW} + {j} of the im2col matrix ({rows} rows × {cols} "
                    "columns). This row · the filter + b = output[{i}, {j}] = {value}.",
        "no_output": "No output: the formula above gives no whole number.",
        "pool_size": "pool size", "pool_stride": "pool stride", "pool_cell": "pooled cell",
        "relu_label": "The output after ReLU, the pooling window and its maximum outlined.",
        "relu_caption": "output after ReLU (window: orange, its maximum: green)",
        "pooled_label": "The pooled map.", "pooled_caption": "after max pooling",
        "back_label": "Where the gradient of every pooled value goes back.",
        "back_caption": "where gradients go back (darker: more of them)",
        "pool_text": "Pooled cell {r} (i={i}, j={j}) of {POH}×{POW} = {value}, the maximum of its window, "
                     "found at output cell ({fi}, {fj}): in the backward pass its gradient goes back to "
                     "that cell only (Pooling's arg_max); the other cells of the window get 0.",
        "pool_bad": "A {p}×{p} pooling with stride {s} does not fit the {OH}-cell output a whole number "
                    "of times: Pooling refuses it.",
        "axis_row": "row", "axis_column": "column",
    },
    "zh": {
        "digit": "数字", "digit_option": "数字 {label}（测试集第 {index} 号）", "filter": "滤波器",
        "vertical": "竖直边缘（手工设定）", "horizontal": "水平边缘（手工设定）",
        "learned": "SimpleConvNet 学到的第 {n} 个滤波器", "fill_all": "填满整个输出",
        "size": "滤波器大小", "stride": "步幅", "pad": "填充", "window": "窗口",
        "window_text": "{r}（{i}, {j}）",
        "formula": "输出大小 OH = (H + 2P − FH) / S + 1 = ({H} + {pad2} − {k}) / {s} + 1",
        "formula_bad": "= {q}：不是整数个步幅，common.util.im2col 和 Convolution 都会拒绝。"
                       "请改变步幅或填充。",
        "conv_part": "卷积", "pool_part": "对 ReLU 之后的输出做最大池化",
        "input_label": "带填充的数字，窗口用方框标出。方向键移动窗口。",
        "input_caption": "填充后的输入（拖动窗口，或用方向键）",
        "filter_label": "滤波器的权重。", "filter_caption": "滤波器",
        "output_label": "输出特征图，填到当前窗口为止。",
        "output_caption": "输出，按 im2col 的行序逐格填入",
        "row_label": "当前窗口在 im2col 矩阵中的那一行。",
        "row_caption": "当前窗口在 im2col 矩阵中的行",
        "row_text": "im2col 矩阵（{rows} 行 × {cols} 列）的第 {r} 行 = i·OW + j = {i}·{OW} + {j}。"
                    "这一行 · 滤波器 + b = output[{i}, {j}] = {value}。",
        "no_output": "没有输出：上面的公式得不到整数。",
        "pool_size": "池化大小", "pool_stride": "池化步幅", "pool_cell": "池化单元",
        "relu_label": "ReLU 之后的输出，标出池化窗口和其中的最大值。",
        "relu_caption": "ReLU 之后的输出（窗口：橙色，最大值：绿色）",
        "pooled_label": "池化后的特征图。", "pooled_caption": "最大池化之后",
        "back_label": "每个池化值的梯度传回到哪里。",
        "back_caption": "梯度传回的位置（颜色越深，传回的越多）",
        "pool_text": "{POH}×{POW} 中的第 {r} 个池化单元（i={i}, j={j}）= {value}，是其窗口中的最大值，"
                     "位于输出的 ({fi}, {fj})：反向传播时它的梯度只传回这一格（Pooling 的 arg_max），"
                     "窗口中的其他格得到 0。",
        "pool_bad": "步幅为 {s} 的 {p}×{p} 池化不能整数次地覆盖 {OH} 格的输出：Pooling 会拒绝。",
        "axis_row": "行", "axis_column": "列",
    },
}


# What a notebook shows for the explorer's cell before its kernel runs (the widget needs a kernel).
BEFORE_KERNEL = {
    "en": "Slide-a-filter explorer: a filter moving over a test digit, sliders for the filter size, stride "
          "and padding, the output filling in cell by cell with the window's im2col row, and max pooling "
          "with its gradient routing. Run the notebook (Run > Run All Cells) to start it.",
    "zh": "滑动滤波器探索器：一个滤波器在一张测试数字上滑动，调节滤波器大小、步幅和填充的滑块，输出逐格填满，"
          "同时显示窗口在 im2col 中的那一行，还有 Max池化及其梯度的传递路线。"
          "运行本笔记本（菜单“运行 > 运行所有单元格”，英文界面为 Run > Run All Cells）即可启动。",
}


def _words(lang, what):
    if not isinstance(lang, str) or lang not in STRINGS:
        raise ValueError(f"{what}: lang must be one of {sorted(STRINGS)}, got {lang!r}")
    return STRINGS[lang]


def strings(lang):
    """The explorer's words in `lang` ("en" or "zh")."""
    return _words(lang, "strings")


def _whole(value, what, name, lowest):
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{what}: {name} must be a whole number, got {value!r}")
    if value < lowest:
        raise ValueError(f"{what}: {name} must be at least {lowest}, got {value}")
    return int(value)


def esm_source():
    """The front end as anywidget loads it: one ES module."""
    return source(*FILES)


def css_source():
    return "\n".join(read(name) for name in CSS)


def edge_filter(kind, k):
    """A hand-set k x k edge filter: "vertical" weighs column v by v - (k - 1) / 2 (for k = 3 the
    Prewitt filter), "horizontal" row u by u - (k - 1) / 2. Shape (k, k)."""
    if kind not in ("vertical", "horizontal"):
        raise ValueError(f"edge_filter: kind must be 'vertical' or 'horizontal', got {kind!r}")
    k = _whole(k, "edge_filter", "k", 1)
    offsets = np.arange(k) - (k - 1) / 2
    return np.tile(offsets, (k, 1)) if kind == "vertical" else np.tile(offsets[:, None], (1, k))


def filter_names():
    return ["vertical", "horizontal"] + [f"learned {n}" for n in range(1, 31)]


def filter_weights(name, size):
    """(W (1, 1, k, k), b (1,)) of the filter `name` at `size` (learned filters are always 5 x 5,
    SimpleConvNet's shipped weights, as the browser gets them)."""
    if name not in filter_names():
        raise ValueError(f"filter_weights: name must be 'vertical', 'horizontal' or 'learned 1' to "
                         f"'learned 30', got {name!r}")
    if _whole(size, "filter_weights", "size", 1) not in SIZES:
        raise ValueError(f"filter_weights: size must be {SIZES.start} to {SIZES.stop - 1}, got {size}")
    if name.startswith("learned "):
        n = int(name.split()[1]) - 1
        params = N.load_convnet()
        return params["W1"][n:n + 1], params["b1"][n:n + 1]
    return edge_filter(name, size)[None, None], np.zeros(1)


@functools.cache
def sent_once():
    """What the browser reads once: SimpleConvNet's first-layer filters, the shipped test digits, and
    which 10 of them to offer (the first of each class)."""
    images, labels, indices = N.test_digits()
    choices = [int(np.flatnonzero(labels == d)[0]) for d in range(10)]
    first_layer = {key: N.load_convnet()[key] for key in ("W1", "b1")}
    return {"convnet": N.encode(first_layer), "digits": base64.b64encode(images.tobytes()).decode("ascii"),
            "labels": labels.tolist(), "indices": indices.tolist(), "digit_choices": choices}


def initial_state():
    return {"digit": sent_once()["digit_choices"][7], "filter": "vertical", "size": 3, "stride": 1, "pad": 0,
            "row": OPENING_ROW, "pool_size": 2, "pool_stride": 2, "pool_row": 0}


def output_size(k, stride, pad):
    """(H + 2 pad - k) / stride + 1 if it is a whole number (and the filter fits), else None."""
    k, stride, pad = (_whole(v, "output_size", name, low) for v, name, low in
                      ((k, "k", 1), (stride, "stride", 1), (pad, "pad", 0)))
    span = H + 2 * pad - k
    return None if span < 0 or span % stride else span // stride + 1


class SlideFilter(ExplorerWidget):
    """Slide a filter over a test digit; watch im2col build the output, and max pooling route gradients.

    State (read it and set it): digit (index of a shipped test digit), filter ("vertical", "horizontal"
    or "learned N"), size, stride, pad, row (the window's row of im2col), pool_size, pool_stride,
    pool_row. lang: "en" or "zh" for the controls' words; by default the
    one companion.plotting.use_style(lang=...) chose (companion.language).
    """

    _esm = esm_source()
    _css = css_source()

    digit = synced(traitlets.Int())
    filter = synced(traitlets.Unicode("vertical"))
    size = synced(traitlets.Int(3))
    stride = synced(traitlets.Int(1))
    pad = synced(traitlets.Int(0))
    row = synced(traitlets.Int(OPENING_ROW))
    pool_size = synced(traitlets.Int(2))
    pool_stride = synced(traitlets.Int(2))
    pool_row = synced(traitlets.Int(0))
    strings = traitlets.Dict().tag(sync=True)
    convnet = traitlets.Dict().tag(sync=True)
    digits = traitlets.Unicode().tag(sync=True)
    labels = traitlets.List().tag(sync=True)
    indices = traitlets.List().tag(sync=True)
    digit_choices = traitlets.List().tag(sync=True)

    def __init__(self, lang=None, **state):
        self.lang = language() if lang is None else lang
        super().__init__(**{**initial_state(), **state}, strings=_words(self.lang, "SlideFilter"),
                         **sent_once())

    def __repr__(self):
        return BEFORE_KERNEL[self.lang]

    @traitlets.validate("size", "stride", "pad", "pool_size", "pool_stride")
    def _valid_sizes(self, proposal):
        allowed = {"size": SIZES, "stride": STRIDES, "pad": PADS, "pool_size": POOL_SIZES,
                   "pool_stride": POOL_STRIDES}[proposal["trait"].name]
        if proposal["value"] not in allowed:
            raise ValueError(f"SlideFilter: {proposal['trait'].name} must be {allowed.start} to "
                             f"{allowed.stop - 1}, got {proposal['value']}")
        return proposal["value"]

    @traitlets.validate("digit", "row", "pool_row")
    def _valid_indices(self, proposal):
        name, k = proposal["trait"].name, proposal["value"]
        top = N.DIGITS_PER_CLASS * 10 - 1 if name == "digit" else None
        if k < 0 or (top is not None and k > top):
            raise ValueError(f"SlideFilter: {name} must be {'0 to ' + str(top) if top else 'at least 0'}, "
                             f"got {k}")
        return k

    @traitlets.validate("filter")
    def _valid_filter(self, proposal):
        if proposal["value"] not in filter_names():
            raise ValueError(f"SlideFilter: unknown filter {proposal['value']!r}")
        return proposal["value"]

    def image(self):
        """The test digit, (28, 28) float64 (load_mnist's float32 values)."""
        images, _, _ = N.test_digits()
        return N.digit_image(images[self.digit])

    def weights(self):
        return filter_weights(self.filter, self.size)

    def output(self):
        """Convolution.forward of the digit with the filter: (OH, OW), or None if the sizes do not fit."""
        W, b = self.weights()
        if output_size(W.shape[-1], self.stride, self.pad) is None:
            return None
        return Convolution(W, b, self.stride, self.pad).forward(self.image()[None, None])[0, 0]

    def im2col_row(self):
        """The window's row of common.util.im2col (index self.row), or None if the sizes do not fit."""
        k = self.weights()[0].shape[-1]
        if output_size(k, self.stride, self.pad) is None:
            return None
        return im2col(self.image()[None, None], k, k, self.stride, self.pad)[self.row]

    def formula(self):
        """The output-size formula with the current numbers (the browser writes the same line)."""
        return formula_text(strings(self.lang), self.weights()[0].shape[-1], self.stride, self.pad)

    def snapshot_figure(self):
        """The explorer's convolution part now, as a matplotlib Figure (for companion.plotting.show)."""
        from companion.filter_figure import snapshot  # matplotlib only when a picture is wanted

        output = self.output()
        if output is None:
            raise ValueError(f"SlideFilter: no output to draw: {self.formula()}")
        row = min(self.row, output.size - 1)
        return snapshot(self.image(), self.weights()[0][0, 0], self.stride, self.pad, row, output,
                        strings(self.lang))


def formula_text(t, k, stride, pad):
    """The output-size formula line for filter size k (filter_widget.js's formula, in Python).
    t: the explorer's strings (`strings(lang)`)."""
    if not isinstance(t, dict) or not {"formula", "formula_bad"} <= t.keys():
        raise TypeError("formula_text: t must be the explorer's strings, strings(lang)")
    k, stride, pad = (_whole(v, "formula_text", name, low) for v, name, low in
                      ((k, "k", 1), (stride, "stride", 1), (pad, "pad", 0)))
    span = H + 2 * pad - k
    values = {"H": H, "pad2": 2 * pad, "k": k, "s": stride, "q": _js_number(span / stride + 1)}
    head = t["formula"].format(**values)
    if span < 0 or span % stride:
        return f"{head} {t['formula_bad'].format(**values)}"
    return f"{head} = {span // stride + 1}"


def _js_number(v):
    """A float as JavaScript's String(v) writes it (for the quotients here: 12.5, 13.666666666666666)."""
    return str(int(v)) if v == int(v) else repr(v)


# ------------------------------------------------------------------------ the page

PAGE_TEXT = {
    "en": {"title": "Slide a filter: convolution, im2col and max pooling（卷积、im2col 与池化）",
           "heading": "Slide a filter（卷积与 im2col）",
           "intro": "A filter slides over a digit from MNIST's official test set. Change its size, the "
                    "stride and the padding, and the output size formula follows; move the window (drag "
                    "it, or click the input and use the arrow keys) and the output fills in cell by cell "
                    "while the window's row of the im2col matrix shows what the convolution multiplies. "
                    "Below, max pooling: where each pooled value came from, and where its gradient goes "
                    "back. From Notebook 10 of the companion to 《深度学习入门》 (primer §7.2–7.4).",
           "footer": "Everything here runs in this page, with no server: the same code as the explorer in "
                     "Notebook 10, which checks it against the project's common.util.im2col and "
                     "common.layers.",
           "noscript": "This page draws the explorer with JavaScript, which is switched off."},
    "zh": {"title": "滑动滤波器：卷积、im2col 与池化",
           "heading": "滑动滤波器（卷积与 im2col）",
           "intro": "滤波器在一个来自 MNIST 官方测试集的数字上滑动。"
                    "改变滤波器大小、步幅和填充，输出大小的公式随之更新；"
                    "移动窗口（拖动它，或点击输入后用方向键），输出就一格一格地填上，同时显示窗口在 im2col "
                    "矩阵中的那一行，也就是卷积所乘的内容。下方是最大池化：每个池化值来自哪里，它的梯度又传回哪里。"
                    "出自《深度学习入门》配套笔记本的笔记本 10（原书 §7.2–7.4）。",
           "footer": "这里的一切都在本页面中运行，不需要服务器：代码与笔记本 10 中的探索器相同，"
                     "项目用 common.util.im2col 和 common.layers 核对过它。",
           "noscript": "本页面用 JavaScript 绘制探索器，但 JavaScript 已被关闭。"},
}


def standalone_page(lang="en"):
    """docs/slide_filter.html (lang "en") or docs/slide_filter.zh-CN.html ("zh"): no Python needed."""
    state = {**initial_state(), **sent_once(), "strings": _words(lang, "standalone_page")}
    return convolution_page(state, css_source(), esm_source(), lang, PAGE_TEXT[lang])
