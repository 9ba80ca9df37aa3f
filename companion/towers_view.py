"""The tower explorer of notebook 07: a front-end widget with sliders and draggable tower tops.

    from companion.towers_view import TowerExplorer
    explorer = TowerExplorer()      # wiggly target, 10 sigmoid towers, steepness w = 200
    explorer                        # shows the controls, the figure and the error in words
    explorer.w = 1000.0             # the state lives in the widget: read it and set it from Python

The explorer is an anywidget: its front end is one ES module made of companion/static/towers_math.js
(a line-for-line mirror of companion.towers: every move is computed in the browser, in the next
animation frame), controls.js and towers_widget.js (controls, drawing, pointer handling, model sync).
The kernel hears about each change a moment later, so the state stays readable here, and `error`,
`describe()` and the snapshots compute it again with companion.towers. The figure's still part comes
from companion.towers_figure; docs/explorer.html (companion.explorer_page) is the same front end with
no Python at all.
"""

import json
import math

import numpy as np
import traitlets

from companion import towers as T
from companion.assets import read, source
from companion.explorer_widget import ExplorerWidget, synced
from companion.language import check_language, language
from companion.towers_figure import MAX_TOWERS, figure_spec, tower_figure

KIND_LABELS = {"sigmoid": "sigmoid", "relu": "ReLU pair"}

# Every word the explorer writes, in each language of companion.language: the controls, the status
# line (templates: {name} is filled in; the browser's describe fills the same ones) and the heights'
# sources. The front end gets the reader's language's table once; the numbers are written alike.
WORDS = {
    "en": {"target": "target", "units": "units", "kinds": KIND_LABELS, "auto_fit": "auto-fit heights",
           "auto_fit_title": "heights that make the sum meet the target at each centre",
           "steepness": "steepness w", "towers": "towers N", "edit": "edit tower", "height": "its height",
           "figure": "Tower explorer figure.", "sep": " ",
           "tower_one": "{n} {kind} tower", "tower_many": "{n} {kind} towers",
           "head": ("{towers} at steepness w = {w}: the sum is at most {max} away from the target "
                    "(mean {mean})."),
           "within": "Within the challenge bound {bound}.",
           "not_yet": "The challenge bound is {bound}: not there yet.",
           "tail": "Heights: {source}.", "read_off": "the target read off at each centre",
           "by_hand": "edited by hand", "auto_fitted": "auto-fitted for w = {w}",
           "too_gentle": "the target at each centre (w below about {w} is too gentle to auto-fit)"},
    "zh": {"target": "目标函数", "units": "神经元", "kinds": {"sigmoid": "sigmoid", "relu": "ReLU 对"},
           "auto_fit": "自动拟合高度", "auto_fit_title": "让塔之和在每个中心都经过目标函数的高度",
           "steepness": "陡度 w", "towers": "塔数 N", "edit": "编辑第几座塔", "height": "它的高度",
           "figure": "塔探索器的图。", "sep": "",
           "tower_one": "{n} 座 {kind} 塔", "tower_many": "{n} 座 {kind} 塔",
           "head": "{towers}，陡度 w = {w}：塔之和与目标函数最多相差 {max}（平均 {mean}）。",
           "within": "已在挑战的界 {bound} 之内。", "not_yet": "挑战的界是 {bound}：还没有达到。",
           "tail": "高度：{source}。", "read_off": "各中心处读出的目标函数值",
           "by_hand": "手动编辑", "auto_fitted": "按 w = {w} 自动拟合",
           "too_gentle": "各中心处的目标函数值（w 低于约 {w} 时太平缓，无法自动拟合）"},
}

# The steepness slider moves log10(w) in steps of 0.05 (12 % per key press), on a grid through the
# default w = 200 so the opening value is exactly on it: w = 200 * 10**(0.05 k), about 3.2 to 10,000.
W_DEFAULT = 200.0
W_LOG_STEP = 0.05
W_STEPS = (-36, 34)


def steepness_grid():
    """Every w the steepness slider can take, smallest first. Shape (71,)."""
    return W_DEFAULT * 10.0 ** (W_LOG_STEP * np.arange(W_STEPS[0], W_STEPS[1] + 1))


