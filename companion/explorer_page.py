"""docs/explorer.html: the tower explorer of notebook 07 as one page that needs no Python.

    from companion.explorer_page import standalone_page
    html = standalone_page()        # what tools/build_explorer_page.py writes

The page is the template companion/static/explorer_page.html filled with the explorer's CSS, its front
end (the same ES module the notebook widget loads, companion.towers_view.esm_source), and its opening
state with the still pictures, all inline: it opens from disk with no server or network.

The page is compared byte for byte with what this builds (a test), on every processor. Its numbers
are display and opening state only, so they are written to 12 significant digits: the last bit of
numpy's exp, sin or pow differs between processors (AVX-512 or not, x86 or ARM) and would otherwise
show in the 16th or 17th digit (a steepness written 11.24682650380698 on one machine and
11.246826503806982 on another).
"""

import json
from string import Template

from companion.assets import read
from companion.towers_view import esm_source, initial_state, sent_once

DIGITS = 12  # significant digits of every number in the page


def _rounded(value):
    """value with every float in it rounded to DIGITS significant digits (lists and dicts walked)."""
    if isinstance(value, float):
        return float(f"{value:.{DIGITS}g}")
    if isinstance(value, dict):
        return {key: _rounded(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def page_state():
    """The page's opening state: the widget's state and what it reads once, numbers rounded."""
    return _rounded({**initial_state(), **sent_once()})


def standalone_page():
    """The whole page (HTML text)."""
    state = json.dumps(page_state(), separators=(",", ":"))
    return Template(read("explorer_page.html")).substitute(css=read("explorer.css"), js=esm_source(),
                                                         state=state)
