"""Write docs/explorer.html and docs/explorer.zh-CN.html: the tower explorer of notebook 07 as one page
that needs no Python, in English and in Chinese.

    .venv/bin/python -m tools.generate.build_explorer_page          # rewrites both pages
    .venv/bin/python -m tools.generate.build_explorer_page --check  # exit 1 if a page is stale

A page (companion.explorer_page) holds the explorer's front end, the same ES module the notebook
widget loads, its CSS, the targets of companion.towers and the still pictures matplotlib renders for
them, all inline: it opens from disk with no server, network or CDN. GitHub Pages can serve it from
docs/. tests/unit/test_towers_view.py fails when a committed page is stale.
"""

import argparse
import sys

from companion.explorer_page import standalone_page
from tools import REPO

PAGES = {"en": REPO / "docs" / "explorer.html", "zh": REPO / "docs" / "explorer.zh-CN.html"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the pages are up to date")
    args = parser.parse_args()
    stale = 0
    for lang, page in PAGES.items():
        html = standalone_page(lang)
        where = page.relative_to(REPO)
        if args.check:
            if not page.exists() or page.read_text(encoding="utf-8") != html:
                print(f"{where} is stale: run python -m tools.generate.build_explorer_page", file=sys.stderr)
                stale = 1
            else:
                print(f"{where} is up to date")
            continue
        page.parent.mkdir(exist_ok=True)
        page.write_text(html, encoding="utf-8")
        print(f"wrote {where} ({len(html.encode()) / 1024:.0f} KiB)")
    return stale


if __name__ == "__main__":
    sys.exit(main())
