"""common.svg_layer: matplotlib artists written as SVG land on the pixels where Agg draws them.

Every expected position here comes from matplotlib itself (ax.transData, ax.bbox, the artist's own
transform), never from the module under test. The browser test compares the SVG, drawn by Chromium
over the still picture, with matplotlib's own rendering of the whole figure.
"""

import xml.etree.ElementTree as ET

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from common.svg_layer import PixelMap, SvgLayer

NS = {"svg": "http://www.w3.org/2000/svg"}


def figure(dpi=85):
    fig = Figure(figsize=(6.0, 3.0), dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    left, right = fig.subplots(1, 2)
    left.set_xlim(-1.0, 3.0)
    left.set_ylim(10.0, 30.0)
    right.set_xlim(0.0, 1.0)
    right.set_ylim(-2.0, 2.0)
    return fig, left, right


def svg_pixels(ax, x, y):
    """Where matplotlib puts data points, in SVG pixels (origin top left)."""
    display = ax.transData.transform(np.column_stack((x, y)))
    return display[:, 0], ax.figure.bbox.height - display[:, 1]


def parse(svg):
    return ET.fromstring(svg)


def points_of(element):
    pairs = [p.split(",") for p in element.get("points").split()]
    return np.array(pairs, dtype=float).T


def test_pixel_map_agrees_with_matplotlibs_transform():
    fig, left, right = figure()
    fig.canvas.draw()
    rng = np.random.default_rng(1)
    for ax in (left, right):
        m = PixelMap(ax)
        x = rng.uniform(*ax.get_xlim(), 50)
        y = rng.uniform(*ax.get_ylim(), 50)
        px, py = svg_pixels(ax, x, y)
        np.testing.assert_allclose(m.x(x), px, atol=1e-9)
        np.testing.assert_allclose(m.y(y), py, atol=1e-9)
        box = ax.bbox
        np.testing.assert_allclose(m.clip, (box.x0, fig.bbox.height - box.y1, box.width, box.height))


def test_a_line_is_a_polyline_on_matplotlibs_pixels_with_its_style():
    fig, left, _ = figure()
    x = np.linspace(-1.0, 3.0, 201)
    (line,) = left.plot(x, 20 + 5 * np.sin(3 * x), color="C2", lw=1.5, alpha=0.7)
    fig.canvas.draw()
    root = parse(SvgLayer(fig, [line]).svg())
    assert root.get("viewBox") == f"0 0 {fig.bbox.width:g} {fig.bbox.height:g}"
    (poly,) = root.findall(".//svg:polyline", NS)
    px, py = points_of(poly)
    ex, ey = svg_pixels(left, *line.get_data())
    np.testing.assert_allclose(px, ex, atol=0.051)  # written to 0.1 px
    np.testing.assert_allclose(py, ey, atol=0.051)
    assert poly.get("stroke") == to_hex("C2")
    assert float(poly.get("stroke-opacity")) == pytest.approx(0.7)
    assert float(poly.get("stroke-width")) == pytest.approx(1.5 * 85 / 72, abs=0.005)  # points -> px
    assert poly.get("stroke-dasharray") is None
    assert poly.get("stroke-linecap") == "square"  # matplotlib's default "projecting"
    assert poly.get("stroke-linejoin") == "round"


def test_dashes_are_matplotlibs_pattern_scaled_by_the_line_width():
    fig, left, _ = figure(dpi=100)
    (line,) = left.plot([0, 1], [15, 25], ls="--", lw=2.0)
    fig.canvas.draw()
    (poly,) = parse(SvgLayer(fig, [line]).svg()).findall(".//svg:polyline", NS)
    on, off = np.array(mpl.rcParams["lines.dashed_pattern"]) * 2.0 * 100 / 72  # scaled by lw, in px
    assert [float(v) for v in poly.get("stroke-dasharray").split()] == pytest.approx([on, off], abs=0.006)
    assert poly.get("stroke-linecap") == "butt"


def test_steps_post_holds_each_value_until_the_next_x():
    fig, left, _ = figure()
    edges = np.array([0.0, 0.5, 1.0, 2.0])
    heights = np.array([12.0, 25.0, 18.0, 18.0])
    (line,) = left.plot(edges, heights, drawstyle="steps-post")
    fig.canvas.draw()
    (poly,) = parse(SvgLayer(fig, [line]).svg()).findall(".//svg:polyline", NS)
    corners_x = [0.0, 0.5, 0.5, 1.0, 1.0, 2.0, 2.0]
    corners_y = [12.0, 12.0, 25.0, 25.0, 18.0, 18.0, 18.0]
    ex, ey = svg_pixels(left, corners_x, corners_y)
    px, py = points_of(poly)
    np.testing.assert_allclose(px, ex, atol=0.051)
    np.testing.assert_allclose(py, ey, atol=0.051)


def test_round_markers_are_dots_of_the_marker_size():
    fig, left, _ = figure()
    x, y = np.array([0.0, 1.0, 2.5]), np.array([11.0, 20.0, 29.0])
    (dots,) = left.plot(x, y, "o", color="C3", ms=4.0)
    fig.canvas.draw()
    root = parse(SvgLayer(fig, [dots]).svg())
    assert root.findall(".//svg:polyline", NS) == []  # a marker-only line draws no line
    (path,) = root.findall(".//svg:path", NS)
    moves = [seg.split("h")[0].split() for seg in path.get("d").split("M")[1:]]
    got = np.array(moves, dtype=float).T
    ex, ey = svg_pixels(left, x, y)
    np.testing.assert_allclose(got[0], ex, atol=0.051)
    np.testing.assert_allclose(got[1], ey, atol=0.051)
    assert path.get("stroke") == to_hex("C3") and path.get("stroke-linecap") == "round"
    diameter = (4.0 + mpl.rcParams["lines.markeredgewidth"]) * 85 / 72  # face plus its edge
    assert float(path.get("stroke-width")) == pytest.approx(diameter, abs=0.006)


def test_an_axvspan_covers_the_axes_height_between_its_x_limits():
    fig, left, _ = figure()
    span = left.axvspan(0.5, 1.25, color="C1", alpha=0.2)
    fig.canvas.draw()
    (rect,) = parse(SvgLayer(fig, [span]).svg()).findall(".//svg:rect", NS)
    (x0, _), (x1, _) = left.transData.transform([(0.5, 0), (1.25, 0)])
    box = left.bbox
    assert float(rect.get("x")) == pytest.approx(x0, abs=0.006)
    assert float(rect.get("width")) == pytest.approx(x1 - x0, abs=0.011)
    assert float(rect.get("y")) == pytest.approx(fig.bbox.height - box.y1, abs=0.006)
    assert float(rect.get("height")) == pytest.approx(box.height, abs=0.011)
    assert rect.get("fill") == to_hex("C1") and float(rect.get("fill-opacity")) == pytest.approx(0.2)


def test_each_axes_clips_its_own_artists_in_drawing_order():
    fig, left, right = figure()
    (a,) = left.plot([0, 1], [15, 16])
    (b,) = left.plot([0, 1], [20, 21])
    (c,) = right.plot([0, 1], [0, 1])
    fig.canvas.draw()
    root = parse(SvgLayer(fig, [a, b, c]).svg())
    inner = root.findall("svg:svg", NS)
    assert len(inner) == 2
    for group, ax, n in zip(inner, (left, right), (2, 1), strict=True):
        box = ax.bbox
        expected = (box.x0, fig.bbox.height - box.y1, box.width, box.height)
        got = [float(group.get(k)) for k in ("x", "y", "width", "height")]
        assert got == pytest.approx(expected, abs=0.006)
        assert group.get("viewBox").split() == [f"{v:.2f}" for v in expected]  # pixels map 1:1
        assert len(group.findall("svg:polyline", NS)) == n
    first, second = inner[0].findall("svg:polyline", NS)
    assert points_of(first)[1][0] > points_of(second)[1][0]  # a (lower y, larger px) drawn before b


def test_data_changes_show_after_set_data_and_limit_changes_after_refresh():
    fig, left, _ = figure()
    (line,) = left.plot([0, 1], [15, 15])
    fig.canvas.draw()
    layer = SvgLayer(fig, [line])
    line.set_data([0, 1], [25, 25])
    (poly,) = parse(layer.svg()).findall(".//svg:polyline", NS)
    assert points_of(poly)[1] == pytest.approx(svg_pixels(left, [0, 1], [25, 25])[1], abs=0.051)
    left.set_ylim(0.0, 50.0)
    fig.canvas.draw()
    layer.refresh()
    (poly,) = parse(layer.svg()).findall(".//svg:polyline", NS)
    assert points_of(poly)[1] == pytest.approx(svg_pixels(left, [0, 1], [25, 25])[1], abs=0.051)


def test_nan_points_and_hidden_artists_are_left_out():
    fig, left, _ = figure()
    (line,) = left.plot([0.0, 1.0, 2.0], [15.0, np.nan, 25.0])
    (hidden,) = left.plot([0, 1], [20, 20])
    hidden.set_visible(False)
    (empty,) = left.plot([], [])
    fig.canvas.draw()
    polys = parse(SvgLayer(fig, [line, hidden, empty]).svg()).findall(".//svg:polyline", NS)
    assert len(polys) == 1
    assert points_of(polys[0]).shape == (2, 2)


def test_what_it_cannot_draw_is_refused():
    fig, left, right = figure()
    (dotted,) = left.plot([0, 1], [15, 20], ls=":")
    (square,) = left.plot([0, 1], [15, 20], "s")
    (stairs,) = left.plot([0, 1], [15, 20], drawstyle="steps-mid")
    text = left.text(0, 15, "label")
    fig.canvas.draw()
    for artist, match in [(dotted, "line style"), (square, "marker"), (stairs, "drawstyle")]:
        with pytest.raises(ValueError, match=match):
            SvgLayer(fig, [artist]).svg()
    with pytest.raises(TypeError, match="Line2D"):
        SvgLayer(fig, [text])
    right.set_yscale("log")
    (on_log,) = right.plot([0.5, 1.0], [1.0, 10.0])
    with pytest.raises(ValueError, match="linear"):
        SvgLayer(fig, [on_log])
    loose = mpl.lines.Line2D([0, 1], [0, 1])
    with pytest.raises(ValueError, match="not in an axes"):
        SvgLayer(fig, [loose])
