"""The bowl explorer of notebook 09: pick an optimizer and its settings, see its path on the bowl.

    from companion.bowl_view import BowlExplorer
    explorer = BowlExplorer("Momentum")   # opens with its settings from companion.bowl.OPTIMIZERS
    explorer                              # the controls, the figure, the step count in words
    explorer.lr = 0.05                    # the state lives in the widget: read it and set it from Python

Built as the tower explorer is: an anywidget whose front end is one ES module, companion/static/
bowl_math.js (the update rules of common.optimizer and companion.bowl.descend, mirrored), controls.js
and bowl_widget.js (controls, drawing, model sync). Every move of a control is followed and drawn in
the browser, in the next animation frame; the kernel hears about the new settings a moment later,
and `path`, `steps` and `describe()` compute the same run here with companion.bowl. The still
picture comes from companion.bowl_figure.
"""

import math

import numpy as np
import traitlets

from companion import bowl
from companion.assets import read, source
from companion.bowl import OPTIMIZERS, make_optimizer
from companion.bowl_figure import bowl_figure
from companion.explorer_widget import ExplorerWidget, synced
from companion.language import check_language, language

# Notebook 09 imports the menu and the factory from here, with the explorer they belong to.
__all__ = ["OPTIMIZERS", "BowlExplorer", "describe_run", "make_optimizer"]

LR_RANGE = (0.01, 2.0, 0.01)  # min, max, step of the learning-rate slider
BETA_RANGE = (0.0, 0.99, 0.01)  # of the second setting's slider
ADAM_BETA2 = 0.999  # common.optimizer.Adam's default: the explorer does not change it

# Every word the explorer writes, in each language of companion.language: the controls and the line
# under the figure (templates: {name} is filled in; the browser's describeRun fills the same ones).
WORDS = {
    "en": {"optimizer": "optimizer", "lr": "learning rate", "second": "second setting",
           "no_second": "no second setting", "head": "{name} ({setting})",
           "reached": "{head} gets within {tol} of the minimum after {steps} steps.",
           "diverged": ("{head} diverges: after {steps} steps it is more than {escape} away from the "
                        "minimum."),
           "not_yet": ("{head} is not within {tol} of the minimum after {max_steps} steps (it ends {end} "
                       "away).")},
    "zh": {"optimizer": "最优化方法", "lr": "学习率", "second": "第二个参数",
           "no_second": "没有第二个参数", "head": "{name}（{setting}）",
           "reached": "{head}：距最小值 {tol} 以内，用了 {steps} 步。",
           "diverged": "{head} 发散：{steps} 步之后，离最小值超过 {escape}。",
           "not_yet": "{head} 没有到达最小值 {tol} 以内：{max_steps} 步之后，最后相距 {end}。"},
}


# What a notebook shows for the explorer's cell before its kernel runs (the widget needs a kernel).
BEFORE_KERNEL = {
    "en": "The bowl explorer: run this notebook in Jupyter to move its controls; the picture above shows "
          "how it opens.",
    "zh": "碗上的探索器：在 Jupyter 中运行本笔记本，就可以调节它的控件；上面的图就是它打开时的样子。",
}


def describe_run(name, lr, beta, path, lang="en"):
    """The run in words of `lang`, as the line under the figure says it (the browser's describeRun
    fills the same WORDS)."""
    if name not in OPTIMIZERS:
        raise ValueError(f"describe_run: name must be one of {list(OPTIMIZERS)}, got {name!r}")
    words = WORDS[check_language(lang, "describe_run")]
    second = OPTIMIZERS[name][2]
    setting = f"lr = {lr:g}" + ("" if second is None else f", {second[0]} = {beta:g}")
    head = words["head"].format(name=name, setting=setting)
    end = float(np.hypot(*path[-1]))
    tol = f"{bowl.TOLERANCE:g}"
    if end <= bowl.TOLERANCE:
        return words["reached"].format(head=head, tol=tol, steps=len(path) - 1)
    if not end < bowl.ESCAPE:
        return words["diverged"].format(head=head, steps=len(path) - 1, escape=f"{bowl.ESCAPE:g}")
    return words["not_yet"].format(head=head, tol=tol, max_steps=bowl.MAX_STEPS, end=f"{end:.3g}")


def sent_once(lang="en"):
    """What the front end reads once: the bowl's constants, the menu, the slider ranges, the figure,
    the words of `lang`."""
    check_language(lang, "sent_once")
    optimizers = {name: {"lr": lr, "second": None if second is None else second[0],
                         "beta": None if second is None else second[1]}
                  for name, (_, lr, second) in OPTIMIZERS.items()}
    return {"bowl": {"start": list(bowl.START), "tolerance": bowl.TOLERANCE, "max_steps": bowl.MAX_STEPS,
                     "escape": bowl.ESCAPE, "beta2": ADAM_BETA2, "optimizers": optimizers,
                     "lr_range": list(LR_RANGE), "beta_range": list(BETA_RANGE)},
            "figure": bowl_figure(lang).spec(), "words": WORDS[lang]}


