"""A still picture of the draw-a-digit explorer (for a notebook read without a kernel).

    fig = snapshot(image, mlp_probabilities, cnn_probabilities, maps, words)   # a matplotlib Figure

Left, the 28 x 28 input; middle, both networks' class probabilities as bars; right, the 30 pooled
feature maps, as companion/static/draw_widget.js draws them (0 white, the largest value black).
"""

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure

# Chinese words (lang="zh") fall back to the CJK font the set-up installs (Debian's fonts-noto-cjk)
FONTS = ["DejaVu Sans", "Noto Sans CJK SC"]


def snapshot(image, mlp, cnn, maps, words):
    """image (28, 28), mlp and cnn (10,) probabilities, maps (FN, 12, 12), words: the explorer's strings."""
    image, mlp, cnn, maps = (np.asarray(a, dtype=np.float64) for a in (image, mlp, cnn, maps))
    if image.shape != (28, 28) or mlp.shape != (10,) or cnn.shape != (10,) or maps.ndim != 3:
        raise ValueError(f"snapshot: image must be (28, 28), mlp and cnn (10,), maps (FN, H, W); got "
                         f"{image.shape}, {mlp.shape}, {cnn.shape}, {maps.shape}")
    with mpl.rc_context({"font.family": FONTS}):
        fig = Figure(figsize=(11, 3.2), layout="constrained")
        ax_in, ax_mlp, ax_cnn, ax_maps = fig.subplots(1, 4, width_ratios=[1, 1.1, 1.1, 2.4])
        ax_in.imshow(image, cmap="gray_r", vmin=0, vmax=1)
        ax_in.set_title(words["input_caption"], fontsize=10)
        ax_in.set_xlabel(words["axis_column"])
        ax_in.set_ylabel(words["axis_row"])
        for ax, p, title, colour in ((ax_mlp, mlp, words["mlp_title"], "#0969da"),
                                     (ax_cnn, cnn, words["cnn_title"], "#8250df")):
            colours = ["#afb8c1"] * 10
            colours[int(np.argmax(p))] = colour
            ax.barh(np.arange(10), p, color=colours)
            ax.set_yticks(np.arange(10))
            ax.invert_yaxis()
            ax.set_xlim(0, 1)
            ax.set_xlabel(words["axis_probability"])
            ax.set_ylabel(words["axis_digit"])
            ax.set_title(title, fontsize=10)
        fn, side, _ = maps.shape
        cols = 10
        rows = -(-fn // cols)
        grid = np.full((rows * (side + 1) - 1, cols * (side + 1) - 1), np.nan)
        for f in range(fn):
            r, c = divmod(f, cols)
            grid[r * (side + 1):r * (side + 1) + side, c * (side + 1):c * (side + 1) + side] = maps[f]
        ax_maps.imshow(grid, cmap="gray_r", vmin=0, vmax=max(float(maps.max()), 1e-12))
        ax_maps.set_title(words["maps_caption"], fontsize=9, wrap=True)
        ax_maps.set_xticks([])
        ax_maps.set_yticks([])
        ax_maps.set_xlabel(words["axis_maps"])
        return fig
