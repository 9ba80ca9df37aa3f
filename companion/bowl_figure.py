"""The bowl explorer's matplotlib figure: contours, start and minimum as a still picture, and a path.

    from companion.bowl_figure import bowl_figure
    bowl_figure().spec()              # what the browser draws with (JSON): the picture, its pixel map
    bowl_figure().snapshot_png(path)  # the picture with a path, rendered by matplotlib (PNG bytes)

The browser (companion/static/bowl_widget.js) draws the path itself, as SVG over the still picture.
"""

import base64
import functools
import io

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from companion import bowl
from companion.language import check_language
from companion.plotting import cjk_fonts, pixel_map

PATH_COLOUR = "#d62728"  # matplotlib's C3
DPI = 85  # the figure is 7.0 x 3.8 inches: 595 x 323 pixels
# The figure's words, in each language of companion.language.
LABELS = {
    "en": {"start": "start (−7, 2)", "minimum": "minimum (0, 0)", "path": "path",
           "title": "f(x, y) = x²/20 + y²: contours and the optimizer's path",
           "alt": ("Contour lines of the bowl f(x, y) = x²/20 + y², with the start (−7, 2) and the "
                   "minimum.")},
    "zh": {"start": "起点 (−7, 2)", "minimum": "最小值 (0, 0)", "path": "路径",
           "title": "f(x, y) = x²/20 + y²：等高线与最优化方法的路径",
           "alt": "碗 f(x, y) = x²/20 + y² 的等高线，标出起点 (−7, 2) 和最小值。"},
}


class BowlFigure:
    """The figure: the still part drawn once; the path only in snapshot_png."""

    def __init__(self, lang="en"):
        self.words = LABELS[check_language(lang, "BowlFigure")]
        with mpl.rc_context({"font.family": ["DejaVu Sans", *cjk_fonts()]}):
            self._build()

    def _build(self):
        words = self.words
        self.fig = Figure(figsize=(7.0, 3.8), dpi=DPI, layout="constrained")
        FigureCanvasAgg(self.fig)
        ax = self.ax = self.fig.subplots()
        x, y = np.meshgrid(np.linspace(-10, 10, 401), np.linspace(-4, 4, 161))
        levels = [0.05, 0.25, 0.75, 1.5, 2.5, 4.0, 6.0]
        ax.contour(x, y, bowl.f(x, y), levels=levels, colors="0.6", linewidths=0.8)
        ax.plot(*bowl.START, "s", color="black", ms=5, label=words["start"])
        ax.plot(0, 0, "+", color="black", ms=12, mew=1.5, label=words["minimum"])
        # The path: drawn by the browser over the picture, by matplotlib only in snapshot_png.
        (self.line_path,) = ax.plot([], [], "o-", color=PATH_COLOUR, ms=3, lw=1.2, label=words["path"],
                                    animated=True)
        ax.set_xlim(-10, 10)
        ax.set_ylim(-4, 4)
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_title(words["title"], fontsize=11)
        ax.legend(loc="upper right", fontsize=9)
        self.fig.canvas.draw()  # fixes the layout: the pixel map below holds from now on
        self.background_png = self._png()
        self.map = pixel_map(ax)

    def _png(self):
        buffer = io.BytesIO()
        with mpl.rc_context({"font.family": ["DejaVu Sans", *cjk_fonts()]}):
            self.fig.savefig(buffer, format="png", dpi=self.fig.dpi)
        return buffer.getvalue()

    def spec(self):
        """Everything the browser needs to draw (JSON): the picture as a data: URL, its alt text and
        size, the pixel map of the axes, the path's colour."""
        picture = base64.b64encode(self.background_png).decode("ascii")
        return {"background": "data:image/png;base64," + picture,
                "alt": self.words["alt"], "width": self.fig.bbox.width, "height": self.fig.bbox.height,
                "map": self.map,
                "colour": PATH_COLOUR}

    def pixels(self, path):
        """A path (n, 2) in the figure's pixels (origin top left), to 0.1 px as the browser draws it."""
        m = self.map
        return np.round(np.column_stack((m["sx"] * path[:, 0] + m["ox"], m["sy"] * path[:, 1] + m["oy"])), 1)

    def snapshot_png(self, path):
        """The picture with `path` (n, 2), rendered by matplotlib (PNG bytes)."""
        self.line_path.set_data(path[:, 0], path[:, 1])
        self.line_path.set_animated(False)
        try:
            return self._png()
        finally:
            self.line_path.set_animated(True)


def bowl_figure(lang="en"):
    """The one BowlFigure of this process in `lang` (the same for every explorer)."""
    return _figures(check_language(lang, "bowl_figure"))


@functools.cache
def _figures(lang):
    return BowlFigure(lang)
