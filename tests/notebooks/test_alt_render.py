"""Alt text reaches a static render: nbconvert's classic template (what nbviewer-style renders use)
puts each figure's stored alt text on its <img>.

nbconvert's newer `lab` template does not read output metadata at all (it writes a placeholder and warns),
which is a limitation of that template, not of the notebooks.
"""


import nbformat
import pytest
from nbconvert import HTMLExporter

from tools import REPO

ROOT = REPO / "notebooks"


@pytest.mark.parametrize("name", ["02_softmax_stability.ipynb", "05_computational_graph.ipynb"])
def test_classic_render_carries_every_figures_alt_text(name):
    from bs4 import BeautifulSoup

    nb = nbformat.read(ROOT / name, as_version=4)
    stored = [out["metadata"]["image/png"]["alt"] for cell in nb.cells for out in cell.get("outputs", [])
              if "image/png" in out.get("data", {})]
    html, _ = HTMLExporter(template_name="classic").from_notebook_node(nb)
    shown = [img.get("alt") for img in BeautifulSoup(html, "html.parser").find_all("img")
             if img.get("src", "").startswith("data:image/png")]
    assert stored and shown == stored
