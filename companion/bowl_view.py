"""The bowl explorer: pick an optimizer and its settings, see its path on f(x, y) = x²/20 + y².

    from companion.bowl_view import BowlExplorer
    explorer = BowlExplorer("Momentum")   # opens with the primer's settings for it
    explorer                              # the controls, the figure, the step count in words

Built like the tower explorer of Notebook 07: a still matplotlib picture (contours, axes, start and
minimum) rendered once, and the moving part, the optimizer's path, drawn by the browser as SVG over
it. The front end is a small anywidget module (bowl_view.js): on every control move the kernel
follows the optimizer (companion.bowl.descend) and sends only the path's pixel coordinates.
"""

import base64
import io
import math
from pathlib import Path

import anywidget
import ipywidgets as widgets
import numpy as np
import traitlets
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from common.optimizer import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop
from companion import bowl
from companion.plotting import pixel_map

# name: (class, learning rate it opens with, name and opening value of its second setting or None).
# The learning rates of SGD, Momentum, AdaGrad and Adam are those of the primer's figure (§6.1.7).
OPTIMIZERS = {
    "SGD": (SGD, 0.95, None),
    "Momentum": (Momentum, 0.1, ("momentum", 0.9)),
    "Nesterov": (Nesterov, 0.1, ("momentum", 0.9)),
    "AdaGrad": (AdaGrad, 1.5, None),
    "RMSprop": (RMSprop, 0.1, ("decay_rate", 0.99)),
    "Adam": (Adam, 0.3, ("beta1", 0.9)),
}
LR_RANGE = (0.01, 2.0, 0.01)  # min, max, step of the learning-rate slider
BETA_RANGE = (0.0, 0.99, 0.01)
PATH_COLOUR = "#d62728"  # matplotlib's C3


def make_optimizer(name, lr, beta=None):
    """A fresh optimizer of that name; beta is its second setting (momentum, decay_rate or beta1)."""
    if name not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {list(OPTIMIZERS)}, got {name!r}")
    cls, _, second = OPTIMIZERS[name]
    return cls(lr=lr) if second is None else cls(lr=lr, **{second[0]: beta})


class BowlCanvas(anywidget.AnyWidget):
    """The figure in the browser: a PNG with the path drawn over it as SVG (see bowl_view.js)."""

    _esm = Path(__file__).with_name("bowl_view.js")
    background = traitlets.Unicode("").tag(sync=True)  # base64 PNG
    alt = traitlets.Unicode("").tag(sync=True)
    size = traitlets.List([0, 0]).tag(sync=True)  # width, height in px
    clip = traitlets.List([0, 0, 0, 0]).tag(sync=True)  # the axes box: left, top, width, height
    points = traitlets.List([]).tag(sync=True)  # x0, y0, x1, y1, ... in px
    colour = traitlets.Unicode(PATH_COLOUR).tag(sync=True)


