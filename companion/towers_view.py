"""The tower explorer of notebook 07: sliders and draggable tower tops over one figure.

    from companion.towers_view import TowerExplorer
    explorer = TowerExplorer()      # wiggly target, 10 sigmoid towers, steepness w = 200
    explorer                        # shows the controls, the figure and the error in words
    explorer.w = 1000.0             # the state lives in the widget: read it and set it from Python

How it works: the explorer is an anywidget (a Jupyter widget whose front end is one JavaScript
module, companion/towers_widget.js). Every move of a slider or a tower top is computed and drawn in the
browser, in the next animation frame: the tower sum, the ideal towers, the one-tower close-up, the
errors and the challenge verdict, by a line-for-line JavaScript mirror of companion.towers
(tests/test_browser.py checks the two against each other). The kernel hears about each change a
moment later, so the state stays readable here. The still part of the figure (axes, ticks, legends,
the target and its title) is a matplotlib picture per target, rendered once when the first explorer
is made; the y-axis is fixed and spans every height a reader can set, so no move ever needs a new
picture. The same module, the same targets and the same pictures make docs/explorer.html
(`standalone_page`, written by tools/build_explorer_page.py), which needs no Python at all.

Only companion.towers' public functions are used here; companion.towers stays the reference.
"""

import base64
import functools
import io
import json
import math
from pathlib import Path

import anywidget
import matplotlib as mpl
import numpy as np
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure

from companion import towers as T
from companion.plotting import STYLE, pixel_map

HERE = Path(__file__).resolve().parent
JS_PATH = HERE / "towers_widget.js"
CSS_PATH = HERE / "towers_widget.css"

KIND_LABELS = {"sigmoid": "sigmoid", "relu": "ReLU pair"}
MAX_TOWERS = 100

# The zoom panel shows one tower in units of its width: left edge at u = 0, right edge at u = 1.
ZOOM_U = (-1.0, 2.0, 301)  # np.linspace arguments (the browser makes the same points)

# The steepness slider moves log10(w) in steps of 0.05 (12 % per key press), on a grid through the
# default w = 200 so the opening value is exactly on it: w = 200 * 10**(0.05 k), about 3.2 to 10,000.
W_DEFAULT = 200.0
W_LOG_STEP = 0.05
W_STEPS = (-36, 34)

# Every height a reader can set (slider or drag), in steps of HEIGHT_STEP. The y-axis always shows
# this whole range, with a band above it for the legend, so it never has to grow or shrink.
HEIGHT_STEP = 0.01
HEIGHT_RANGE = (-0.25, 1.25)
Y_LIMITS = (-0.35, 1.6)

DPI = 85  # the figure is 9.6 x 3.6 inches: 816 x 306 pixels, shown at that size (it fits JupyterLab's
# output area at a 1280 px wide window with the file browser open)
MIN_SPAN_PX = 10  # the selected tower's shading is never narrower than this (N = 100: 4.6 px each)
MAX_DOTS = 40  # above this many towers the height dots would touch and hide the lines: only the ring


def steepness_grid():
    """Every w the steepness slider can take, smallest first. Shape (71,)."""
    return W_DEFAULT * 10.0 ** (W_LOG_STEP * np.arange(W_STEPS[0], W_STEPS[1] + 1))


def format_w(w):
    """One way to write a steepness (readout, status line): whole numbers from 100 up, else three
    significant digits, as the browser's formatW writes it (Number.toPrecision(3))."""
    w = float(w)
    return str(round(w)) if w >= 100 else f"{w:#.3g}".rstrip(".")


def describe_state(target, n, w, kind, heights, bound, heights_source):
    """The status line under the figure, in words (the browser writes the same sentence)."""
    e = T.fit_error(target, heights, w, kind)
    units = f"{KIND_LABELS[kind]} tower{'' if n == 1 else 's'}"
    head = (f"{n} {units} at steepness w = {format_w(w)}: the sum is at most {e.max_abs:.3f} away "
            f"from the target (mean {e.mean_abs:.3f}).")
    if e.max_abs <= bound:
        verdict = f"Within the challenge bound {bound:g}."
    else:
        verdict = f"The challenge bound is {bound:g}: not there yet."
    return f"{head} {verdict} Heights: {heights_source}."


# --------------------------------------------------------------------------- the figure


def _rc():
    """The series' figure style over matplotlib's defaults, whatever the session has set: the pictures
    (and docs/explorer.html) come out the same in a notebook, a test or the page builder."""
    rc = {key: value for key, value in mpl.rcParamsDefault.items() if key != "backend"}
    return {**rc, **STYLE}


