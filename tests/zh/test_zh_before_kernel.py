"""What the Chinese notebooks show in an explorer's cell before a kernel runs is Chinese too.

A widget's output stores a text/plain line beside its view; a reader sees it where widgets cannot
render (before the notebook runs, on a page that shows stored outputs). The explorers write it in
their own language (BEFORE_KERNEL in each view module).
"""

import json
import re

import pytest

from companion import bowl_view, draw_view, filter_view, towers_view
from tools import REPO
from tools.zh import edition as zh

LAYOUT = zh.Layout(REPO)
CHINESE = re.compile(r"[\u4e00-\u9fff]")
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
VIEWS = [(towers_view, towers_view.TowerExplorer), (bowl_view, bowl_view.BowlExplorer),
         (draw_view, draw_view.DrawDigit), (filter_view, filter_view.SlideFilter)]


@pytest.mark.parametrize(("module", "explorer"), VIEWS, ids=lambda v: getattr(v, "__name__", ""))
def test_each_explorer_says_what_it_is_in_its_language(module, explorer):
    for lang in ("en", "zh"):
        assert repr(explorer(lang=lang)) == module.BEFORE_KERNEL[lang]
    assert CHINESE.search(module.BEFORE_KERNEL["zh"]) and not CHINESE.search(module.BEFORE_KERNEL["en"])


def widget_texts(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [(cell["id"], "".join(out["data"].get("text/plain", "")))
            for cell in nb["cells"] if cell["cell_type"] == "code"
            for out in cell.get("outputs", []) if WIDGET_VIEW in out.get("data", {})]


def test_the_chinese_notebooks_store_chinese_text_beside_their_explorers():
    stored = {name: widget_texts(LAYOUT.chinese(name)) for name in LAYOUT.built_names()}
    assert sum(len(texts) for texts in stored.values()) >= 4  # notebooks 07, 09 and 10's two
    english = [(name, cell, text[:60]) for name, texts in stored.items() for cell, text in texts
               if not CHINESE.search(text)]
    assert english == []
