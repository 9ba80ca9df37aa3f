"""Matplotlib lines written as SVG in the figure's own pixels, to lay over a still picture of the rest.

    layer = SvgLayer(fig, [line_a, line_b, span])   # after the figure is drawn (its layout is fixed)
    svg = layer.svg()                               # '<svg ...>' with each artist where Agg would draw it

Why: an interactive figure whose axes stay put but whose lines move (the tower explorer of chapter 7)
need not re-render and re-send a whole picture on every slider move. The still part is rendered by
matplotlib once; the moving artists go to the browser as a few kilobytes of SVG in the same pixel
coordinates, placed exactly over it. Writing 1,000 points takes well under a millisecond here; the
browser draws them without decoding an image.

Supported artists: Line2D with a solid or dashed line, or with round markers and no line, and the
Rectangle of Axes.axvspan / axhspan. Each is clipped to its axes, as matplotlib clips it. Only axes
with linear scales can be mapped (a log axis raises ValueError).
"""

import numpy as np
from matplotlib.colors import to_hex, to_rgba
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle


class PixelMap:
    """Data coordinates of one axes -> SVG pixels of its figure (origin top left, y pointing down).

    Matplotlib's display coordinates start at the bottom left; SVG's at the top left, so
    y_svg = figure height - y_display. With linear scales the map is x_px = sx * x + ox,
    y_px = sy * y + oy, read off from two points. Valid until the axes' limits or layout change.
    """

    def __init__(self, ax):
        if ax.get_xscale() != "linear" or ax.get_yscale() != "linear":
            raise ValueError("SvgLayer maps linear axes only")
        height = ax.figure.bbox.height
        (x0, y0), (x1, y1) = ax.transData.transform([(0.0, 0.0), (1.0, 1.0)])
        self.sx, self.ox = x1 - x0, x0
        self.sy, self.oy = -(y1 - y0), height - y0
        box = ax.bbox  # the axes rectangle, where matplotlib clips its lines
        self.clip = (box.x0, height - box.y1, box.width, box.height)  # left, top, width, height

    def x(self, values):
        return self.sx * np.asarray(values, dtype=np.float64) + self.ox

    def y(self, values):
        return self.sy * np.asarray(values, dtype=np.float64) + self.oy


# matplotlib's cap styles by their SVG names (joins have the same names in both)
SVG_CAPS = {"butt": "butt", "round": "round", "projecting": "square"}


def _points(x_px, y_px):
    """'x,y x,y ...' with 0.1 px resolution: one formatting call for all the points."""
    xy = np.column_stack((x_px, y_px)).ravel()
    return " ".join(["%.1f,%.1f"] * len(x_px)) % tuple(xy.tolist())


def _colour(artist_colour, alpha=None):
    r, g, b, a = to_rgba(artist_colour, alpha)
    return to_hex((r, g, b)), a