def _hex(colour):
    return to_hex(to_rgba(colour)[:3])


class TowerFigure:
    """The explorer's matplotlib figure: the still part per target, and every moving artist.

    The browser draws the moving artists itself over `background_png(target)`; `snapshot_png(...)`
    is matplotlib's own rendering of a whole state, which the browser test compares it with.
    """

    def __init__(self):
        with mpl.rc_context(_rc()):
            self._build()

    def _build(self):
        self.fig = Figure(figsize=(9.6, 3.6), dpi=DPI, layout="constrained")
        FigureCanvasAgg(self.fig)
        self.ax, self.ax_zoom = self.fig.subplots(1, 2, width_ratios=[1.9, 1])
        ax, az = self.ax, self.ax_zoom

        # Left: the towers over the target, the selected tower shaded and ringed.
        (self.line_target,) = ax.plot([], [], color="black", lw=1.5, label="target")
        (self.line_ideal,) = ax.plot([], [], color="0.55", lw=1.2, ls="--", label="ideal towers",
                                     drawstyle="steps-post")
        (self.line_sum,) = ax.plot([], [], color="C0", lw=2.0, label="sum of towers")
        (self.line_heights,) = ax.plot([], [], "o", color="C3", ms=3.5, label="heights")
        (self.line_selected,) = ax.plot([], [], "o", ms=9.0, mfc="none", mec="C3", mew=1.5)
        self.span = ax.axvspan(0, 0.1, color="C1", alpha=0.2, lw=0)
        ax.set_xlim(0, 1)
        ax.set_ylim(*Y_LIMITS)
        ax.set_yticks([0.0, 0.5, 1.0])
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.legend(handles=[self.line_target, self.line_ideal, self.line_sum, self.line_heights],
                  loc="upper left", ncols=4, fontsize=9)

        # Right: one tower of height 1 up close, the ideal steps beside the real units.
        u = np.linspace(*ZOOM_U)
        az.plot(u, T.ideal_step(u, 0.0), color="0.55", lw=1.2, ls="--", label="ideal steps")
        az.plot(u, -T.ideal_step(u, 1.0), color="0.55", lw=1.2, ls="--")
        (self.line_up,) = az.plot([], [], color="C2", lw=1.5, label="left step")
        (self.line_down,) = az.plot([], [], color="C4", lw=1.5, label="minus right step")
        (self.line_tower,) = az.plot([], [], color="C0", lw=2.0, label="tower (sum)")
        az.set_xlim(u[0], u[-1])
        az.set_ylim(-1.15, 2.05)  # the band above 1.1 holds the legend
        az.set_yticks([-1.0, -0.5, 0.0, 0.5, 1.0])
        az.set_xlabel("(x - left edge) / tower width")
        az.set_ylabel("unit output")
        az.legend(loc="upper center", ncols=2, fontsize=9, columnspacing=1.0, handlelength=1.5)
        az.set_title("one tower of height 1, up close", fontsize=11)
        self.moving = [self.span, self.line_ideal, self.line_sum, self.line_heights, self.line_selected,
                       self.line_up, self.line_down, self.line_tower]

        # Lay the figure out once, with the longest title, then freeze it: every target's picture
        # then has its axes in the same pixels, and the browser needs one pixel map per axes.
        longest = max(T.TARGETS.values(), key=lambda t: len(t.formula))
        self._set_target(longest.name)
        for _ in range(3):
            self.fig.canvas.draw()
        self.fig.set_layout_engine("none")

    def _set_target(self, name):
        f = T.get_target(name)
        self.line_target.set_data(T.GRID, f(T.GRID))
        self.ax.set_title(f"target: {f.formula}", fontsize=11)

    def _png(self):
        buffer = io.BytesIO()
        with mpl.rc_context(_rc()):
            self.fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
        return buffer.getvalue()

    def background_png(self, target):
        """The still part for `target`: axes, ticks, legends, the target and its title (PNG bytes)."""
        self._set_target(target)
        for artist in self.moving:
            artist.set_visible(False)
        return self._png()

    def styles(self):
        """How the browser must draw each moving artist, read off the artists (pixels, colours)."""
        k = DPI / 72.0  # pixels per point
        caps = {"butt": "butt", "round": "round", "projecting": "square"}

        def line(artist):
            dashed = artist.get_linestyle() == "--"
            return {"color": _hex(artist.get_color()), "alpha": 1.0, "width": artist.get_linewidth() * k,
                    # matplotlib keeps its dash pattern (points, scaled by the line width) in
                    # _dash_pattern and offers no getter for it
                    "dash": [v * k for v in artist._dash_pattern[1]] if dashed else None,
                    "cap": caps[artist.get_dash_capstyle() if dashed else artist.get_solid_capstyle()],
                    "join": artist.get_dash_joinstyle() if dashed else artist.get_solid_joinstyle()}

        def marker(artist):
            face = artist.get_markerfacecolor()
            return {"face": "none" if face == "none" else _hex(face),
                    "edge": _hex(artist.get_markeredgecolor()),
                    "edge_width": artist.get_markeredgewidth() * k,
                    "radius": artist.get_markersize() * k / 2, "alpha": 1.0}

        return {"span": {"color": _hex(self.span.get_facecolor()), "alpha": self.span.get_alpha()},
                "ideal": line(self.line_ideal), "sum": line(self.line_sum),
                "heights": marker(self.line_heights), "selected": marker(self.line_selected),
                "up": line(self.line_up), "down": line(self.line_down), "tower": line(self.line_tower)}

    def spec(self):
        """Everything the browser needs to draw the figure (JSON): sizes, pixel maps, styles, and
        the still picture of every target as a data: URL."""
        backgrounds = {name: "data:image/png;base64," + base64.b64encode(self.background_png(name)).decode()
                       for name in T.TARGETS}
        return {"width": self.fig.bbox.width, "height": self.fig.bbox.height,
                "main": pixel_map(self.ax), "zoom": pixel_map(self.ax_zoom),
                "styles": self.styles(), "backgrounds": backgrounds,
                "height_range": list(HEIGHT_RANGE), "height_step": HEIGHT_STEP, "zoom_u": list(ZOOM_U),
                "max_condition": T.MAX_CONDITION, "max_towers": MAX_TOWERS, "min_span_px": MIN_SPAN_PX,
                "max_dots": MAX_DOTS}

    def snapshot_png(self, target, n, w, kind, heights, selected):
        """matplotlib's rendering of the whole figure in this state (PNG bytes)."""
        self.snapshot(target, n, w, kind, heights, selected)
        return self._png()

    def snapshot(self, target, n, w, kind, heights, selected):
        """The figure with every artist set to this state (the Figure itself, to show or save)."""
        self._set_target(target)
        h = np.asarray(heights, dtype=np.float64)
        edges, centres = T.tower_edges(n), T.tower_centres(n)
        self.line_ideal.set_data(edges, np.append(h, h[-1]))
        self.line_sum.set_data(T.GRID, T.tower_sum(T.GRID, h, w, kind))
        shown = n <= MAX_DOTS
        self.line_heights.set_data(centres if shown else [], h if shown else [])
        self.line_selected.set_data([centres[selected]], [h[selected]])
        # the shading is at least MIN_SPAN_PX wide, centred on the tower
        width = max(edges[selected + 1] - edges[selected], MIN_SPAN_PX / pixel_map(self.ax)["sx"])
        self.span.set_x(centres[selected] - width / 2)
        self.span.set_width(width)
        u = np.linspace(*ZOOM_U)
        up, down = T.step(u, 0.0, w / n, kind), -T.step(u, 1.0, w / n, kind)
        self.line_up.set_data(u, up)
        self.line_down.set_data(u, down)
        self.line_tower.set_data(u, up + down)
        for artist in self.moving:
            artist.set_visible(True)
        return self.fig


