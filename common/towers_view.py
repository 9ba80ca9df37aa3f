"""The tower explorer: ipywidgets sliders over one matplotlib figure (the math is in common.towers).

    from common.towers_view import TowerExplorer
    explorer = TowerExplorer()      # wiggly target, 10 sigmoid towers, steepness w = 200
    explorer                        # shows the controls, the figure and the error in words

Why it is built this way: the project has no ipympl, and a figure re-made on every slider move is far
too slow. So there is one Figure, drawn by Agg and never through pyplot (so no stray "<Figure ...>"
output appears). Its moving artists are marked animated and updated in place with set_data. The rest
of the figure (axes, ticks, legends, the target) is rendered once into an ipywidgets.Image; the
moving artists are sent as a small SVG in the same pixels (common.svg_layer) to an ipywidgets.HTML
laid exactly over it. A slider move re-sends only that SVG: no rendering, no PNG to encode in the
kernel or decode in the browser. The picture underneath is re-rendered only when the axes themselves
change (a new target, or a height outside the current y range). Text never moves: the numbers go to
the status line under the figure.
"""

import math
import struct
import time
import zlib
from collections import deque

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from traitlets import CFloat, CInt

from common import towers as T
from common.svg_layer import SvgLayer

KIND_LABELS = {"sigmoid": "sigmoid", "relu": "ReLU pair"}

# The zoom panel shows one tower in units of its width: left edge at u = 0, right edge at u = 1.
ZOOM_U = np.linspace(-1.0, 2.0, 301)

# The steepness slider moves log10(w) in steps of 0.05 (12 % per key press), on a grid through the
# default w = 200 so the opening value is exactly on it: w = 200 * 10**(0.05 k), about 3.2 to 10,000.
W_DEFAULT = 200.0
W_LOG_STEP = 0.05
W_LOG_MIN = math.log10(W_DEFAULT) - 36 * W_LOG_STEP
W_LOG_MAX = math.log10(W_DEFAULT) + 34 * W_LOG_STEP
HEIGHT_STEP = 0.01
HEIGHT_RANGE = (-0.5, 1.5)


def steepness_grid():
    """Every w the steepness slider can take, smallest first. Shape (71,)."""
    return W_DEFAULT * 10.0 ** (W_LOG_STEP * np.arange(-36, 35))


# The explorer's sliders do not echo a value back to the browser that sent it (ipywidgets' trait
# metadata echo_update=False, which its own FileUpload uses). The browser already shows that value;
# re-rendering the slider for the echo took ~15 ms of the page's time on every move, while the figure
# for that move was on its way. Only these subclasses change: other sliders still echo.
class _QuietFloatLogSlider(widgets.FloatLogSlider):
    value = CFloat(1.0, help="Float value").tag(sync=True, echo_update=False)


class _QuietFloatSlider(widgets.FloatSlider):
    value = CFloat(0.0, help="Float value").tag(sync=True, echo_update=False)


class _QuietIntSlider(widgets.IntSlider):
    value = CInt(0, help="Int value").tag(sync=True, echo_update=False)


def png_bytes(rgba):
    """An RGBA pixel array (H, W, 4) uint8 as PNG bytes: 8-bit RGB, no row filters, zlib level 1.

    A minimal PNG writer. The explorer encodes a frame on every slider move; this takes about a
    sixth of the time of a general-purpose encoder at its fastest setting (~2.5 ms for 765 x 306
    here). Alpha is dropped: the figure is opaque.
    """
    rgba = np.asarray(rgba)
    if rgba.ndim != 3 or rgba.shape[2] != 4 or rgba.dtype != np.uint8:
        raise ValueError(f"expected an (H, W, 4) uint8 array, got {rgba.shape} {rgba.dtype}")
    height, width = rgba.shape[:2]
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # each row: filter type 0, then pixels
    rgb = rows[:, 1:].reshape(height, width, 3)  # a view into rows
    for channel in range(3):  # one channel at a time: much faster than copying a strided RGB slice
        rgb[..., channel] = rgba[..., channel]

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))


def _ylim_for(values):
    """Room for the data, plus a band at the top for the legend."""
    lo, hi = float(np.min(values)), float(np.max(values))
    span = max(hi - lo, 0.2)
    return lo - 0.08 * span, hi + 0.32 * span