class BowlExplorer(ExplorerWidget):
    """Controls: the optimizer, its learning rate lr and, where the rule has one, its momentum /
    decay_rate / beta1; the path on the bowl and the step count in words.

    State (read it and set it): name (a key of companion.bowl.OPTIMIZERS), lr, beta (None for SGD and
    AdaGrad). Setting name from Python opens that rule with its own settings, as the menu does.
    Computed here with companion.bowl: path ((n + 1, 2): the start and the point after each update, up
    to the first within companion.bowl.TOLERANCE of the minimum, at most companion.bowl.MAX_STEPS),
    steps (updates until then, or None), describe(), snapshot_png().
    """

    _esm = source("bowl_math.js", "controls.js", "bowl_widget.js")
    _css = read("explorer.css")

    name = synced(traitlets.Unicode("SGD"))
    lr = synced(traitlets.Float(0.95))
    # None where the rule has no second setting; a Union, so that None too meets _valid_beta
    beta = synced(traitlets.Union([traitlets.Float(), traitlets.Enum([None])], default_value=None))
    bowl = traitlets.Dict().tag(sync=True)  # sent once
    figure = traitlets.Dict().tag(sync=True)
    words = traitlets.Dict().tag(sync=True)

    def __init__(self, name="SGD", lr=None, beta=None, lang=None):
        """lang: "en" or "zh", the language of the controls, the line under the figure and the figure;
        by default the one companion.plotting.use_style(lang=...) chose (companion.language)."""
        self.lang = check_language(language() if lang is None else lang, "BowlExplorer")
        super().__init__(**sent_once(self.lang))
        with self.hold_sync():
            self.name = name  # opens with the rule's own settings (see below), unless given others
            if lr is not None:
                self.lr = lr
            if beta is not None:
                self.beta = beta

    def __repr__(self):
        return BEFORE_KERNEL[self.lang]

    # ---------------------------------------------------------------------- checks

    @traitlets.validate("name")
    def _valid_name(self, proposal):
        name = proposal["value"]
        if name not in OPTIMIZERS:
            raise ValueError(f"BowlExplorer: name must be one of {list(OPTIMIZERS)}, got {name!r}")
        return name

    @traitlets.validate("lr")
    def _valid_lr(self, proposal):
        lr = proposal["value"]
        if not (math.isfinite(lr) and lr > 0):
            raise ValueError(f"BowlExplorer: lr must be a finite number > 0, got {lr}")
        return lr

    @traitlets.validate("beta")
    def _valid_beta(self, proposal):
        beta, second = proposal["value"], OPTIMIZERS[self.name][2]
        if (beta is None) != (second is None) or (beta is not None and not 0 <= beta < 1):
            wanted = "None" if second is None else f"its {second[0]}, a number in [0, 1)"
            raise ValueError(f"BowlExplorer: beta of {self.name} must be {wanted}, got {beta!r}")
        return beta

    @traitlets.observe("name")
    def _open_with_its_settings(self, change):
        if self.from_browser:  # the browser sends a new rule together with its settings
            return
        _, lr, second = OPTIMIZERS[self.name]
        with self.hold_sync(), self.hold_trait_notifications():
            self.lr = lr
            self.beta = None if second is None else second[1]

    # ---------------------------------------------------------------------- reading

    @property
    def path(self):
        """The run the browser shows, followed here with companion.bowl.descend."""
        return bowl.descend(make_optimizer(self.name, self.lr, self.beta), bowl.MAX_STEPS,
                            stop_within=bowl.TOLERANCE)

    @property
    def steps(self):
        """Updates until the path is within companion.bowl.TOLERANCE of the minimum, or None."""
        path = self.path
        return len(path) - 1 if np.hypot(*path[-1]) <= bowl.TOLERANCE else None

    def describe(self):
        """The current run in words, as the line under the figure says it."""
        return describe_run(self.name, self.lr, self.beta, self.path, self.lang)

    def pixels(self):
        """The path in the figure's pixels, (n + 1, 2), to 0.1 px: what the browser draws."""
        return bowl_figure(self.lang).pixels(self.path)

    def snapshot_png(self):
        """The picture with the current path, rendered by matplotlib (PNG bytes)."""
        return bowl_figure(self.lang).snapshot_png(self.path)