@functools.cache
def tower_figure():
    """The one TowerFigure of this process (its layout is the same for every explorer)."""
    return TowerFigure()


@functools.cache
def figure_spec():
    """tower_figure().spec(), rendered once: four small pictures."""
    return tower_figure().spec()


def targets_js():
    """The JavaScript prelude of the front end: every target of companion.towers.TARGETS as a function."""
    lines = [f"  {json.dumps(t.name)}: (x) => {t.js}," for t in T.TARGETS.values()]
    return "const TARGET_FUNCTIONS = Object.freeze({\n" + "\n".join(lines) + "\n});\n"


def esm_source():
    """The front end as anywidget loads it: the targets, then companion/towers_widget.js."""
    return targets_js() + JS_PATH.read_text(encoding="utf-8")


def initial_state(target="wiggly", n=10, w=W_DEFAULT, kind="sigmoid", bound=0.05):
    """The explorer's opening state: the heights are the target read off at each centre."""
    return {"target": target, "kind": kind, "w": float(w), "n": int(n),
            "heights": T.fit_heights(target, int(n)).tolist(), "selected": (int(n) - 1) // 2,
            "bound": float(bound), "heights_source": "the target read off at each centre"}


# --------------------------------------------------------------------------- the widget


def _state(trait):
    # A value the browser sends is not echoed back to it: it already shows it (ipywidgets' trait
    # metadata echo_update=False, which its own FileUpload uses).
    return trait.tag(sync=True, echo_update=False)


