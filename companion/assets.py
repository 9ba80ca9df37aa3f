"""The explorers' static files (companion/static/): JavaScript, CSS and the standalone page's template.

    source("bowl_math.js", "controls.js", "bowl_widget.js")   # one ES module, as anywidget loads it

A front end is one ES module (anywidget loads a single file, with no build step), so the parts that
are separate files here for reading (the math, the shared controls, the widget) are joined in order.
"""

import json
from pathlib import Path
from string import Template

from common import _checks as check

STATIC = Path(__file__).resolve().parent / "static"


def read(name):
    """The text of one static file, by its name (e.g. "controls.js")."""
    files = sorted(path.name for path in STATIC.iterdir())
    if name not in files:
        raise ValueError(f"read: name must be one of the static files {files}, got {name!r}")
    return (STATIC / name).read_text(encoding="utf-8")


def source(*names):
    """Several static files joined, in order, into one text."""
    return "\n".join(read(name) for name in names)


def convolution_page(state, css, js, lang, text):
    """A convolution explorer's standalone page (explorer_standalone.html) with its state, CSS, ES
    module and the page's words `text` (a dict of the template's fields) in lang "en" or "zh"."""
    check.one_of(lang, ("en", "zh"), "convolution_page: lang")
    return Template(read("explorer_standalone.html")).substitute(
        lang="zh-CN" if lang == "zh" else "en", css=css, js=js,
        state=json.dumps(state, separators=(",", ":"), ensure_ascii=False), **text)
