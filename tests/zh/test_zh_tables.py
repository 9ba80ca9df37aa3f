"""The Chinese edition's printed tables line up as the English ones do.

A Chinese character takes two columns of a fixed-width font, so f"{name:20s}" pads a Chinese label too
far; the notebooks pad labels with companion.language.ljust / rjust, which count display columns. The
check: wherever the English cell prints a run of two or more lines of the same length with a gap of
two spaces or more (a table), the Chinese cell's lines at the same places have the same display width.
"""

import json

import pytest

from companion.language import ljust, width
from tools import REPO
from tools.zh import edition as zh

LAYOUT = zh.Layout(REPO)
# (notebook, cell): why lines of equal length there are not a table
NOT_TABLES = {("03_loss_functions", "nb03-035"): "two sentences that happen to be equally long in English"}


def printed_lines(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    return {cell["id"]: "".join("".join(out.get("text", "")) for out in cell.get("outputs", [])
                                if out.get("output_type") == "stream").splitlines()
            for cell in nb["cells"] if cell["cell_type"] == "code"}


def tables(lines):
    """(start, stop) of each run of 2+ consecutive lines of equal, non-zero length with a 2-space gap."""
    start = 0
    while start < len(lines):
        stop = start + 1
        while stop < len(lines) and len(lines[stop]) == len(lines[start]):
            stop += 1
        if stop - start >= 2 and lines[start].strip() and "  " in lines[start]:
            yield start, stop
        start = stop


def uneven(english, chinese):
    """For each table of the English lines: the Chinese rows at its place, if their widths differ."""
    if len(chinese) != len(english):
        return []
    return [chinese[start:stop] for start, stop in tables(english)
            if len({width(row) for row in chinese[start:stop]}) > 1]


@pytest.mark.parametrize("name", LAYOUT.built_names())
def test_chinese_tables_line_up_like_the_english_ones(name):
    english, chinese = printed_lines(LAYOUT.english(name)), printed_lines(LAYOUT.chinese(name))
    found = [f"{cell}: " + " / ".join(f"{row!r} ({width(row)} columns)" for row in rows)
             for cell, lines in english.items() if (name, cell) not in NOT_TABLES
             for rows in uneven(lines, chinese.get(cell, []))]
    assert found == []


def test_the_check_finds_labels_padded_by_characters_and_passes_them_padded_by_columns():
    assert list(tables(["a    1", "bb   2", "", "one line", "two line"])) == [(0, 2)]
    names = {"apple": "苹果单价", "tax": "税率"}
    english = [f"{en:6s} {value}" for en, value in zip(names, (2.2, 200), strict=True)]
    by_characters = [f"{zh:6s} {value}" for zh, value in zip(names.values(), (2.2, 200), strict=True)]
    by_columns = [f"{ljust(zh, 9)} {value}" for zh, value in zip(names.values(), (2.2, 200), strict=True)]
    assert uneven(english, by_characters) == [by_characters]
    assert uneven(english, by_columns) == []