class BowlExplorer:
    """Controls: optimizer, learning rate lr and, where the rule has one, its momentum / decay / beta1.

    State (read it; change it through the widgets): name, lr, beta (None for SGD and AdaGrad), path
    ((n + 1, 2): the start and the point after each update, up to the first within
    companion.bowl.TOLERANCE of the minimum, at most companion.bowl.MAX_STEPS), steps (updates until then,
    or None), frames (paths sent). `snapshot_png()` renders picture and path together with matplotlib.
    """

    def __init__(self, name="SGD", lr=None, beta=None, dpi=85):
        self.frames = 0
        self.canvas = None  # the widgets come last: they show the first path
        self._set_optimizer(name, lr, beta)
        self._build_figure(dpi)
        self._compute()
        self._build_widgets()

    # ----------------------------------------------------------------------------- state

    def _set_optimizer(self, name, lr=None, beta=None):
        if name not in OPTIMIZERS:
            raise ValueError(f"optimizer must be one of {list(OPTIMIZERS)}, got {name!r}")
        _, default_lr, second = OPTIMIZERS[name]
        self.name = name
        self.lr = default_lr if lr is None else float(lr)
        self.beta = None if second is None else (second[1] if beta is None else float(beta))
        make_optimizer(self.name, self.lr, self.beta)  # refuses bad settings now

    def _compute(self):
        """Follow the optimizer from the start, then update the path everywhere it is shown."""
        opt = make_optimizer(self.name, self.lr, self.beta)
        self.path = bowl.descend(opt, bowl.MAX_STEPS, stop_within=bowl.TOLERANCE)
        end = float(np.hypot(*self.path[-1]))
        self.steps = len(self.path) - 1 if end <= bowl.TOLERANCE else None
        self.diverged = not end < bowl.ESCAPE
        self.line_path.set_data(self.path[:, 0], self.path[:, 1])
        self.frames += 1
        if self.canvas is not None:
            self.canvas.points = self._pixels()
            self.status.value = self._status_html()

    def describe(self):
        """The current run in words, as the line under the figure says it."""
        setting = f"lr = {self.lr:g}"
        if self.beta is not None:
            setting += f", {OPTIMIZERS[self.name][2][0]} = {self.beta:g}"
        if self.steps is not None:
            return (f"{self.name} ({setting}) gets within {bowl.TOLERANCE:g} of the minimum after "
                    f"{self.steps} steps.")
        if self.diverged:
            return (f"{self.name} ({setting}) diverges: after {len(self.path) - 1} steps it is more than "
                    f"{bowl.ESCAPE:g} away from the minimum.")
        end = float(np.hypot(*self.path[-1]))
        return (f"{self.name} ({setting}) is not within {bowl.TOLERANCE:g} of the minimum after "
                f"{bowl.MAX_STEPS} steps (it ends {end:.3g} away).")

    def _status_html(self):
        colour = "#1a7f37" if self.steps is not None else "#9a6700"
        return f'<div style="color:{colour}; line-height:1.4">{self.describe()}</div>'

    # ----------------------------------------------------------------------------- figure

    def _build_figure(self, dpi):
        self.fig = Figure(figsize=(7.0, 3.8), dpi=dpi, layout="constrained")
        FigureCanvasAgg(self.fig)
        ax = self.ax = self.fig.subplots()
        x, y = np.meshgrid(np.linspace(-10, 10, 401), np.linspace(-4, 4, 161))
        levels = [0.05, 0.25, 0.75, 1.5, 2.5, 4.0, 6.0]
        ax.contour(x, y, bowl.f(x, y), levels=levels, colors="0.6", linewidths=0.8)
        ax.plot(*bowl.START, "s", color="black", ms=5, label="start (−7, 2)")
        ax.plot(0, 0, "+", color="black", ms=12, mew=1.5, label="minimum (0, 0)")
        # The path: drawn by the browser over the picture, by matplotlib only in snapshot_png.
        (self.line_path,) = ax.plot([], [], "o-", color=PATH_COLOUR, ms=3, lw=1.2, label="path",
                                    animated=True)
        ax.set_xlim(-10, 10)
        ax.set_ylim(-4, 4)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_title("f(x, y) = x²/20 + y²: contours and the optimizer's path", fontsize=11)
        ax.legend(loc="upper right", fontsize=9)
        self.fig.canvas.draw()  # fixes the layout: the pixel map below holds from now on
        self.background_png = self._png()
        self._map = pixel_map(ax)

    def _png(self):
        buffer = io.BytesIO()
        self.fig.savefig(buffer, format="png", dpi=self.fig.dpi)
        return buffer.getvalue()

    def _pixels(self):
        """The path in the figure's pixels (origin top left), flat: [x0, y0, x1, y1, ...]."""
        m = self._map
        xy = np.column_stack((m["sx"] * self.path[:, 0] + m["ox"], m["sy"] * self.path[:, 1] + m["oy"]))
        return np.round(xy, 1).ravel().tolist()

    def snapshot_png(self):
        """The picture with the current path, rendered by matplotlib (PNG bytes)."""
        self.line_path.set_animated(False)
        try:
            return self._png()
        finally:
            self.line_path.set_animated(True)

    # ---------------------------------------------------------------------------- widgets

    def _build_widgets(self):
        style = {"description_width": "95px"}
        self.optimizer_dropdown = widgets.Dropdown(options=list(OPTIMIZERS), value=self.name,
                                                   description="optimizer", style=style,
                                                   layout=widgets.Layout(width="230px"))
        lo, hi, step = LR_RANGE
        self.lr_slider = widgets.FloatSlider(value=self.lr, min=lo, max=hi, step=step, readout_format=".2f",
                                             description="learning rate", style=style,
                                             continuous_update=True, layout=widgets.Layout(width="330px"))
        lo, hi, step = BETA_RANGE
        self.beta_slider = widgets.FloatSlider(value=self.beta or 0.0, min=lo, max=hi, step=step,
                                               readout_format=".2f", style=style,
                                               layout=widgets.Layout(width="330px"))
        self._sync_beta_slider()
        width, height = self.fig.bbox.width, self.fig.bbox.height
        m = self._map
        self.canvas = BowlCanvas(
            background=base64.b64encode(self.background_png).decode("ascii"),
            alt="Contour lines of the bowl f(x, y) = x²/20 + y², with the start (−7, 2) and the minimum.",
            size=[width, height], clip=m["clip"], points=self._pixels())
        self.status = widgets.HTML(self._status_html())

        self._syncing = False  # True while code, not the reader, moves a control
        self.optimizer_dropdown.observe(self._on_optimizer, names="value")
        self.lr_slider.observe(self._on_lr, names="value")
        self.beta_slider.observe(self._on_beta, names="value")
        self.widget = widgets.VBox([
            widgets.HBox([self.optimizer_dropdown, self.lr_slider, self.beta_slider]),
            self.canvas,
            self.status,
        ])
        self.widget.add_class("bowl-explorer")

    def _sync_beta_slider(self):
        second = OPTIMIZERS[self.name][2]
        self.beta_slider.disabled = second is None
        self.beta_slider.description = "—" if second is None else second[0]

    def _on_optimizer(self, change):
        self._set_optimizer(change["new"])
        self._syncing = True
        try:  # the sliders show the new optimizer's opening settings; one path for all of it
            self.lr_slider.value = self.lr
            if self.beta is not None:
                self.beta_slider.value = self.beta
            self._sync_beta_slider()
        finally:
            self._syncing = False
        self._compute()

    def _on_lr(self, change):
        if self._syncing or math.isclose(change["new"], self.lr, rel_tol=1e-9):
            return  # set by code, or the browser echoing a value snapped to the slider's step
        self.lr = float(change["new"])
        self._compute()

    def _on_beta(self, change):
        if self._syncing or self.beta is None or math.isclose(change["new"], self.beta, abs_tol=1e-12):
            return
        self.beta = float(change["new"])
        self._compute()

    # ---------------------------------------------------------------------------- display

    def _repr_mimebundle_(self, **kwargs):
        """The widget, with a sentence (not the widgets' repr) for a reader without a kernel."""
        bundle = self.widget._repr_mimebundle_(**kwargs)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data["text/plain"] = ("The bowl explorer: run this notebook in Jupyter to move its controls; "
                              "the picture above shows how it opens.")
        return bundle
