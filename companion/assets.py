"""The explorers' static files (companion/static/): JavaScript, CSS and the standalone page's template.

    source("bowl_math.js", "controls.js", "bowl_widget.js")   # one ES module, as anywidget loads it

A front end is one ES module (anywidget loads a single file, with no build step), so the parts that
are separate files here for reading (the math, the shared controls, the widget) are joined in order.
"""

from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"


def read(name):
    """The text of one static file."""
    return (STATIC / name).read_text(encoding="utf-8")


def source(*names):
    """Several static files joined, in order, into one text."""
    return "\n".join(read(name) for name in names)