def format_w(w):
    """One way to write a steepness (readout, status line): whole numbers from 100 up, else three
    significant digits, as the browser's formatW writes it (Number.toPrecision(3))."""
    w = float(w)
    return str(round(w)) if w >= 100 else f"{w:#.3g}".rstrip(".")


# What a notebook shows for the explorer's cell before its kernel runs (the widget needs a kernel).
BEFORE_KERNEL = {
    "en": "Tower explorer: sliders for the steepness w, the number of towers N and each tower's height over "
          "one figure of the towers and the target. Run the notebook (Run > Run All Cells) to start it.",
    "zh": "塔的探索器：一张塔与目标函数的图，上面是调节陡峭程度 w、塔的个数 N 和每座塔的高度的滑块。"
          "运行本笔记本（菜单“运行 > 运行所有单元格”，英文界面为 Run > Run All Cells）即可启动。",
}


def describe_state(target, n, w, kind, heights, bound, heights_source, lang="en"):
    """The status line under the figure, in words of `lang` (the browser's describe writes the same
    sentence from the same WORDS)."""
    words = WORDS[check_language(lang, "describe_state")]
    e = T.fit_error(target, heights, w, kind)
    towers = words["tower_one" if n == 1 else "tower_many"].format(n=n, kind=words["kinds"][kind])
    head = words["head"].format(towers=towers, w=format_w(w), max=f"{e.max_abs:.3f}",
                                mean=f"{e.mean_abs:.3f}")
    verdict = words["within" if e.max_abs <= bound else "not_yet"].format(bound=f"{bound:g}")
    return words["sep"].join([head, verdict, words["tail"].format(source=heights_source)])


def targets_js():
    """The JavaScript prelude of the front end: every target of companion.towers.TARGETS as a function."""
    lines = [f"  {json.dumps(t.name)}: (x) => {t.js}," for t in T.TARGETS.values()]
    return "const TARGET_FUNCTIONS = Object.freeze({\n" + "\n".join(lines) + "\n});\n"


def esm_source():
    """The front end as one ES module: the targets, the math, the shared controls, the widget."""
    return targets_js() + source("towers_math.js", "controls.js", "towers_widget.js")


def initial_state(target="wiggly", n=10, w=W_DEFAULT, kind="sigmoid", bound=0.05, lang="en"):
    """The explorer's opening state: the heights are the target read off at each centre."""
    return {"target": target, "kind": kind, "w": float(w), "n": int(n),
            "heights": T.fit_heights(target, int(n)).tolist(), "selected": (int(n) - 1) // 2,
            "bound": float(bound), "heights_source": WORDS[check_language(lang, "initial_state")]["read_off"]}


def sent_once(lang="en"):
    """What the front end reads once: the slider's steepnesses, the targets for the menu, the figure,
    the words of `lang`."""
    return {"w_grid": steepness_grid().tolist(), "targets": [[t.name, t.formula] for t in T.TARGETS.values()],
            "figure": figure_spec(check_language(lang, "sent_once")), "words": WORDS[lang]}


