"""One figure style for every chapter. Imports matplotlib, so the math modules never import this.

Call use_style() once in a notebook's setup cell.
"""

import matplotlib as mpl

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


def use_style():
    """Apply the series' matplotlib style (rcParams) for the rest of the session."""
    mpl.rcParams.update(STYLE)
