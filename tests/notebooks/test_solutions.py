"""Answers live in notebooks/solutions/NN_<name>_solutions.ipynb, never in the chapter notebook.

For every chapter notebook that has a solutions notebook: each exercise links to an anchor that exists
there (and every anchor there is linked), and the chapter notebook hides nothing (no collapsed solution
cells). tests/test_notebooks_stored.py checks that solutions notebooks were executed, like chapters.
"""

import json
import re

import pytest

from tools import REPO

NOTEBOOKS = REPO / "notebooks"
SOLUTIONS = sorted((NOTEBOOKS / "solutions").glob("*_solutions.ipynb"))
LINK = re.compile(r"\[Solution\]\(solutions/([\w-]+\.ipynb)#(exercise-\d+)\)")
ANCHOR = re.compile(r'^## Exercise (\d+) <a id="(exercise-\d+)"></a>', re.M)


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def chapter_of(solutions_path):
    return NOTEBOOKS / solutions_path.name.replace("_solutions.ipynb", ".ipynb")


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.name for p in SOLUTIONS])
def test_every_exercise_links_to_its_answer(path):
    chapter = chapter_of(path)
    assert chapter.exists(), f"{path.name} has no chapter notebook {chapter.name}"
    links = [m.groups() for c in cells(chapter) if c["cell_type"] == "markdown"
             for m in LINK.finditer("".join(c["source"]))]
    anchors = [m.groups() for c in cells(path) if c["cell_type"] == "markdown"
               for m in ANCHOR.finditer("".join(c["source"]))]
    assert all(k == a.split("-")[1] for k, a in anchors), f"{path.name}: heading and anchor differ"
    assert {target for target, _ in links} == {path.name}, f"{chapter.name} links elsewhere: {links}"
    assert [a for _, a in links] == [a for _, a in anchors], f"{chapter.name} vs {path.name}"
    assert 2 <= len(anchors) <= 4


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.name for p in SOLUTIONS])
def test_the_chapter_notebook_holds_no_answer(path):
    for cell in cells(chapter_of(path)):
        assert "source_hidden" not in cell["metadata"].get("jupyter", {}), cell.get("id")
        assert "outputs_hidden" not in cell["metadata"].get("jupyter", {}), cell.get("id")
        assert "Solution (click" not in "".join(cell["source"]), cell.get("id")
