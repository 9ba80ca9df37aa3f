"""Lines of checks against lines of formula in common's modules, at a commit or in the work tree.

    python bench/check_lines.py [--rev REV] [FILE ...]     (default: common/functions.py common/layers.py)

Counts code lines only: no blank lines, comments or docstrings. Each code line inside a function is
either a check or formula; `def`/`class` lines, imports and module-level constants are neither.
A line is a check if it lies in

  * a private function (name starting with "_") that raises or warns anywhere in its body: a
    validation helper, counted whole (the old `_as_float`, `_batched`, `_check_dout`, ...);
  * a `raise` statement, or an `if` statement whose own body raises (the guard with its condition);
  * a statement that calls a check: a helper of the rule above, one imported from another module of
    common whose name says it checks (`_check_*`, `_as_float`, `_reject_nan`, `_scores_of_finite`,
    ...), or any function of `common._checks` (imported as `check`).

Everything else in a function body is formula (the primer's lines and their bookkeeping). The rule
is applied the same way to both versions, so before and after are comparable; common/_checks.py,
which holds every check after issue 20, is counted as checks throughout when it is given.
"""

import argparse
import ast
import io
import subprocess
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IMPORTED_CHECK_PREFIXES = ("_check", "_as_float", "_reject_nan", "_scores_of_finite", "_scores_and_max",
                           "_batched", "_positive", "_fraction", "_state", "_finite", "_needs")


def source(path, rev):
    if rev is None:
        return (ROOT / path).read_text(encoding="utf-8")
    return subprocess.run(["git", "-C", str(ROOT), "show", f"{rev}:{path}"], check=True,
                          capture_output=True, text=True).stdout


def code_lines(text, tree):
    """Line numbers holding code: not blank, not only a comment, not part of a docstring."""
    lines = set()
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT,
                            tokenize.DEDENT, tokenize.ENDMARKER):
            lines.update(range(tok.start[0], tok.end[0] + 1))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and body and \
                isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and \
                isinstance(body[0].value.value, str):
            lines -= set(span(body[0]))
    return lines


def span(node):
    return range(node.lineno, node.end_lineno + 1)


def raises_or_warns(node):
    return any(isinstance(n, ast.Raise) or (isinstance(n, ast.Call) and called_name(n) == "warn")
               for n in ast.walk(node))


def called_name(call):
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None


def calls_a_check(node, helpers):
    for n in ast.walk(node):
        if isinstance(n, ast.Call):
            f = n.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "check":
                return True
            if called_name(n) in helpers or (isinstance(f, ast.Name)
                                             and f.id.startswith(IMPORTED_CHECK_PREFIXES)):
                return True
    return False


def classify(stmts, helpers, checks, formula):
    for stmt in stmts:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and \
                isinstance(stmt.value.value, str):
            continue  # a docstring
        if isinstance(stmt, ast.FunctionDef | ast.ClassDef):
            continue  # nested definitions: handled by the caller's walk
        guard = isinstance(stmt, ast.If) and any(isinstance(s, ast.Raise) for s in stmt.body)
        if isinstance(stmt, ast.Raise) or guard:
            checks.update(span(stmt))
        elif isinstance(stmt, ast.If | ast.For | ast.While | ast.With | ast.Try):
            header_end = stmt.body[0].lineno - 1
            target = checks if calls_a_check(getattr(stmt, "test", getattr(stmt, "iter", stmt)), helpers) \
                and not isinstance(stmt, ast.Try) else formula
            target.update(range(stmt.lineno, header_end + 1))
            for block in ("body", "orelse", "finalbody"):
                classify(getattr(stmt, block, []), helpers, checks, formula)
            for handler in getattr(stmt, "handlers", []):
                formula.add(handler.lineno)
                classify(handler.body, helpers, checks, formula)
        elif calls_a_check(stmt, helpers):
            checks.update(span(stmt))
        else:
            formula.update(span(stmt))


def count(text, whole_module_is_checks=False):
    tree = ast.parse(text)
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
    helpers = {f.name for f in functions if f.name.startswith("_") and not f.name.startswith("__")
               and raises_or_warns(f)}
    checks, formula = set(), set()
    for f in functions:
        body = [s for s in f.body if not isinstance(s, ast.FunctionDef | ast.ClassDef)]
        if whole_module_is_checks or f.name in helpers:
            for s in body:
                checks.update(span(s))
        else:
            classify(body, helpers, checks, formula)
    code = code_lines(text, tree)
    checks &= code
    formula = (formula & code) - checks
    return len(checks), len(formula), len(code)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--rev", help="a commit (default: the work tree)")
    parser.add_argument("files", nargs="*", default=["common/functions.py", "common/layers.py"])
    args = parser.parse_args()
    print(f"command: python bench/check_lines.py {' '.join(sys.argv[1:])}".rstrip())
    print("| file | check lines | formula lines | code lines |\n|---|---:|---:|---:|")
    for path in args.files:
        c, f, n = count(source(path, args.rev), whole_module_is_checks=path.endswith("_checks.py"))
        print(f"| {path} | {c} | {f} | {n} |")


if __name__ == "__main__":
    main()
