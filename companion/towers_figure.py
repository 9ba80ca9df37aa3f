"""The tower explorer's matplotlib figure: the still picture per target and every moving artist.

    from companion.towers_figure import tower_figure, figure_spec
    figure_spec()                                      # what the browser draws with (JSON)
    tower_figure().snapshot(target, n, w, kind, heights, selected)   # a whole state, as a Figure

The browser (companion/static/towers_widget.js) draws the moving lines itself over the still picture
of the current target; the y-axis is fixed and spans every height a reader can set, so no move ever
needs a new picture. `snapshot` is matplotlib's own rendering of a state: the picture stored in
notebook 07 for readers without a kernel, and what the browser tests compare the canvas with.
"""

import base64
import functools
import io

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure

from companion import towers as T
from companion.language import check_language
from companion.plotting import STYLE, cjk_fonts, pixel_map

MAX_TOWERS = 100

# The zoom panel shows one tower in units of its width: left edge at u = 0, right edge at u = 1.
ZOOM_U = (-1.0, 2.0, 301)  # np.linspace arguments (the browser makes the same points)

# Every height a reader can set (slider or drag), in steps of HEIGHT_STEP. The y-axis always shows
# this whole range, with a band above it for the legend, so it never has to grow or shrink.
HEIGHT_STEP = 0.01
HEIGHT_RANGE = (-0.25, 1.25)
Y_LIMITS = (-0.35, 1.6)

DPI = 85  # the figure is 9.6 x 3.6 inches: 816 x 306 pixels, shown at that size (it fits JupyterLab's
# output area at a 1280 px wide window with the file browser open)
MIN_SPAN_PX = 10  # the selected tower's shading is never narrower than this (N = 100: 4.6 px each)
MAX_DOTS = 40  # above this many towers the height dots would touch and hide the lines: only the ring

# The figure's words, in each language of companion.language.
LABELS = {
    "en": {"target": "target", "ideal": "ideal towers", "sum": "sum of towers", "heights": "heights",
           "ideal_steps": "ideal steps", "up": "left step", "down": "minus right step",
           "tower": "tower (sum)",
           "zoom_x": "(x - left edge) / tower width", "zoom_y": "unit output",
           "zoom_title": "one tower of height 1, up close", "title": "target: {formula}"},
    "zh": {"target": "目标函数", "ideal": "理想的塔", "sum": "塔之和", "heights": "高度",
           "ideal_steps": "理想的阶跃", "up": "左阶跃", "down": "减去右阶跃", "tower": "塔（两者之和）",
           "zoom_x": "(x - 左边缘) / 塔宽", "zoom_y": "神经元的输出",
           "zoom_title": "一座高为 1 的塔的特写", "title": "目标函数：{formula}"},
}



def _rc():
    """The series' figure style over matplotlib's defaults, whatever the session has set: the pictures
    (and docs/explorer.html) come out the same in a notebook, a test or the page builder. Latin text
    in DejaVu Sans, Chinese in the first CJK font installed (companion.plotting.cjk_fonts)."""
    rc = {key: value for key, value in mpl.rcParamsDefault.items() if key != "backend"}
    return {**rc, **STYLE, "font.family": ["DejaVu Sans", *cjk_fonts()]}


def _hex(colour):
    return to_hex(to_rgba(colour)[:3])


class TowerFigure:
    """The explorer's matplotlib figure: the still part per target, and every moving artist.

    The browser draws the moving artists itself over `background_png(target)`; `snapshot_png(...)`
    is matplotlib's own rendering of a whole state, which the browser test compares it with.
    """

    def __init__(self, lang="en"):
        self.words = LABELS[check_language(lang, "TowerFigure")]
        with mpl.rc_context(_rc()):
            self._build()

    def _build(self):
        self.fig = Figure(figsize=(9.6, 3.6), dpi=DPI, layout="constrained")
        FigureCanvasAgg(self.fig)
        self.ax, self.ax_zoom = self.fig.subplots(1, 2, width_ratios=[1.9, 1])
        ax, az = self.ax, self.ax_zoom

        # Left: the towers over the target, the selected tower shaded and ringed.
        (self.line_target,) = ax.plot([], [], color="black", lw=1.5, label=self.words["target"])
        (self.line_ideal,) = ax.plot([], [], color="0.55", lw=1.2, ls="--", label=self.words["ideal"],
                                     drawstyle="steps-post")
        (self.line_sum,) = ax.plot([], [], color="C0", lw=2.0, label=self.words["sum"])
        (self.line_heights,) = ax.plot([], [], "o", color="C3", ms=3.5, label=self.words["heights"])
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
        az.plot(u, T.ideal_step(u, 0.0), color="0.55", lw=1.2, ls="--", label=self.words["ideal_steps"])
        az.plot(u, -T.ideal_step(u, 1.0), color="0.55", lw=1.2, ls="--")
        (self.line_up,) = az.plot([], [], color="C2", lw=1.5, label=self.words["up"])
        (self.line_down,) = az.plot([], [], color="C4", lw=1.5, label=self.words["down"])
        (self.line_tower,) = az.plot([], [], color="C0", lw=2.0, label=self.words["tower"])
        az.set_xlim(u[0], u[-1])
        az.set_ylim(-1.15, 2.05)  # the band above 1.1 holds the legend
        az.set_yticks([-1.0, -0.5, 0.0, 0.5, 1.0])
        az.set_xlabel(self.words["zoom_x"])
        az.set_ylabel(self.words["zoom_y"])
        az.legend(loc="upper center", ncols=2, fontsize=9, columnspacing=1.0, handlelength=1.5)
        az.set_title(self.words["zoom_title"], fontsize=11)
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
        self.ax.set_title(self.words["title"].format(formula=f.formula), fontsize=11)

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


def tower_figure(lang="en"):
    """The one TowerFigure of this process in `lang` (its layout is the same for every explorer)."""
    return _figures(check_language(lang, "tower_figure"))


def figure_spec(lang="en"):
    """tower_figure(lang).spec(), rendered once: four small pictures."""
    return _specs(check_language(lang, "figure_spec"))


@functools.cache
def _figures(lang):
    return TowerFigure(lang)


@functools.cache
def _specs(lang):
    return _figures(lang).spec()