class SvgLayer:
    """The given artists of `fig` as one SVG the size of the figure, in their drawing order."""

    def __init__(self, fig, artists):
        self.fig = fig
        self.width, self.height = fig.bbox.width, fig.bbox.height
        self.artists = list(artists)
        self.maps = {}
        for artist in self.artists:
            if not isinstance(artist, Line2D | Rectangle):
                raise TypeError(f"SvgLayer draws Line2D and axvspan/axhspan rectangles, not {artist!r}")
            if artist.axes is None:
                raise ValueError(f"{artist!r} is not in an axes")
            self.maps.setdefault(artist.axes, None)
        self.refresh()

    def refresh(self):
        """Read each axes' pixel map again: call after its limits or the figure's layout change."""
        self.px_per_point = self.fig.dpi / 72.0
        for ax in self.maps:
            self.maps[ax] = PixelMap(ax)

    def svg(self):
        parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.width:g} {self.height:g}" '
                 f'width="100%" style="display:block;pointer-events:none">']
        open_ax = None
        for artist in self.artists:
            if not artist.get_visible():
                continue
            if artist.axes is not open_ax:  # a nested <svg> clips what it holds to the axes box
                if open_ax is not None:
                    parts.append("</svg>")
                left, top, w, h = self.maps[artist.axes].clip
                parts.append(f'<svg x="{left:.2f}" y="{top:.2f}" width="{w:.2f}" height="{h:.2f}" '
                             f'viewBox="{left:.2f} {top:.2f} {w:.2f} {h:.2f}" overflow="hidden">')
                open_ax = artist.axes
            if isinstance(artist, Line2D):
                parts.append(self._line(artist))
            else:
                parts.append(self._span(artist))
        if open_ax is not None:
            parts.append("</svg>")
        parts.append("</svg>")
        return "".join(parts)

    def _line(self, line):
        m = self.maps[line.axes]
        x, y = (np.asarray(v, dtype=np.float64) for v in line.get_data())
        if line.get_drawstyle() == "steps-post":  # hold each value until the next x
            x, y = np.repeat(x, 2)[1:], np.repeat(y, 2)[:-1]
        elif line.get_drawstyle() != "default":
            raise ValueError(f"drawstyle {line.get_drawstyle()!r} is not supported")
        keep = np.isfinite(x) & np.isfinite(y)  # matplotlib leaves NaN points out
        x_px, y_px = m.x(x[keep]), m.y(y[keep])
        if x_px.size == 0:
            return ""
        colour, opacity = _colour(line.get_color(), line.get_alpha())
        k = self.px_per_point
        pieces = []
        style = line.get_linestyle()
        if style not in ("None", "", " "):
            if style == "-":
                dash, cap, join = "", line.get_solid_capstyle(), line.get_solid_joinstyle()
            elif style == "--":
                # matplotlib keeps its dash pattern (points, already scaled by the line width) in
                # _dash_pattern and offers no getter for it
                on, off = (np.asarray(line._dash_pattern[1], dtype=np.float64) * k).tolist()
                dash = f' stroke-dasharray="{on:.2f} {off:.2f}"'
                cap, join = line.get_dash_capstyle(), line.get_dash_joinstyle()
            else:
                raise ValueError(f"line style {style!r} is not supported")
            pieces.append(f'<polyline points="{_points(x_px, y_px)}" fill="none" stroke="{colour}" '
                          f'stroke-opacity="{opacity:g}" stroke-width="{line.get_linewidth() * k:.2f}"{dash} '
                          f'stroke-linecap="{SVG_CAPS[cap]}" stroke-linejoin="{join}"/>')
        marker = line.get_marker()
        if marker not in ("None", "", " ", None):
            if marker != "o":
                raise ValueError(f"marker {marker!r} is not supported")
            # a zero-length segment with round caps is a dot whose diameter is the stroke width
            dots = "".join(f"M{u:.1f} {v:.1f}h0" for u, v in zip(x_px.tolist(), y_px.tolist(), strict=True))
            face, face_opacity = _colour(line.get_markerfacecolor(), line.get_alpha())
            size = line.get_markersize() * k + line.get_markeredgewidth() * k
            pieces.append(f'<path d="{dots}" stroke="{face}" stroke-opacity="{face_opacity:g}" '
                          f'stroke-width="{size:.2f}" stroke-linecap="round"/>')
        return "".join(pieces)

    def _span(self, rect):
        # The rectangle's transform maps the unit square onto it (axvspan: x in data, y in axes units).
        (x0, y0), (x1, y1) = rect.get_transform().transform([(0.0, 0.0), (1.0, 1.0)])
        top, bottom = self.height - max(y0, y1), self.height - min(y0, y1)
        colour, opacity = _colour(rect.get_facecolor())
        return (f'<rect x="{min(x0, x1):.2f}" y="{top:.2f}" width="{abs(x1 - x0):.2f}" '
                f'height="{bottom - top:.2f}" fill="{colour}" fill-opacity="{opacity:g}"/>')
