"""What a reader sees in the stored notebooks: titles, sources, figures (tests/test_solutions.py: answers).

Checked on every English chapter notebook and its solutions notebook, as GitHub, nbviewer and
JupyterLab show them without running anything.
"""

import json
import re

import pytest

from tools import REPO

NOTEBOOKS = REPO / "notebooks"
CHAPTERS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
SOLUTIONS = sorted((NOTEBOOKS / "solutions").glob("[0-9][0-9]_*_solutions.ipynb"))
ALL = CHAPTERS + SOLUTIONS

# Names a reader has never seen: the study notes the facts were gathered from, and test plumbing.
UNSEEN = re.compile(r"seed\s*0\d\d|seeds\s*0\d\d|\bthe notes\b|study notes|NBVAL_", re.IGNORECASE)


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def text(cell):
    return "".join(cell["source"])


def ids(paths):
    return [p.relative_to(NOTEBOOKS).as_posix() for p in paths]


@pytest.mark.parametrize("path", CHAPTERS, ids=ids(CHAPTERS))
def test_chapter_title_names_the_notebook_and_the_primer_sections(path):
    first = text(load(path)["cells"][0])
    number = path.name[:2]
    assert first.startswith(f"# Notebook {number} · "), f"{path.name}: title is {first.splitlines()[0]!r}"
    title = first.splitlines()[0]
    assert "第" not in title, f"{path.name}: the title numbers a chapter: {title!r}"
    assert re.search(r"§\s*\d|appendix|附录", first, re.IGNORECASE), f"{path.name}: no primer section named"


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_ends_with_references_and_cites_no_unseen_names(path):
    cells = load(path)["cells"]
    last = text(cells[-1])
    assert last.startswith("## References（参考文献）"), f"{path.name}: last cell is not References"
    assert re.search(r"^- ", last, re.MULTILINE), f"{path.name}: References lists nothing"
    for i, cell in enumerate(cells):
        found = UNSEEN.search(text(cell))
        assert not found, f"{path.name} cell {i} says {found.group(0)!r}"


@pytest.mark.parametrize("path", CHAPTERS, ids=ids(CHAPTERS))
def test_chapter_has_a_summary_before_its_references(path):
    cells = load(path)["cells"]
    assert text(cells[-2]).startswith("## Summary（本章小结）"), f"{path.name}: no summary before References"


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_every_figure_has_alt_text(path):
    for i, cell in enumerate(load(path)["cells"]):
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}):
                alt = out.get("metadata", {}).get("image/png", {}).get("alt", "")
                assert len(alt.split()) >= 4, f"{path.name} cell {i}: a figure without alt text"


@pytest.mark.parametrize("path", ALL, ids=ids(ALL))
def test_volatile_cells_are_tagged_with_a_reason_out_of_sight(path):
    for i, cell in enumerate(load(path)["cells"]):
        tags = cell["metadata"].get("tags", [])
        if "nbval-ignore-output" in tags or "nbval-skip" in tags:
            assert cell["metadata"].get("nbval_reason"), f"{path.name} cell {i}: tagged without a reason"


def test_every_chapter_has_its_solutions_notebook():
    have = {p.name.removesuffix("_solutions.ipynb") for p in SOLUTIONS}
    assert {p.stem for p in CHAPTERS} == have
