"""A still picture of the slide-a-filter explorer (for a notebook read without a kernel).

    fig = snapshot(image, W, stride, pad, row, output, words)   # a matplotlib Figure

Left, the padded digit with the window outlined; then the filter; then the output filled in im2col's
row order up to the window, as companion/static/filter_widget.js draws them.
"""

import re

import matplotlib as mpl
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

# Chinese words (lang="zh") fall back to the CJK font the set-up installs (Debian's fonts-noto-cjk)
FONTS = ["DejaVu Sans", "Noto Sans CJK SC"]


def snapshot(image, W, stride, pad, row, output, words):
    """image (H, W), W (k, k), the window's im2col row `row`, output (OH, OW), words: the strings."""
    image, W, output = (np.asarray(a, dtype=np.float64) for a in (image, W, output))
    if image.ndim != 2 or W.ndim != 2 or W.shape[0] != W.shape[1] or output.ndim != 2:
        raise ValueError(f"snapshot: image (H, W), W (k, k) and output (OH, OW) must be 2-D; got "
                         f"{image.shape}, {W.shape}, {output.shape}")
    if not 0 <= row < output.size:
        raise ValueError(f"snapshot: row must be an index of the output's {output.size} cells, got {row}")
    with mpl.rc_context({"font.family": FONTS}):
        k = W.shape[0]
        oh, ow = output.shape
        i, j = divmod(row, ow)
        fig = Figure(figsize=(10, 3.4), layout="constrained")
        ax_in, ax_f, ax_out = fig.subplots(1, 3, width_ratios=[1, 0.5, 1])
        ax_in.imshow(np.pad(image, pad), cmap="gray_r", vmin=0, vmax=1)
        ax_in.add_patch(Rectangle((j * stride - 0.5, i * stride - 0.5), k, k, fill=False, ec="#bc4c00", lw=2))
        ax_in.set_title(re.split(r" \(|（", words["input_caption"])[0], fontsize=10)  # no "drag" in a picture
        scale = 1.25 * (np.abs(W).max() or 1)  # light enough to read the numbers on
        ax_f.imshow(W, cmap="bwr", vmin=-scale, vmax=scale)
        ax_f.set_xticks(range(k))
        ax_f.set_yticks(range(k))
        for (u, v), w in np.ndenumerate(W):
            ax_f.text(v, u, f"{w:.2f}", ha="center", va="center", fontsize=8)
        ax_f.set_title(words["filter_caption"], fontsize=10)
        shown = np.where(np.arange(oh * ow).reshape(oh, ow) <= row, output, np.nan)
        scale = np.abs(output).max() or 1
        ax_out.imshow(shown, cmap="bwr", vmin=-scale, vmax=scale)
        ax_out.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, ec="#bc4c00", lw=2))
        ax_out.set_title(words["output_caption"], fontsize=10)
        for ax in (ax_in, ax_f, ax_out):
            ax.set_xlabel(words["axis_column"])
            ax.set_ylabel(words["axis_row"])
        return fig
