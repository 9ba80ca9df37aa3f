"""common.towers_view: the explorer updates one figure in place and shows what common.towers computes.

The sliders are moved here by setting their values from Python, exactly what ipywidgets does when a
browser sends a change (tests/test_browser.py does it with real key presses in JupyterLab).
"""

import io
import math
import xml.etree.ElementTree as ET
import zlib

import numpy as np
import pytest
from PIL import Image

from common import towers as T
from common.towers_view import TowerExplorer, png_bytes, steepness_grid


def decode(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


@pytest.fixture
def explorer():
    return TowerExplorer(target="wiggly", n=10, w=200.0)


def test_png_bytes_round_trip_through_an_independent_decoder():
    rgba = np.random.default_rng(0).integers(0, 256, size=(7, 5, 4), dtype=np.uint8)
    png = png_bytes(rgba)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    np.testing.assert_array_equal(decode(png)[..., :3], rgba[..., :3])  # alpha is dropped
    assert (decode(png)[..., 3] == 255).all()
    # the IDAT chunk holds each row behind a 0 byte (no filter), deflated
    start = png.index(b"IDAT") + 4
    length = int.from_bytes(png[start - 8:start - 4], "big")
    raw = np.frombuffer(zlib.decompress(png[start:start + length]), dtype=np.uint8).reshape(7, 1 + 5 * 3)
    assert (raw[:, 0] == 0).all()
    with pytest.raises(ValueError, match="uint8"):
        png_bytes(np.zeros((3, 3, 4)))
    with pytest.raises(ValueError, match=r"\(H, W, 4\)"):
        png_bytes(np.zeros((3, 3, 3), dtype=np.uint8))


def polylines(svg):
    """The points of every polyline of an SVG, as (2, n) arrays of pixels, in drawing order."""
    root = ET.fromstring(svg)
    out = []
    for poly in root.iter("{http://www.w3.org/2000/svg}polyline"):
        out.append(np.array([p.split(",") for p in poly.get("points").split()], dtype=float).T)
    return out


def test_opening_state_matches_the_math_module(explorer):
    heights = T.fit_heights("wiggly", 10)
    np.testing.assert_array_equal(explorer.heights, heights)
    assert explorer.error == T.fit_error("wiggly", heights, 200.0)
    assert explorer.image.value == explorer.background_png
    assert explorer.overlay.value == explorer.svg
    background, snapshot = decode(explorer.background_png), decode(explorer.snapshot_png())
    assert background.shape == snapshot.shape == (306, 765, 4)  # 9 x 3.6 inches at 85 dpi
    # the still picture lacks exactly the moving parts: the two differ, but only inside the axes
    differs = (background != snapshot).any(axis=2)
    assert differs.any()
    inside = np.zeros_like(differs)
    for ax in (explorer.ax, explorer.ax_zoom):
        b = ax.bbox
        inside[int(306 - b.y1) - 2:int(306 - b.y0) + 3, int(b.x0) - 2:int(b.x1) + 3] = True
    assert not (differs & ~inside).any()
    text = explorer.describe()
    assert f"at most {explorer.error.max_abs:.3f} away" in text and "not there yet" in text
    assert "10 sigmoid towers at steepness w = 200" in text
    # the sum drawn is the tower sum, point for point, in the SVG as in the matplotlib artist
    x, y = explorer.line_sum.get_data()
    np.testing.assert_allclose(y, T.tower_sum(x, heights, 200.0))
    _ideal, drawn, _up, _down, _tower = polylines(explorer.svg)
    to_pixels = explorer.ax.transData.transform(np.column_stack((x, y)))
    np.testing.assert_allclose(drawn[0], to_pixels[:, 0], atol=0.051)
    np.testing.assert_allclose(drawn[1], 306 - to_pixels[:, 1], atol=0.051)


def test_slider_moves_update_the_same_artists_in_place(explorer):
    figure, lines, patches = explorer.fig, list(explorer.ax.get_lines()), list(explorer.ax.patches)
    redraws, frames, background = explorer.redraws, explorer.frames, explorer.background_png
    seen = {explorer.svg}
    moves = [(explorer.w_slider, 1000.0), (explorer.n_slider, 25), (explorer.tower_slider, 3),
             (explorer.height_slider, 0.9), (explorer.kind_buttons, "relu"), (explorer.w_slider, 50.0)]
    for control, value in moves:
        control.value = value
        assert explorer.svg not in seen, f"{control.description}: the figure did not change"
        seen.add(explorer.svg)
        assert explorer.overlay.value == explorer.svg
    assert explorer.fig is figure
    assert list(explorer.ax.get_lines()) == lines and list(explorer.ax.patches) == patches
    assert explorer.redraws == redraws  # the still picture was not re-rendered, nor re-sent
    assert explorer.background_png == background and explorer.image.value == background
    assert explorer.frames == frames + len(moves)
    assert (explorer.n, explorer.w, explorer.kind, explorer.selected) == (25, 50.0, "relu", 2)
    assert explorer.heights[2] == 0.9 and explorer.heights_source == "edited by hand"
    assert explorer.error == T.fit_error("wiggly", explorer.heights, 50.0, "relu")
    # and the SVG shows the new state: 25 relu towers at w = 50
    _ideal, drawn, *_ = polylines(explorer.svg)
    y_px = 306 - explorer.ax.transData.transform(np.column_stack((T.GRID, T.tower_sum(
        T.GRID, explorer.heights, 50.0, "relu"))))[:, 1]
    np.testing.assert_allclose(drawn[1], y_px, atol=0.051)


def test_n_change_reads_the_target_and_keeps_the_selection_in_range(explorer):
    explorer.tower_slider.value = 10
    explorer.n_slider.value = 4
    assert explorer.selected == 3 and explorer.tower_slider.max == 4 and explorer.tower_slider.value == 4
    np.testing.assert_array_equal(explorer.heights, T.fit_heights("wiggly", 4))
    assert explorer.height_slider.value == round(explorer.heights[3], 2)
    assert explorer.heights_source == "the target read off at each centre"  # the sync is not an edit


def test_auto_fit_button_sets_the_fitted_heights(explorer):
    explorer.w_slider.value = 60.0
    explorer.fit_button.click()
    np.testing.assert_allclose(explorer.heights, T.fit_heights("wiggly", 10, 60.0))
    assert explorer.heights_source == "auto-fitted for w = 60"
    c = T.tower_centres(10)
    np.testing.assert_allclose(T.tower_sum(c, explorer.heights, 60.0), T.TARGETS["wiggly"](c), atol=1e-12)
    assert explorer.error.max_abs < T.fit_error("wiggly", T.fit_heights("wiggly", 10), 60.0).max_abs


def test_auto_fit_falls_back_when_w_is_too_gentle(explorer):
    explorer.n_slider.value = 60
    explorer.w_slider.value = 10.0
    explorer.fit_button.click()
    np.testing.assert_array_equal(explorer.heights, T.fit_heights("wiggly", 60))
    assert "too gentle" in explorer.heights_source


def test_target_change_redraws_the_axes_once(explorer):
    redraws, background = explorer.redraws, explorer.background_png
    explorer.target_dropdown.value = "abs"
    assert explorer.redraws == redraws + 1
    assert explorer.background_png != background and explorer.image.value == explorer.background_png
    assert explorer.ax.get_title() == "target: |x - 0.5|"
    np.testing.assert_array_equal(explorer.heights, T.fit_heights("abs", 10))
    x, y = explorer.line_target.get_data()
    np.testing.assert_allclose(y, np.abs(x - 0.5))


def test_a_height_outside_the_y_range_grows_it(explorer):
    lo, hi = explorer.ax.get_ylim()
    redraws = explorer.redraws
    explorer.height_slider.value = 1.5
    assert explorer.ax.get_ylim()[1] > 1.5 > hi and explorer.redraws == redraws + 1


def test_echoes_from_the_browser_are_not_edits(explorer):
    """The browser snaps values to the slider grid and sends them back: no change of state."""
    before = explorer.frames
    explorer.height_slider.value = explorer.height_slider.value + 1e-12
    explorer.w_slider.value = 200.0 * (1 + 1e-12)
    assert explorer.frames == before and explorer.w == 200.0
    assert explorer.heights_source == "the target read off at each centre"


def test_status_says_when_the_bound_is_met(explorer):
    explorer.n_slider.value = 16
    explorer.w_slider.value = float(steepness_grid()[np.argmin(np.abs(steepness_grid() - 44.77))])
    explorer.fit_button.click()
    assert explorer.error.max_abs <= 0.05
    assert "Within the challenge bound 0.05" in explorer.describe()
    assert "#1a7f37" in explorer.status.value


def test_steepness_grid_is_the_sliders_grid():
    grid = steepness_grid()
    assert grid.size == 71 and 200.0 in grid
    np.testing.assert_allclose(np.diff(np.log10(grid)), 0.05)
    s = TowerExplorer().w_slider
    assert math.isclose(10**s.min, grid[0]) and math.isclose(10**s.max, grid[-1]) and s.step == 0.05


def test_timings_record_one_entry_per_frame(explorer):
    explorer.n_slider.value = 12  # also moves the tower and height sliders: still one frame
    explorer.w_slider.value = 300.0
    assert len(explorer.timings) == 2
    assert all(duration > 0 for _, duration in explorer.timings)


def test_bad_arguments(explorer):
    with pytest.raises(ValueError, match="kind must be one of"):
        TowerExplorer(kind="ideal")
    with pytest.raises(ValueError, match="N must be >= 1"):
        TowerExplorer(n=0)
    with pytest.raises(ValueError, match="unknown target"):
        TowerExplorer(target="cosine")
    with pytest.raises(ValueError, match="steepness w must be > 0"):
        TowerExplorer(w=-1.0)


def test_a_browser_change_is_not_echoed_back_but_other_sliders_still_echo(explorer, monkeypatch):
    import ipywidgets as widgets

    sent = []
    for control in (explorer.w_slider, explorer.n_slider):
        monkeypatch.setattr(control, "_send", lambda msg, buffers=None: sent.append(msg["method"]))
    explorer.w_slider.set_state({"value": 200.0 * 10**0.05})  # what the comm does with a browser change
    explorer.n_slider.set_state({"value": 11})
    assert (explorer.w, explorer.n) == (pytest.approx(200.0 * 10**0.05), 11)
    assert "echo_update" not in sent

    plain = widgets.FloatLogSlider(value=1.0)
    plain_sent = []
    monkeypatch.setattr(plain, "_send", lambda msg, buffers=None: plain_sent.append(msg["method"]))
    plain.set_state({"value": 2.0})
    assert plain_sent == ["echo_update"]  # the subclasses changed nothing for other widgets
