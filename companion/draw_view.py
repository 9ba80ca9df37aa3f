"""The draw-a-digit explorer: write a digit and watch two networks read it (notebook 10).

    from companion.draw_view import DrawDigit; DrawDigit()      # words in use_style(lang=...)'s language

A drawing area (mouse, pen or finger), the 28 x 28 input made from it the way MNIST's digits were made
(companion.digit_prep), the class probabilities of notebook 01's fully connected network and of
SimpleConvNet side by side, and SimpleConvNet's 30 feature maps after ReLU and pooling, all updated
while the reader draws. Buttons clear the drawing, load one of 100 official test digits at random,
and shift the input by 2 pixels, so the reader sees which network minds a digit off centre.

How it works: an anywidget whose front end (companion/static/draw_widget.js with digit_math.js and
conv_math.js, a mirror of companion.digit_prep and companion.digit_nets) computes every move in the
browser; the weights travel once, as float32 in base64 (see companion.digit_nets). The state (strokes,
shift, digit) reaches the kernel a moment later, so `image()`, `probabilities()` and `describe()`
compute here what the browser shows. The same front end makes docs/draw_digit.html and
docs/draw_digit.zh-CN.html (`standalone_page`), which need no Python.
"""

import base64
import functools
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import traitlets

from companion import digit_nets as N
from companion import digit_prep as P
from companion.assets import convolution_page, read, source
from companion.explorer_widget import ExplorerWidget, synced
from companion.language import language

FILES = ("controls.js", "conv_math.js", "digit_math.js", "draw_widget.js")
CSS = ("explorer.css", "draw.css")
OPENING_DIGIT = 0  # the explorer opens with the first shipped test digit loaded

STRINGS = {
    "en": {
        "clear": "clear", "random_digit": "a test digit", "shift_group": "shift the input:",
        "shift_left": "shift 2 pixels left", "shift_right": "shift 2 pixels right",
        "shift_up": "shift 2 pixels up", "shift_down": "shift 2 pixels down", "shift_reset": "centre",
        "pad_label": "Drawing area: draw a digit with the mouse, a pen or a finger. Arrow keys shift the "
                     "input, Delete clears, Enter loads a test digit.",
        "pad_caption": "draw a digit here",
        "input_label": "The 28 by 28 input the networks read.",
        "input_caption": "what the networks see (28×28)",
        "bars_label": "Class probabilities of both networks.", "bars_caption": "class probabilities",
        "mlp_title": "fully connected (notebook 01)", "cnn_title": "convolutional (SimpleConvNet)",
        "maps_label": "SimpleConvNet's 30 feature maps after ReLU and pooling, 12 by 12 each, darker "
                      "is larger.",
        "maps_caption": "SimpleConvNet's 30 feature maps after ReLU and 2×2 max pooling (12×12 each; "
                        "darker is larger)",
        "source_empty": "Nothing drawn yet.", "source_drawing": "Your drawing.",
        "source_digit": "Official test digit no. {index} (labelled {label}).",
        "shifted": " Shifted by {dx} px right and {dy} px down.",
        "reads": "Fully connected network: {mlp_digit} ({mlp_p}%). Convolutional network: {cnn_digit} "
                 "({cnn_p}%).",
        "axis_row": "row", "axis_column": "column", "axis_probability": "probability",
        "axis_digit": "digit", "axis_maps": "30 maps, 10 per row",
        "space": " ",  # between the sentences of the status line
    },
    "zh": {
        "clear": "清除", "random_digit": "随机测试数字", "shift_group": "平移输入：",
        "shift_left": "向左平移 2 像素", "shift_right": "向右平移 2 像素",
        "shift_up": "向上平移 2 像素", "shift_down": "向下平移 2 像素", "shift_reset": "居中",
        "pad_label": "绘图区：用鼠标、触控笔或手指写一个数字。"
                     "方向键平移输入，Delete 键清除，Enter 键载入测试数字。",
        "pad_caption": "在这里写一个数字",
        "input_label": "网络读到的 28×28 输入。", "input_caption": "网络看到的输入（28×28）",
        "bars_label": "两个网络给出的各类别概率。", "bars_caption": "各类别的概率",
        "mlp_title": "全连接网络（笔记本 01）", "cnn_title": "卷积网络（SimpleConvNet）",
        "maps_label": "SimpleConvNet 经过 ReLU 和池化后的 30 个特征图，每个 12×12，颜色越深值越大。",
        "maps_caption": "SimpleConvNet 经过 ReLU 和 2×2 最大池化后的 30 个特征图"
                        "（每个 12×12，颜色越深值越大）",
        "source_empty": "还没有书写。", "source_drawing": "你写的数字。",
        "source_digit": "官方测试集第 {index} 号数字（标签为 {label}）。",
        "shifted": "已向右平移 {dx} 像素、向下平移 {dy} 像素。",
        "reads": "全连接网络：{mlp_digit}（{mlp_p}%）。卷积网络：{cnn_digit}（{cnn_p}%）。",
        "axis_row": "行", "axis_column": "列", "axis_probability": "概率", "axis_digit": "数字",
        "axis_maps": "30 个特征图，每行 10 个",
        "space": "",  # Chinese sentences follow each other without a space
    },
}