class TowerExplorer(anywidget.AnyWidget):
    """Sliders for steepness w, number of towers N, the target, the units and each tower's height;
    tower tops that can be dragged; the error and the challenge verdict under the figure.

    State (read it and set it): target (a name from companion.towers.TARGETS), kind ("sigmoid" or
    "relu"), w, n (1..100), heights (n floats), selected (index of the tower being edited), bound
    (of the challenge), heights_source (how the heights were set, in words). Setting n or target
    from Python resets the heights to the target read off at each centre, as the sliders do.
    `error` and `describe()` compute here, with companion.towers, what the browser shows.
    """

    _esm = esm_source()
    _css = CSS_PATH.read_text(encoding="utf-8")

    target = _state(traitlets.Unicode("wiggly"))
    kind = _state(traitlets.Unicode("sigmoid"))
    w = _state(traitlets.Float(W_DEFAULT))
    n = _state(traitlets.Int(10))
    heights = _state(traitlets.List(traitlets.Float()))
    selected = _state(traitlets.Int(4))
    bound = _state(traitlets.Float(0.05))
    heights_source = _state(traitlets.Unicode(""))
    # sent once: the slider's steepnesses, the targets for the menu, the figure
    w_grid = traitlets.List(traitlets.Float()).tag(sync=True)
    targets = traitlets.List().tag(sync=True)
    figure = traitlets.Dict().tag(sync=True)

    def __init__(self, target="wiggly", n=10, w=W_DEFAULT, kind="sigmoid", bound=0.05):
        self._from_browser = False
        super().__init__(**initial_state(T.get_target(target).name, n, w, kind, bound),
                         w_grid=steepness_grid().tolist(),
                         targets=[[t.name, t.formula] for t in T.TARGETS.values()],
                         figure=figure_spec())

    # What a notebook shows for this cell before its kernel runs (the widget needs a kernel).
    def __repr__(self):
        return ("Tower explorer: sliders for the steepness w, the number of towers N and each tower's "
                "height over one figure of the towers and the target. Run the notebook (Run > Run All "
                "Cells) to start it.")

    def set_state(self, sync_data):
        """A change from the browser: it has already reset the heights for a new N or target."""
        self._from_browser = True
        try:
            super().set_state(sync_data)
        finally:
            self._from_browser = False

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
        if self._from_browser:
            return
        with self.hold_sync():
            self.selected = min(self.selected, self.n - 1)
            self.heights = T.fit_heights(self.target, self.n).tolist()
            self.heights_source = "the target read off at each centre"

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


# ------------------------------------------------------------------------ the page


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tower explorer: universal approximation with sigmoid towers（万能近似定理）</title>
<style>
body {{ margin: 24px; color: #1f2328; line-height: 1.5;
       font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans", "Noto Sans CJK SC", sans-serif; }}
main {{ max-width: 880px; }}
h1 {{ font-size: 22px; margin: 0 0 8px; }}
p {{ max-width: 850px; }}
{css}</style>
</head>
<body>
<main>
<h1>Tower explorer（万能近似定理）</h1>
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
explorer in Notebook 07, which checks it against the project's Python.</p>
</main>
<script type="module">
{js}
const model = pageModel({state});
render({{ model, el: document.getElementById("explorer") }});
// for tests/test_browser.py: the math, to compare with companion.towers
window.towerMath = {{ linspace, GRID, towerEdges, towerCentres, sigmoid, step, towerSum, towerBasis,
                      fitError, zoomTower, solve, conditionNumber, fitHeights, centreHeights, formatW,
                      describe, TARGET_FUNCTIONS, model }};
</script>
</body>
</html>
"""


def standalone_page():
    """docs/explorer.html: the explorer with no Python, from the same JavaScript, targets and pictures."""
    state = {**initial_state(), "w_grid": steepness_grid().tolist(),
             "targets": [[t.name, t.formula] for t in T.TARGETS.values()], "figure": figure_spec()}
    return PAGE.format(css=CSS_PATH.read_text(encoding="utf-8"), js=esm_source(),
                       state=json.dumps(state, separators=(",", ":")))
