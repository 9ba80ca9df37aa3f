"""Each Chinese code cell is the English cell's program, and prints the English cell's numbers.

The program: the Python tokens of the two sources are the same, except comments (dropped) and string
literals. A run of adjacent literals counts as one (it is one string to Python); where it holds
f-strings, the expressions inside the braces (with their conversions and format specs) must be the
same, in order; only the literal text around them, and string constants inside them ({'value':>10}),
may differ. Python 3.11 tokenizes an f-string as one STRING token, so it is read with ast.

The numbers: every number in a Chinese cell's text outputs (stdout, stderr, text/plain) equals the
number in the English cell's outputs, in order, digit for digit. Cells whose output nbval ignores (tagged
nbval-ignore-output with a reason: timings, widget ids) are left out of this comparison only.
Untranslated code is allowed only where translations/zh/untranslated.txt says so (`NAME code`).
"""

import ast
import io
import json
import re
import tokenize

import pytest

from tools import REPO
from tools.zh import edition as zh

LAYOUT = zh.Layout(REPO)
BUILT = LAYOUT.built_names()
SKIP = {tokenize.COMMENT, tokenize.NL, tokenize.ENCODING}
# A number as Python and numpy print it: a sign unless it is a hyphen after a letter, digit or bracket,
# digits (with thousands commas), decimals, an exponent; digits inside a name (W1) count too, and nan, inf.
NUMBER = re.compile(r"(?:(?<![A-Za-z0-9_)\]])[-+])?(?<![\d.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?"
                    r"(?:[eE][-+]?\d+)?|(?<![A-Za-z])(?:nan|inf)(?![A-Za-z])")
DONE = [n for n in BUILT if n not in LAYOUT.code_pending()]  # chapters whose code cells are translated


class _Blank(ast.NodeTransformer):
    """Every string constant of an expression made empty: a string literal, free to differ."""

    def visit_Constant(self, node):
        return ast.Constant("") if isinstance(node.value, str) else node


def literal_run(strings):
    """What a run of adjacent string literals means to the program: the f-string parts between braces."""
    parts = []
    for text in strings:
        node = ast.parse(text, mode="eval").body
        if isinstance(node, ast.JoinedStr):
            for value in node.values:
                if isinstance(value, ast.FormattedValue):
                    spec = ast.dump(value.format_spec) if value.format_spec else None
                    parts.append((ast.dump(_Blank().visit(value.value)), value.conversion, spec))
    return ("STRING", tuple(parts))


def program(code):
    """The tokens of `code` that make its program: comments dropped, each run of literals reduced."""
    out, run = [], []
    for tok in tokenize.generate_tokens(io.StringIO(code).readline):
        if tok.type in SKIP:
            continue
        if tok.type == tokenize.STRING:
            run.append(tok.string)
            continue
        if run:
            out.append(literal_run(run))
            run = []
        out.append((tok.type, tok.string))
    return out


def numbers(cell):
    texts = []
    for output in cell.get("outputs", []):
        if output["output_type"] == "stream":
            texts.append(zh.source({"source": output["text"]}))
        elif "text/plain" in output.get("data", {}):
            texts.append(zh.source({"source": output["data"]["text/plain"]}))
        elif output["output_type"] == "error":
            texts.append(output["ename"] + ": " + output["evalue"])
    return NUMBER.findall("\n".join(texts))


def pairs(name):
    en = json.loads(LAYOUT.english(name).read_text(encoding="utf-8"))
    cn = json.loads(LAYOUT.chinese(name).read_text(encoding="utf-8"))
    assert [c["id"] for c in cn["cells"]] == [c["id"] for c in en["cells"]], f"zh/{name}: cell ids"
    return [(e, c) for e, c in zip(en["cells"], cn["cells"], strict=True) if e["cell_type"] == "code"]


# ------------------------------------------------------------------------------------ the rule itself