class TowerExplorer(ExplorerWidget):
    """Sliders for steepness w, number of towers N, the target, the units and each tower's height;
    tower tops that can be dragged; the error and the challenge verdict under the figure.

    State (read it and set it): target (a name from companion.towers.TARGETS), kind ("sigmoid" or
    "relu"), w, n (1..100), heights (n floats), selected (index of the tower being edited), bound
    (of the challenge), heights_source (how the heights were set, in words). Setting n or target
    from Python resets the heights to the target read off at each centre, as the sliders do.
    `error` and `describe()` compute here, with companion.towers, what the browser shows.
    """

    _esm = esm_source()
    _css = read("explorer.css")

    target = synced(traitlets.Unicode("wiggly"))
    kind = synced(traitlets.Unicode("sigmoid"))
    w = synced(traitlets.Float(W_DEFAULT))
    n = synced(traitlets.Int(10))
    heights = synced(traitlets.List(traitlets.Float()))
    selected = synced(traitlets.Int(4))
    bound = synced(traitlets.Float(0.05))
    heights_source = synced(traitlets.Unicode(""))
    # sent once: the slider's steepnesses, the targets for the menu, the figure
    w_grid = traitlets.List(traitlets.Float()).tag(sync=True)
    targets = traitlets.List().tag(sync=True)
    figure = traitlets.Dict().tag(sync=True)
    words = traitlets.Dict().tag(sync=True)

    def __init__(self, target="wiggly", n=10, w=W_DEFAULT, kind="sigmoid", bound=0.05, lang=None):
        """lang: "en" or "zh", the language of the controls, the status line and the figure; by default
        the one companion.plotting.use_style(lang=...) chose (companion.language)."""
        self.lang = check_language(language() if lang is None else lang, "TowerExplorer")
        super().__init__(**initial_state(T.get_target(target).name, n, w, kind, bound, self.lang),
                         **sent_once(self.lang))

    def __repr__(self):
        return BEFORE_KERNEL[self.lang]

    # ---------------------------------------------------------------------- checks

    @traitlets.validate("target")
    def _valid_target(self, proposal):
        name = proposal["value"]
        if name not in T.TARGETS:
            raise ValueError(f"unknown target {name!r}; choose one of {sorted(T.TARGETS)}")
        return name

    @traitlets.validate("kind")
    def _valid_kind(self, proposal):
        if proposal["value"] not in KIND_LABELS:
            raise ValueError(f"kind must be one of {sorted(KIND_LABELS)}, got {proposal['value']!r}")
        return proposal["value"]

    @traitlets.validate("w")
    def _valid_w(self, proposal):
        w = proposal["value"]
        if not (math.isfinite(w) and w > 0):
            raise ValueError(f"steepness w must be a finite number > 0, got {w}")
        return w

    @traitlets.validate("n")
    def _valid_n(self, proposal):
        n = proposal["value"]
        if not 1 <= n <= MAX_TOWERS:
            raise ValueError(f"the number of towers N must be 1 to {MAX_TOWERS}, got {n}")
        return n

    @traitlets.validate("heights")
    def _valid_heights(self, proposal):
        h = np.asarray(proposal["value"], dtype=np.float64)
        if h.shape != (self.n,) or not np.isfinite(h).all():
            raise ValueError(f"heights must be {self.n} finite numbers (one per tower), "
                             f"got {proposal['value']!r}")
        return h.tolist()

    @traitlets.validate("selected")
    def _valid_selected(self, proposal):
        k = proposal["value"]
        if not 0 <= k < self.n:
            raise ValueError(f"selected must be a tower index 0 to {self.n - 1}, got {k}")
        return k

    # ----------------------------------------------------------- changes made in Python

    @traitlets.observe("n", "target")
    def _reset_heights(self, change):
        if self.from_browser:  # the browser sends the heights with N or the target
            return
        with self.hold_sync():
            self.selected = min(self.selected, self.n - 1)
            self.heights = T.fit_heights(self.target, self.n).tolist()
            self.heights_source = WORDS[self.lang]["read_off"]

    # ---------------------------------------------------------------------- reading

    @property
    def error(self):
        """companion.towers.ApproxError of the current state on companion.towers.GRID."""
        return T.fit_error(self.target, self.heights, self.w, self.kind)

    def describe(self):
        """The status line under the figure, computed here with companion.towers."""
        return describe_state(self.target, self.n, self.w, self.kind, self.heights, self.bound,
                              self.heights_source, self.lang)

    def auto_fit(self):
        """Heights that make the sum meet the target at every centre, for this w and these units
        (what the auto-fit button does in the browser)."""
        try:
            h = T.fit_heights(self.target, self.n, self.w, self.kind)
            source = WORDS[self.lang]["auto_fitted"].format(w=format_w(self.w))
        except ValueError:
            # w is too gentle for this N: the exact heights would have to cancel each other out.
            h = T.fit_heights(self.target, self.n)
            source = WORDS[self.lang]["too_gentle"].format(w=format_w(1.3 * self.n))
        with self.hold_sync():
            self.heights = h.tolist()
            self.heights_source = source

    def snapshot_png(self):
        """matplotlib's rendering of what the explorer shows now (PNG bytes)."""
        return tower_figure(self.lang).snapshot_png(*self._drawn())

    def snapshot_figure(self):
        """What the explorer shows now, as a matplotlib Figure (for companion.plotting.show)."""
        return tower_figure(self.lang).snapshot(*self._drawn())

    def _drawn(self):
        return self.target, self.n, self.w, self.kind, self.heights, self.selected
