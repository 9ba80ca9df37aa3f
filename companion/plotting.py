"""One figure style for every chapter. Imports matplotlib, so the math modules never import this.

Call use_style(lang="en") (or "zh") once in a notebook's setup cell, and show each figure with show(fig, alt).
"""

import matplotlib as mpl
import matplotlib.pyplot as plt

from common import _checks as check
from companion.language import check_language, set_language

STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "legend.framealpha": 0.9,
    "lines.linewidth": 2.0,
    # Stable SVG/PNG output: no random ids or timestamps in saved figures.
    "svg.hashsalt": "dlfs-companion",
}


# Fonts for Chinese text, tried in order: Debian's fonts-noto-cjk (the set-up installs it), then macOS's
# and Windows' usual CJK fonts. Latin text keeps matplotlib's DejaVu Sans (so the English figures are
# unchanged); a character DejaVu Sans lacks is drawn with the first CJK font installed.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans CJK JP", "PingFang SC", "Heiti SC", "Hiragino Sans GB",
             "Microsoft YaHei", "SimHei")


def cjk_fonts():
    """The CJK_FONTS matplotlib finds on this machine, in order (empty: Chinese would show as boxes)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in CJK_FONTS if name in installed]


def use_style(lang="en"):
    """Apply the series' matplotlib style (rcParams) for the rest of the session, and make `lang`
    ("en" or "zh") the language of the words companion's code writes (companion.language)."""
    set_language(check_language(lang, "use_style"))
    mpl.rcParams.update(STYLE)
    mpl.rcParams["font.family"] = ["DejaVu Sans", *cjk_fonts()]


def show(fig, alt):
    """Display `fig` as a PNG whose alt text is `alt`, then close it.

    The alt text goes into the output's metadata, where nbconvert (and so nbviewer) puts it on the
    <img>, for readers who cannot see the picture. `alt`: one sentence saying what the figure shows.
    """
    from IPython.display import display  # only notebooks call this; keep the module importable without

    if not isinstance(alt, str):
        raise TypeError(f"show: alt must be a sentence describing the figure, got {type(alt).__name__}")
    if not alt.strip():
        raise ValueError(f"show: alt must be a non-empty sentence describing the figure, got {alt!r}")
    display(fig, metadata={"image/png": {"alt": alt.strip()}})
    plt.close(fig)


def pixel_map(ax):
    """Data coordinates of `ax` -> its figure's pixels (origin top left, y down), for a front end that
    draws over a still PNG of the figure: x_px = sx * x + ox, y_px = sy * y + oy, and the axes box
    `clip` = [left, top, width, height] where matplotlib clips lines. Linear axes only; valid until
    the axes' limits or layout change (draw the figure once before)."""
    check.has(ax, ("get_xscale", "transData", "bbox"), "pixel_map: ax", "matplotlib Axes")
    if ax.get_xscale() != "linear" or ax.get_yscale() != "linear":
        raise ValueError("pixel_map: only linear axes map to pixels by sx * x + ox")
    height = ax.figure.bbox.height
    (x0, y0), (x1, y1) = ax.transData.transform([(0.0, 0.0), (1.0, 1.0)])
    box = ax.bbox
    return {"sx": x1 - x0, "ox": x0, "sy": -(y1 - y0), "oy": height - y0,
            "clip": [box.x0, height - box.y1, box.width, box.height]}
