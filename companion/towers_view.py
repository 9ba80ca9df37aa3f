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
from companion.towers_figure import MAX_TOWERS, figure_spec, tower_figure

KIND_LABELS = {"sigmoid": "sigmoid", "relu": "ReLU pair"}
READ_OFF = "the target read off at each centre"

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


def describe_state(target, n, w, kind, heights, bound, heights_source):
    """The status line under the figure, in words (the browser's describe writes the same sentence)."""
    e = T.fit_error(target, heights, w, kind)
    units = f"{KIND_LABELS[kind]} tower{'' if n == 1 else 's'}"
    head = (f"{n} {units} at steepness w = {format_w(w)}: the sum is at most {e.max_abs:.3f} away "
            f"from the target (mean {e.mean_abs:.3f}).")
    if e.max_abs <= bound:
        verdict = f"Within the challenge bound {bound:g}."
    else:
        verdict = f"The challenge bound is {bound:g}: not there yet."
    return f"{head} {verdict} Heights: {heights_source}."


def targets_js():
    """The JavaScript prelude of the front end: every target of companion.towers.TARGETS as a function."""
    lines = [f"  {json.dumps(t.name)}: (x) => {t.js}," for t in T.TARGETS.values()]
    return "const TARGET_FUNCTIONS = Object.freeze({\n" + "\n".join(lines) + "\n});\n"


def esm_source():
    """The front end as one ES module: the targets, the math, the shared controls, the widget."""
    return targets_js() + source("towers_math.js", "controls.js", "towers_widget.js")


def initial_state(target="wiggly", n=10, w=W_DEFAULT, kind="sigmoid", bound=0.05):
    """The explorer's opening state: the heights are the target read off at each centre."""
    return {"target": target, "kind": kind, "w": float(w), "n": int(n),
            "heights": T.fit_heights(target, int(n)).tolist(), "selected": (int(n) - 1) // 2,
            "bound": float(bound), "heights_source": READ_OFF}


def sent_once():
    """What the front end reads once: the slider's steepnesses, the targets for the menu, the figure."""
    return {"w_grid": steepness_grid().tolist(), "targets": [[t.name, t.formula] for t in T.TARGETS.values()],
            "figure": figure_spec()}


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

    def __init__(self, target="wiggly", n=10, w=W_DEFAULT, kind="sigmoid", bound=0.05):
        super().__init__(**initial_state(T.get_target(target).name, n, w, kind, bound), **sent_once())

    # What a notebook shows for this cell before its kernel runs (the widget needs a kernel).
    def __repr__(self):
        return ("Tower explorer: sliders for the steepness w, the number of towers N and each tower's "
                "height over one figure of the towers and the target. Run the notebook (Run > Run All "
                "Cells) to start it.")

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
            self.heights_source = READ_OFF

    # ---------------------------------------------------------------------- reading

    @property
    def error(self):
        """companion.towers.ApproxError of the current state on companion.towers.GRID."""
        return T.fit_error(self.target, self.heights, self.w, self.kind)

    def describe(self):
        """The status line under the figure, computed here with companion.towers."""
        return describe_state(self.target, self.n, self.w, self.kind, self.heights, self.bound,
                              self.heights_source)

    def auto_fit(self):
        """Heights that make the sum meet the target at every centre, for this w and these units
        (what the auto-fit button does in the browser)."""
        try:
            h = T.fit_heights(self.target, self.n, self.w, self.kind)
            source = f"auto-fitted for w = {format_w(self.w)}"
        except ValueError:
            # w is too gentle for this N: the exact heights would have to cancel each other out.
            h = T.fit_heights(self.target, self.n)
            source = (f"the target at each centre (w below about {format_w(1.3 * self.n)} is too gentle "
                      "to auto-fit)")
        with self.hold_sync():
            self.heights = h.tolist()
            self.heights_source = source

    def snapshot_png(self):
        """matplotlib's rendering of what the explorer shows now (PNG bytes)."""
        return tower_figure().snapshot_png(*self._drawn())

    def snapshot_figure(self):
        """What the explorer shows now, as a matplotlib Figure (for companion.plotting.show)."""
        return tower_figure().snapshot(*self._drawn())

    def _drawn(self):
        return self.target, self.n, self.w, self.kind, self.heights, self.selected