# What a notebook shows for the explorer's cell before its kernel runs (the widget needs a kernel).
BEFORE_KERNEL = {
    "en": "Draw-a-digit explorer: a drawing area, the 28x28 input made from it, the class probabilities of "
          "notebook 01's fully connected network and of SimpleConvNet, and SimpleConvNet's 30 feature maps. "
          "Run the notebook (Run > Run All Cells) to start it.",
    "zh": "手写数字探索器：一块书写区域，由它得到的 28x28 输入，笔记本 01 的全连接网络和 SimpleConvNet "
          "给出的各类别的概率，以及 SimpleConvNet 的 30 张特征图。"
          "运行本笔记本（菜单“运行 > 运行所有单元格”，英文界面为 Run > Run All Cells）即可启动。",
}


def _words(lang, what):
    if not isinstance(lang, str) or lang not in STRINGS:
        raise ValueError(f"{what}: lang must be one of {sorted(STRINGS)}, got {lang!r}")
    return STRINGS[lang]


def strings(lang):
    """The explorer's words in `lang` ("en" or "zh")."""
    return _words(lang, "strings")


def _check_digit(digit, what):
    if isinstance(digit, bool) or not isinstance(digit, int | np.integer):
        raise TypeError(f"{what}: digit must be a whole number, got {digit!r}")
    if not -1 <= digit < N.DIGITS_PER_CLASS * 10:
        raise ValueError(f"{what}: digit must be -1 (a drawing) or a test digit index 0 to "
                         f"{N.DIGITS_PER_CLASS * 10 - 1}, got {digit}")
    return int(digit)


def esm_source():
    """The front end as anywidget loads it: one ES module."""
    return source(*FILES)


def css_source():
    return "\n".join(read(name) for name in CSS)


@functools.cache
def _networks():
    return N.load_mlp(), N.load_convnet()


@functools.cache
def sent_once():
    """What the browser reads once (JSON): both networks, the 100 test digits and their labels."""
    mlp, convnet = _networks()
    images, labels, indices = N.test_digits()
    return {"mlp": N.encode(mlp), "convnet": N.encode(convnet),
            "digits": base64.b64encode(images.tobytes()).decode("ascii"),
            "labels": labels.tolist(), "indices": indices.tolist()}


def initial_state(digit=OPENING_DIGIT):
    """The explorer's opening state: no strokes, no shift, the shipped test digit `digit` (-1: none)."""
    return {"strokes": [], "shift": [0, 0], "digit": _check_digit(digit, "initial_state")}


def input_image(strokes, shift, digit):
    """The 28 x 28 input for this state (a test digit, or the strokes prepared), float64."""
    if _check_digit(digit, "input_image") >= 0:
        images, _, _ = N.test_digits()
        return P.shift_image(N.digit_image(images[digit]), *shift)
    return P.prepare(strokes, shift)


def describe_state(lang, strokes, shift, digit):
    """The sentence under the explorer (the browser writes the same one)."""
    t = _words(lang, "describe_state")
    mlp, convnet = _networks()
    x = input_image(strokes, shift, digit)
    a = N.mlp_forward(mlp, x)
    c = N.convnet_forward(convnet, x)[1]
    if digit >= 0:
        _, labels, indices = N.test_digits()
        text = t["source_digit"].format(index=indices[digit], label=labels[digit])
    else:
        text = t["source_drawing"] if strokes else t["source_empty"]
    if tuple(shift) != (0, 0):
        text += t["shifted"].format(dx=shift[0], dy=shift[1])
    ka, kc = int(np.argmax(a)), int(np.argmax(c))
    return text + t["space"] + t["reads"].format(mlp_digit=ka, mlp_p=percent(a[ka]), cnn_digit=kc,
                                          cnn_p=percent(c[kc]))


