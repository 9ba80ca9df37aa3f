"""Write docs/explorer.html: the tower explorer of notebook 07 as one page that needs no Python.

    .venv/bin/python tools/build_explorer_page.py          # rewrites docs/explorer.html
    .venv/bin/python tools/build_explorer_page.py --check  # exit 1 if docs/explorer.html is stale

The page (companion.explorer_page) holds the explorer's front end, the same ES module the notebook
widget loads, its CSS, the targets of companion.towers and the still pictures matplotlib renders for
them, all inline: it opens from disk with no server, network or CDN. GitHub Pages can serve it from
docs/. tests/test_towers_view.py fails when the committed page is stale.
"""

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "docs" / "explorer.html"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the page is up to date")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))  # run from a checkout without installing the package
    from companion.explorer_page import standalone_page

    html = standalone_page()
    if args.check:
        if not PAGE.exists() or PAGE.read_text(encoding="utf-8") != html:
            print(f"{PAGE.relative_to(REPO)} is stale: run python tools/build_explorer_page.py",
                  file=sys.stderr)
            return 1
        print(f"{PAGE.relative_to(REPO)} is up to date")
        return 0
    PAGE.parent.mkdir(exist_ok=True)
    PAGE.write_text(html, encoding="utf-8")
    print(f"wrote {PAGE.relative_to(REPO)} ({len(html.encode()) / 1024:.0f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