class TowerExplorer:
    """Sliders for steepness w, number of towers N, the target and each tower's height.

    State (read it; change it through the widgets): target (a name from common.towers.TARGETS),
    n, w, kind ("sigmoid" or "relu"), heights (N,), selected (index of the tower being edited),
    heights_source (how the heights were set, in words), error (ApproxError on common.towers.GRID).
    `background_png` is the still part of the figure (what the Image widget shows) and `svg` the
    moving part drawn over it (what the HTML widget shows); `snapshot_png()` renders both together
    with matplotlib. `redraws` counts renders of the still part and `frames` the SVGs sent.

    When N or the target changes, the heights become the target read off at each centre; the
    auto-fit button replaces them by common.towers.fit_heights for the current w and units.
    """

    def __init__(self, target="wiggly", n=10, w=W_DEFAULT, kind="sigmoid", bound=0.05, dpi=85):
        self.target = T.get_target(target).name
        self.n = T._check_n(n)
        self.w = T._positive(w, "steepness w")
        if kind not in KIND_LABELS:
            raise ValueError(f"kind must be one of {sorted(KIND_LABELS)}, got {kind!r}")
        self.kind = kind
        self.bound = T._positive(bound, "error bound")
        self.selected = (self.n - 1) // 2
        self.x = T.GRID
        self._set_heights(T.fit_heights(self.target, self.n), "the target read off at each centre")
        self.redraws = 0
        self.frames = 0
        # (wall-clock start, duration) in s of the last 1000 callbacks that drew a frame (for bench/)
        self.timings = deque(maxlen=1000)
        self.image = self.overlay = None  # the widgets come last: they show the first frame

        self._build_figure(dpi)
        self._full_redraw()
        self._build_widgets()

    # ------------------------------------------------------------------------------ figure

    def _build_figure(self, dpi):
        self.fig = Figure(figsize=(9.0, 3.6), dpi=dpi, layout="constrained")
        FigureCanvasAgg(self.fig)
        self.ax, self.ax_zoom = self.fig.subplots(1, 2, width_ratios=[1.9, 1])
        ax, az = self.ax, self.ax_zoom

        # Left: the towers over the target. Everything that moves is animated: a full draw skips
        # it, so the picture underneath holds only what does not move; the SVG layer draws the rest.
        (self.line_target,) = ax.plot([], [], color="black", lw=1.5, label="target")
        (self.line_ideal,) = ax.plot([], [], color="0.55", lw=1.2, ls="--", label="ideal towers",
                                     drawstyle="steps-post", animated=True)
        (self.line_sum,) = ax.plot([], [], color="C0", lw=2.0, label="sum of towers", animated=True)
        (self.line_heights,) = ax.plot([], [], "o", color="C3", ms=3.5, label="heights",
                                       animated=True)
        self.span = ax.axvspan(0, 0.1, color="C1", alpha=0.2, lw=0, animated=True)
        ax.set_xlim(0, 1)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.legend(loc="upper left", ncols=4, fontsize=9)

        # Right: one tower of height 1 up close, the ideal steps beside the real units.
        az.plot(ZOOM_U, T.ideal_step(ZOOM_U, 0.0), color="0.55", lw=1.2, ls="--", label="ideal steps")
        az.plot(ZOOM_U, -T.ideal_step(ZOOM_U, 1.0), color="0.55", lw=1.2, ls="--")
        (self.line_up,) = az.plot([], [], color="C2", lw=1.5, label="left step", animated=True)
        (self.line_down,) = az.plot([], [], color="C4", lw=1.5, label="minus right step",
                                    animated=True)
        (self.line_tower,) = az.plot([], [], color="C0", lw=2.0, label="tower (sum)", animated=True)
        az.set_xlim(ZOOM_U[0], ZOOM_U[-1])
        az.set_ylim(-1.15, 2.05)  # the band above 1.1 holds the legend
        az.set_yticks([-1.0, -0.5, 0.0, 0.5, 1.0])
        az.set_xlabel("(x - left edge) / tower width")
        az.set_ylabel("unit output")
        az.legend(loc="upper center", ncols=2, fontsize=9, columnspacing=1.0, handlelength=1.5)
        az.set_title("one tower of height 1, up close", fontsize=11)
        self._animated = [self.span, self.line_ideal, self.line_sum, self.line_heights,
                          self.line_up, self.line_down, self.line_tower]
        self._layer = SvgLayer(self.fig, self._animated)  # its pixel maps are read once drawn

    def _full_redraw(self):
        """Render the parts that do not move (axes, ticks, target, legends) into background_png."""
        f = T.get_target(self.target)
        self._y_target = f(self.x)
        self.line_target.set_data(self.x, self._y_target)
        self.ax.set_title(f"target: {f.formula}", fontsize=11)
        self.ax.set_ylim(*_ylim_for(np.concatenate([self._y_target, self.heights])))
        self._draw_settled()  # skips the animated artists
        self.background_png = png_bytes(self.fig.canvas.buffer_rgba())
        self._layer.refresh()  # the y range may have changed
        self.redraws += 1
        if self.image is not None:
            self.image.value = self.background_png
        self._update_artists()

    def _draw_settled(self):
        """Draw until constrained layout stops moving the axes (a new title or new tick labels can
        take two or three passes), so the picture and the SVG layer's pixel maps agree."""
        def boxes():
            return np.array([ax.bbox.bounds for ax in self.fig.axes])

        for _ in range(5):
            before = boxes()
            self.fig.canvas.draw()
            if np.allclose(boxes(), before, rtol=0, atol=0.01):  # pixels
                return

    def snapshot_png(self):
        """The whole figure as it stands, still and moving parts, rendered by matplotlib (PNG bytes)."""
        canvas = self.fig.canvas
        canvas.draw()
        for artist in self._animated:
            self.fig.draw_artist(artist)
        return png_bytes(canvas.buffer_rgba())

    def _update_artists(self):
        """Set the data of every moving artist from the state, then send them as SVG."""
        n, w, kind, h = self.n, self.w, self.kind, self.heights
        y_sum = T.tower_sum(self.x, h, w, kind)
        self.error = T.approximation_error(y_sum, self._y_target)

        lo, hi = self.ax.get_ylim()
        if h.min() < lo or h.max() > hi:  # the sum stays within the heights (a weighted average)
            self._full_redraw()  # the y range must grow, so the background changes too
            return

        edges = T.tower_edges(n)
        self.line_sum.set_data(self.x, y_sum)
        # The ideal towers are flat between edges: N + 1 corners drawn as steps, not 1001 points.
        self.line_ideal.set_data(edges, np.append(h, h[-1]))
        self.line_heights.set_data(T.tower_centres(n), h)
        k = self.selected
        self.span.set_x(edges[k])
        self.span.set_width(edges[k + 1] - edges[k])

        # Measured in tower widths the steepness is w / N: that alone sets the tower's shape.
        up = T.step(ZOOM_U, 0.0, w / n, kind)
        down = -T.step(ZOOM_U, 1.0, w / n, kind)
        self.line_up.set_data(ZOOM_U, up)
        self.line_down.set_data(ZOOM_U, down)
        self.line_tower.set_data(ZOOM_U, up + down)
        self.svg = self._layer.svg()
        self.frames += 1
        if self.overlay is not None:
            self.overlay.value = self.svg
            self.status.value = self._status_html()

    # ----------------------------------------------------------------------------- state

    def _set_heights(self, heights, source):
        self.heights = np.array(heights, dtype=np.float64)
        self.heights_source = source

    def auto_fit(self):
        """Heights that make the sum meet the target at every centre, for this w and these units."""
        try:
            h = T.fit_heights(self.target, self.n, self.w, self.kind)
            source = f"auto-fitted for w = {self.w:.3g}"
        except ValueError:
            # w is too gentle for this N: the exact heights would have to cancel each other out.
            h = T.fit_heights(self.target, self.n)
            source = f"the target at each centre (w below about {1.3 * self.n:.3g} is too gentle to auto-fit)"
        self._set_heights(h, source)

    def describe(self):
        """The current error in words, as the status line under the figure says it."""
        e = self.error
        head = (f"{self.n} {KIND_LABELS[self.kind]} towers at steepness w = {self.w:.3g}: the sum is at "
                f"most {e.max_abs:.3f} away from the target (mean {e.mean_abs:.3f}).")
        if e.max_abs <= self.bound:
            verdict = f"Within the challenge bound {self.bound:g}."
        else:
            verdict = f"The challenge bound is {self.bound:g}: not there yet."
        return f"{head} {verdict} Heights: {self.heights_source}."

    def _status_html(self):
        colour = "#1a7f37" if self.error.max_abs <= self.bound else "#9a6700"
        # a block with its own line height: the HTML widget's 28 px lines spread a wrapped sentence
        return f'<div style="color:{colour}; line-height:1.4">{self.describe()}</div>'

    # --------------------------------------------------------------------------- widgets

    def _build_widgets(self):
        row = widgets.Layout(width="400px")
        style = {"description_width": "85px"}
        self.target_dropdown = widgets.Dropdown(
            options=[(t.name, t.name) for t in T.TARGETS.values()], value=self.target,
            description="target", style=style, layout=widgets.Layout(width="220px"))
        self.kind_buttons = widgets.ToggleButtons(
            options=[(label, kind) for kind, label in KIND_LABELS.items()], value=self.kind,
            style={"button_width": "85px"}, tooltips=["smooth sigmoid steps", "ramps from two ReLUs"])
        self.fit_button = widgets.Button(description="auto-fit heights", button_style="info",
                                         tooltip="heights that make the sum meet the target at each centre")
        self.w_slider = _QuietFloatLogSlider(
            value=self.w, base=10, min=W_LOG_MIN, max=W_LOG_MAX, step=W_LOG_STEP,
            description="steepness w", readout_format=".3g", style=style, layout=row)
        self.n_slider = _QuietIntSlider(value=self.n, min=1, max=100, description="towers N",
                                          style=style, layout=row)
        self.tower_slider = _QuietIntSlider(value=self.selected + 1, min=1, max=self.n,
                                              description="edit tower", style=style, layout=row)
        self.height_slider = _QuietFloatSlider(
            value=self._slider_height(), min=HEIGHT_RANGE[0], max=HEIGHT_RANGE[1], step=HEIGHT_STEP,
            description="its height", style=style, layout=row)
        # The SVG layer sits in the same grid cell as the picture, on top of it; both are as wide
        # as the cell, so they scale together if the notebook is narrower than the figure.
        self.image = widgets.Image(value=self.background_png, format="png", layout=widgets.Layout(
            grid_area="figure", width="100%", height="auto", margin="0"))
        self.overlay = widgets.HTML(self.svg, layout=widgets.Layout(grid_area="figure", width="100%",
                                                                    margin="0"))
        self.overlay.add_class("tower-overlay")
        self.figure_box = widgets.GridBox([self.image, self.overlay], layout=widgets.Layout(
            grid_template_areas='"figure"', width=f"{self.fig.bbox.width:g}px", max_width="100%"))
        self.figure_box.add_class("tower-figure")
        self.status = widgets.HTML(self._status_html())

        self._syncing = False  # True while code, not the reader, moves a slider
        for control, handler in [(self.target_dropdown, self._on_target), (self.kind_buttons, self._on_kind),
                                 (self.w_slider, self._on_w), (self.n_slider, self._on_n),
                                 (self.tower_slider, self._on_tower), (self.height_slider, self._on_height)]:
            control.observe(self._timed(handler), names="value")
        self.fit_button.on_click(self._timed(self._on_fit))

        self.widget = widgets.VBox([
            widgets.HBox([self.target_dropdown, self.kind_buttons, self.fit_button]),
            widgets.HBox([self.w_slider, self.n_slider]),
            widgets.HBox([self.tower_slider, self.height_slider]),
            self.figure_box,
            self.status,
        ])
        self.widget.add_class("tower-explorer")

    def _timed(self, handler):
        """handler, plus a record in self.timings for every call that sent a new frame."""

        def run(change):
            start, t0, frames = time.time(), time.perf_counter(), self.frames
            handler(change)
            if self.frames != frames:
                self.timings.append((start, time.perf_counter() - t0))

        return run

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def _slider_height(self):
        # Rounded to the slider's step: the browser snaps the value to the step and sends the snapped
        # value back, which must not count as an edit (see _on_height).
        return round(float(np.clip(self.heights[self.selected], *HEIGHT_RANGE)), 2)

    def _sync_sliders(self):
        # Called after the new figure has been sent: the browser handles messages in order, and the
        # figure is what the reader is waiting for (re-rendering a slider with a new max is slow).
        self._syncing = True
        try:
            self.tower_slider.max = self.n
            self.tower_slider.value = self.selected + 1
            self.height_slider.value = self._slider_height()
        finally:
            self._syncing = False

    def _on_target(self, change):
        self.target = change["new"]
        self._set_heights(T.fit_heights(self.target, self.n), "the target read off at each centre")
        self._full_redraw()  # a new target line and y range
        self._sync_sliders()

    def _on_kind(self, change):
        self.kind = change["new"]
        self._update_artists()

    def _on_w(self, change):
        w = float(change["new"])
        if math.isclose(w, self.w, rel_tol=1e-9):  # the browser echoing a value it snapped to its grid
            return
        self.w = w
        self._update_artists()

    def _on_n(self, change):
        self.n = int(change["new"])
        self.selected = min(self.selected, self.n - 1)
        self._set_heights(T.fit_heights(self.target, self.n), "the target read off at each centre")
        self._update_artists()
        self._sync_sliders()

    def _on_tower(self, change):
        if self._syncing:
            return
        self.selected = int(change["new"]) - 1
        self._update_artists()
        self._sync_sliders()

    def _on_height(self, change):
        new = float(change["new"])
        if self._syncing or math.isclose(new, self._slider_height(), abs_tol=1e-9):
            return  # set by code, or the browser echoing the rounded height: not an edit
        self.heights[self.selected] = new
        self.heights_source = "edited by hand"
        self._update_artists()

    def _on_fit(self, _button=None):
        self.auto_fit()
        self._update_artists()
        self._sync_sliders()
