"""Write the convolution explorers' standalone pages: docs/draw_digit.html, docs/slide_filter.html and
their Chinese copies (.zh-CN.html), which need no Python.

    .venv/bin/python -m tools.generate.build_conv_pages           # rewrites the four pages
    .venv/bin/python -m tools.generate.build_conv_pages --check   # exit 1 if one is stale

Each page holds its explorer's front end (the same ES module the notebook widget loads), its CSS and
its opening state, weights and test digits inline (float32 in base64: no decimal numbers whose last
digit could differ between processors), so it opens from disk with no server, network or CDN.
tests/unit/test_conv_pages.py fails when a committed page differs from what this writes.
"""

import argparse
import sys

from tools import REPO


def pages():
    """{path relative to the repository: page text}."""
    from companion import draw_view, filter_view

    out = {}
    for lang, suffix in (("en", ""), ("zh", ".zh-CN")):
        out[f"docs/draw_digit{suffix}.html"] = draw_view.standalone_page(lang)
        out[f"docs/slide_filter{suffix}.html"] = filter_view.standalone_page(lang)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the pages are up to date")
    args = parser.parse_args()
    stale = []
    for name, html in pages().items():
        path = REPO / name
        if args.check:
            if not path.exists() or path.read_bytes() != html.encode("utf-8"):
                stale.append(name)
            continue
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(html.encode("utf-8"))
        print(f"wrote {name} ({len(html.encode()) / 1024:.0f} KiB)")
    if stale:
        print(f"stale: {', '.join(stale)}: run python -m tools.generate.build_conv_pages", file=sys.stderr)
        return 1
    if args.check:
        print("the convolution explorers' pages are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
