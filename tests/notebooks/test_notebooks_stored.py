"""nbval compares nothing for a cell without stored outputs: check the notebooks were executed.

Every notebook must be saved after a fresh top-to-bottom run: code cells numbered 1, 2, 3, ... in
order, no error outputs (unless the cell is tagged raises-exception), no machine paths in outputs.
"""

import json
import re

import pytest

from tools import REPO

ROOT = REPO / "notebooks"
# Chapters and their solutions notebooks (the Chinese edition is generated from them: tests/test_zh_*).
NOTEBOOKS = sorted(ROOT.glob("*.ipynb")) + sorted((ROOT / "solutions").glob("*.ipynb"))
MACHINE_PATH = re.compile(r"/(root|home|tmp|work|Users)/")


def code_cells(nb):
    return [c for c in nb["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.relative_to(ROOT).as_posix() for p in NOTEBOOKS])
def test_notebook_was_executed_top_to_bottom(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = code_cells(nb)
    assert cells, f"{path.name} has no code"
    counts = [c.get("execution_count") for c in cells]
    assert counts == list(range(1, len(cells) + 1)), f"{path.name}: execution counts {counts}"
    assert any(c.get("outputs") for c in cells), f"{path.name}: no stored outputs"
    for i, cell in enumerate(cells, start=1):
        for out in cell.get("outputs", []):
            if out["output_type"] == "error":
                assert "raises-exception" in cell["metadata"].get("tags", []), f"{path.name} cell {i}"
            assert not MACHINE_PATH.search(json.dumps(out)), f"{path.name} cell {i} shows a path"


def test_every_chapter_is_present():
    names = {p.name for p in NOTEBOOKS}
    expected = {
        "01_activations.ipynb",
        "02_softmax_stability.ipynb",
        "03_loss_functions.ipynb",
        "04_numerical_gradient.ipynb",
        "05_computational_graph.ipynb",
        "06_softmax_with_loss.ipynb",
        "07_universal_approximation.ipynb",
        "08_training.ipynb",
        "09_learning_techniques.ipynb",
        "10_convolutional_networks.ipynb",
    }
    assert expected <= names, f"missing: {sorted(expected - names)}"
