"""The project's own tooling, run from the repository root as modules (`python -m tools.zh.edition`).

    tools.setup     what `make` calls: the venv, Chromium and a CJK font, the JupyterLab server setting
    tools.generate  generators of committed files: the standalone explorer page, trained weights
    tools.zh        the Chinese edition: its builder and the glossary rule
    tools.browser   JupyterLab or a page in headless Chromium: the driver the browser tests and bench/ share

REPO is the repository root, for the tools and the tests alike.
"""

from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
