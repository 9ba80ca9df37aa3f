"""companion.plotting: show() needs alt text; pixel_map() is matplotlib's own data -> pixel transform."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from companion.plotting import pixel_map, show


def test_pixel_map_agrees_with_transdata_in_top_left_pixels():
    fig, ax = plt.subplots(figsize=(5, 3), dpi=100)
    ax.set_xlim(-10, 10)
    ax.set_ylim(-4, 4)
    fig.canvas.draw()
    m = pixel_map(ax)
    points = np.random.default_rng(0).uniform([-10, -4], [10, 4], size=(20, 2))
    display = ax.transData.transform(points)  # origin bottom left
    np.testing.assert_allclose(m["sx"] * points[:, 0] + m["ox"], display[:, 0], atol=1e-9)
    np.testing.assert_allclose(m["sy"] * points[:, 1] + m["oy"], 300 - display[:, 1], atol=1e-9)
    left, top, width, height = m["clip"]
    assert (left, top + height) == pytest.approx((ax.bbox.x0, 300 - ax.bbox.y0))
    plt.close(fig)


def test_pixel_map_refuses_log_axes_and_show_refuses_missing_alt():
    fig, ax = plt.subplots()
    ax.set_yscale("log")
    with pytest.raises(ValueError, match="linear"):
        pixel_map(ax)
    with pytest.raises(ValueError, match="alt"):
        show(fig, alt="  ")
    plt.close(fig)