def test_program_ignores_comments_and_literal_text_but_not_code():
    en = 'x = f(a, "apple")  # the price\nprint(f"price: {x:.2f} yen", "per kg")\n'
    assert program(en) == program('x = f(a, "苹果")  # 价格\nprint(f"价格：{x:.2f} 日元", "每" "千克")\n')
    assert program(en) != program('x = f(b, "apple")\nprint(f"price: {x:.2f} yen", "per kg")\n')
    assert program(en) != program('x = f(a, "apple")\nprint(f"价格：{x + 1:.2f}", "per kg")\n')
    assert program(en) != program('x = f(a, "apple")\nprint(f"价格：{x:.3f}", "per kg")\n')
    assert program(en) != program('x = f(a, "apple")\nprint(f"价格：{x!r:.2f}", "per kg")\n')
    assert program(en) != program('x = f(a, "apple")\nprint(f"价格：{x:.2f}")\n')  # a literal less
    assert program('print(f"{\'value\':>10}{x!r}")') == program('print(f"{\'值\':>10}{x!r}")')
    assert program('print(f"{\'value\':>10}")') != program('print(f"{\'值\':>12}")')


def test_numbers_are_read_in_order_with_sign_and_exponent():
    cell = {"outputs": [
        {"output_type": "stream", "text": ["d price / d apple = 2.2\n", "err 5.2e-13, -0.25\n"]},
        {"output_type": "execute_result", "data": {"text/plain": ["array([ 1.,  0.5, -3.])"]}}]}
    assert numbers(cell) == ["2.2", "5.2e-13", "-0.25", "1.", "0.5", "-3."]
    chinese = {"outputs": [{"output_type": "stream", "text": "层 W1 (784, 50)：3,970,000 为-0.25 nan\n"}]}
    assert numbers(chinese) == ["1", "784", "50", "3,970,000", "-0.25", "nan"]
    assert numbers({"outputs": [{"output_type": "stream", "text": "a^(l-1) <Figure size 632x296>"}]}) == \
        ["1", "632", "296"]


# ------------------------------------------------------------------------------------- the notebooks

@pytest.mark.parametrize("name", BUILT)
def test_each_chinese_code_cell_is_the_english_program(name):
    for e, c in pairs(name):
        en, cn = zh.source(e), zh.source(c)
        where = f"notebooks/zh/{name}.ipynb, cell {e['id']}"
        assert program(cn) == program(en), f"{where}: not the English program"


@pytest.mark.parametrize("name", BUILT)
def test_each_chinese_code_cell_prints_the_english_numbers(name):
    for e, c in pairs(name):
        if "nbval-ignore-output" in e.get("metadata", {}).get("tags", []):
            continue
        where = f"notebooks/zh/{name}.ipynb, cell {e['id']}"
        assert c.get("execution_count") is not None, f"{where}: not executed"
        assert numbers(c) == numbers(e), f"{where}: numbers differ"


@pytest.mark.parametrize("name", DONE)
def test_figures_have_chinese_alt_text(name):
    for _, c in pairs(name):
        for output in c.get("outputs", []):
            if "image/png" in output.get("data", {}):
                alt = output.get("metadata", {}).get("image/png", {}).get("alt", "")
                assert zh_text(alt), f"notebooks/zh/{name}.ipynb, cell {c['id']}: alt text {alt[:80]!r}"


def zh_text(text):
    return re.search(r"[\u4e00-\u9fff]", text)


@pytest.mark.parametrize("name", DONE)
def test_translated_chapters_have_no_english_comment(name):
    """A chapter not listed as `NAME code` (the check of tools/zh/edition.py asks a code section of
    each code cell with words in it): no comment is an English sentence."""
    for e, c in pairs(name):
        for tok in tokenize.generate_tokens(io.StringIO(zh.source(c)).readline):
            if tok.type == tokenize.COMMENT:
                assert zh_text(tok.string) or not re.search(r"[a-z]{2,} [a-z]{2,}", tok.string), \
                    f"notebooks/zh/{name}.ipynb, cell {e['id']}: English comment {tok.string!r}"


@pytest.mark.parametrize("name", BUILT)
def test_no_figure_of_the_chinese_edition_misses_a_glyph(name):
    """matplotlib reports each character it cannot draw (an empty box) on stderr: none may be missing."""
    for _, c in pairs(name):
        for output in c.get("outputs", []):
            text = zh.source({"source": output.get("text", "")})
            assert not re.search(r"does not have a glyph|Glyph \d+ .*missing", text), \
                f"notebooks/zh/{name}.ipynb, cell {c['id']}: {text[:200]}"
