"""Answers live in notebooks/solutions/NN_<name>_solutions.ipynb, never in the chapter notebook.

For every chapter notebook that has a solutions notebook: each exercise links to an anchor that exists
there (and every anchor there is linked), the chapter notebook hides nothing (no collapsed solution
cells), and the solutions notebook was executed top to bottom with its outputs stored, like a chapter.
"""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).parent.parent / "notebooks"
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


@pytest.mark.parametrize("path", SOLUTIONS, ids=[p.name for p in SOLUTIONS])
def test_solutions_notebook_was_executed_top_to_bottom(path):
    nb = cells(path)
    assert "".join(nb[0]["source"]).startswith(f"# Notebook {path.name[:2]} · Solutions（练习解答）")
    assert "".join(nb[-1]["source"]).startswith("## References（参考文献）")
    code = [c for c in nb if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    assert any(c["outputs"] for c in code), f"{path.name}: no stored outputs"
    assert not any(o["output_type"] == "error" for c in code for o in c["outputs"])