def percent(p):
    """100 p with one decimal as JavaScript's (100 * p).toFixed(1) writes it: the exact binary value
    rounded, a tie upwards (Python's format would round a tie to even). p: a probability in [0, 1]."""
    if isinstance(p, bool) or not isinstance(p, int | float | np.floating):
        raise TypeError(f"percent: p must be a number, got {p!r}")
    if not 0 <= p <= 1:
        raise ValueError(f"percent: p must be a probability in [0, 1], got {p}")
    return str(Decimal(100 * float(p)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


class DrawDigit(ExplorerWidget):
    """Draw a digit; see how notebook 01's network and SimpleConvNet read it.

    State (read it and set it): strokes (lists of points [x, y], in units of the drawing area's side,
    y down), shift ([dx, dy] pixels after the centring), digit (index of a shipped test digit shown
    instead of a drawing, or -1). lang: "en" or "zh" for the controls' words; by default the
    one companion.plotting.use_style(lang=...) chose (companion.language).
    """

    _esm = esm_source()
    _css = css_source()

    strokes = synced(traitlets.List())
    shift = synced(traitlets.List(traitlets.Int(), default_value=[0, 0], minlen=2, maxlen=2))
    digit = synced(traitlets.Int(OPENING_DIGIT))
    strings = traitlets.Dict().tag(sync=True)
    mlp = traitlets.Dict().tag(sync=True)
    convnet = traitlets.Dict().tag(sync=True)
    digits = traitlets.Unicode().tag(sync=True)
    labels = traitlets.List().tag(sync=True)
    indices = traitlets.List().tag(sync=True)

    def __init__(self, lang=None, digit=OPENING_DIGIT):
        self.lang = language() if lang is None else lang
        words = _words(self.lang, "DrawDigit")
        super().__init__(**initial_state(_check_digit(digit, "DrawDigit")), strings=words, **sent_once())

    def __repr__(self):
        return BEFORE_KERNEL[self.lang]

    @traitlets.validate("digit")
    def _valid_digit(self, proposal):
        return _check_digit(proposal["value"], "DrawDigit")

    @traitlets.validate("strokes")
    def _valid_strokes(self, proposal):
        try:
            P.scale_and_place(proposal["value"])
        except (TypeError, ValueError) as err:
            raise ValueError(f"DrawDigit: strokes: {err}") from None
        return proposal["value"]

    def image(self):
        """The 28 x 28 input the networks read now (float64)."""
        return input_image(self.strokes, self.shift, self.digit)

    def probabilities(self):
        """(fully connected, convolutional) class probabilities of the input now, (10,) each."""
        mlp, convnet = _networks()
        x = self.image()
        return N.mlp_forward(mlp, x), N.convnet_forward(convnet, x)[1]

    def describe(self):
        return describe_state(self.lang, self.strokes, self.shift, self.digit)

    def snapshot_figure(self):
        """What the explorer shows now, as a matplotlib Figure (for companion.plotting.show)."""
        from companion.draw_figure import snapshot  # matplotlib only when a picture is wanted

        mlp, convnet = _networks()
        x = self.image()
        maps, c = N.convnet_forward(convnet, x)
        return snapshot(x, N.mlp_forward(mlp, x), c, maps, strings(self.lang))


# ------------------------------------------------------------------------ the page


PAGE_TEXT = {
    "en": {"title": "Draw a digit: two networks read it（卷积神经网络）",
           "heading": "Draw a digit（手写数字）",
           "intro": "Write a digit in the white square with the mouse, a pen or a finger. It becomes a "
                    "28×28 input the way MNIST's digits were made (scaled into a 20×20 box, centred by "
                    "its centre of mass), and two networks read it while you draw: the fully connected "
                    "network of Notebook 01 and the convolutional network SimpleConvNet of Notebook 10 "
                    "(companion to 《深度学习入门》). Load an official test digit, or shift the input by a "
                    "few pixels and see which network minds.",
           "footer": "Everything here runs in this page, with no server: the same code and weights as the "
                     "explorer in Notebook 10, which checks its numbers against the project's Python.",
           "noscript": "This page draws the explorer with JavaScript, which is switched off."},
    "zh": {"title": "手写数字：看两个网络怎样识别（卷积神经网络）",
           "heading": "手写数字",
           "intro": "在白色方框里用鼠标、触控笔或手指写一个数字。"
                    "它会按 MNIST 制作数字的方式变成 28×28 的输入"
                    "（缩放进 20×20 的方框，再按重心居中），两个网络在你书写时就给出判断："
                    "笔记本 01 的全连接网络和笔记本 10 的卷积网络 SimpleConvNet"
                    "（《深度学习入门》配套笔记本）。"
                    "也可以载入一个官方测试数字，"
                    "或把输入平移几个像素，看看哪个网络更不在意。",
           "footer": "这里的一切都在本页面中运行，不需要服务器：代码和权重与笔记本 10 中的探索器相同，"
                     "项目用 Python 核对过它的数值。",
           "noscript": "本页面用 JavaScript 绘制探索器，但 JavaScript 已被关闭。"},
}


def standalone_page(lang="en"):
    """docs/draw_digit.html (lang "en") or docs/draw_digit.zh-CN.html ("zh"): the explorer, no Python."""
    state = {**initial_state(), **sent_once(), "strings": _words(lang, "standalone_page")}
    return convolution_page(state, css_source(), esm_source(), lang, PAGE_TEXT[lang])
