"""The Chinese edition（中文版）: notebooks/zh/ built from the English notebooks and translations/zh/.

    python -m tools.zh.edition build [NAME ...]   write notebooks/zh/NAME.ipynb (all when no NAME)
    python -m tools.zh.edition check             every problem, one line each; exit 1 if any
    python -m tools.zh.edition stale [NAME ...]   stale / untranslated cells, English next to the old text
    python -m tools.zh.edition todo NAME         add a TODO section for each untranslated cell
    python -m tools.zh.edition mark NAME CELL   record that CELL's translation matches today's English
                                                    (--all: every stale or TODO cell of NAME)
    python -m tools.zh.edition execute [NAME ...] run the Chinese notebooks and store their outputs
                                                    (no NAME: those with a cell not executed yet)

NAME is a notebook's path under notebooks/ without .ipynb: `02_softmax_stability`,
`solutions/02_softmax_stability_solutions`. Its translation is translations/zh/NAME.md: one section per
markdown cell, each introduced by a line

    <!-- cell CELL_ID en:HASH -->

where HASH is the first 12 hex digits of the SHA-256 of the English cell's source when it was
translated (`en:TODO` for a section not translated yet). A code cell with words in it (comments, the
strings that label printed results and figures) has a section too,

    <!-- code CELL_ID en:HASH -->
    ```python
    the Chinese cell's whole source: the same program, comments and strings in Chinese
    ```

or an empty one (reviewed: nothing to translate, the English source is kept). The Chinese notebook is
the English notebook with each markdown cell's source replaced by its section and each code cell's by
its code section (the English code where there is none, or where it is TODO or stale: a program that
no longer matches the English is never built); cell ids, metadata and attachments are the English
ones. Outputs are the Chinese notebook's own: `build` keeps a code cell's stored outputs while its
source stays the same and clears them when it changes; `execute` runs the notebook (as nbval does)
and stores what the Chinese code prints and draws. Links are written as the English cell writes them; the
build points links to other notebooks at their Chinese edition (same relative path, since notebooks/zh
mirrors notebooks/) and re-roots every other relative link so it still reaches the same file.
A cell whose translation is missing or stale is still built, with a visible notice, so a reader is never
shown an outdated translation as if it were current; `check` (run by `make test`) fails on it.
"""

import argparse
import copy
import dataclasses
import difflib
import hashlib
import io
import json
import os
import posixpath
import re
import subprocess
import sys
import tokenize
from pathlib import Path

from tools import REPO

HASH_LEN = 12
TODO = "TODO"
MARKER = re.compile(r"^<!-- (?P<kind>cell|code) (?P<id>\S+) en:(?P<hash>[0-9a-f]{12}|TODO) -->$")
LOOKS_LIKE_MARKER = re.compile(r"^<!--\s*(?:cell|code)\b")
FENCE = re.compile(r"\A```python\n(?P<code>.*)\n```\Z", re.S)
HEADER_COMMENT = re.compile(r"^<!--.*-->$")
WIDGETS = "widgets"  # notebook metadata: the widget state JupyterLab shows before a kernel runs

MISSING_NOTICE = "> **（尚未翻译）** 本段暂无中文译文，以下为英文原文。\n\n"
STALE_NOTICE = ("\n\n> **（译文可能已过时）** 英文原文在翻译之后有改动，"
                "请对照[英文版]({english})。")


class FormatError(ValueError):
    """A translation file that cannot be read: says which file and line."""


@dataclasses.dataclass
class Section:
    cell_id: str
    hash: str  # HASH_LEN hex digits, or TODO
    text: str
    line: int  # of the marker, 1-based
    kind: str = "cell"  # "cell": a markdown cell's translation; "code": a code cell's

    @property
    def code(self):
        """A code section's Chinese source, or None when it is empty (the English source is kept)."""
        return FENCE.match(self.text)["code"] if self.text.strip() else None

    def usable(self, english_source):
        """Is this section's text the translation of `english_source` (not TODO, not stale)?"""
        return self.hash == source_hash(english_source)


@dataclasses.dataclass(frozen=True)
class Problem:
    notebook: str  # NAME
    cell: str | None
    kind: str  # missing todo stale orphan not-markdown unbuilt differs unexecuted format untranslated
    #            listed no-english
    message: str

    def __str__(self):
        where = f"notebooks/zh/{self.notebook}.ipynb" + (f", cell {self.cell}" if self.cell else "")
        return f"{where}: {self.message}"


@dataclasses.dataclass(frozen=True)
class Layout:
    """Where the English notebooks, the translations and the Chinese notebooks live under `root`."""

    root: Path = REPO

    @property
    def notebooks(self):
        return self.root / "notebooks"

    @property
    def zh(self):
        return self.notebooks / "zh"

    @property
    def translations(self):
        return self.root / "translations" / "zh"

    def english_names(self):
        """NAME of every English notebook: notebooks/*.ipynb and notebooks/solutions/*.ipynb."""
        paths = list(self.notebooks.glob("*.ipynb")) + list(self.notebooks.glob("solutions/*.ipynb"))
        return sorted(p.relative_to(self.notebooks).with_suffix("").as_posix() for p in paths)

    def translated_names(self):
        return sorted(p.relative_to(self.translations).with_suffix("").as_posix()
                      for p in self.translations.glob("**/*.md"))

    def built_names(self):
        return sorted(p.relative_to(self.zh).with_suffix("").as_posix() for p in self.zh.glob("**/*.ipynb")
                      if ".ipynb_checkpoints" not in p.parts)

    def _listed(self):
        path = self.translations / "untranslated.txt"
        if not path.exists():
            return []
        lines = (line.split("#")[0].split() for line in path.read_text(encoding="utf-8").splitlines())
        return [words for words in lines if words]

    def pending(self):
        """NAMEs listed alone in translations/zh/untranslated.txt: chapters not started."""
        return [words[0] for words in self._listed() if len(words) == 1]

    def code_pending(self):
        """NAMEs listed as `NAME code`: chapters whose prose is translated, their code cells not yet."""
        return [words[0] for words in self._listed() if words[1:] == ["code"]]

    def english(self, name):
        return self.notebooks / f"{name}.ipynb"

    def translation(self, name):
        return self.translations / f"{name}.md"

    def chinese(self, name):
        return self.zh / f"{name}.ipynb"


# ------------------------------------------------------------------------------------ reading, writing

def source(cell):
    src = cell["source"]
    return src if isinstance(src, str) else "".join(src)


def source_hash(text):
    """The first HASH_LEN hex digits of the SHA-256 of a cell's source (UTF-8)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:HASH_LEN]


def read_notebook(path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def dump_notebook(nb):
    """The bytes nbformat writes (sorted keys, indent 1, UTF-8), so a save from JupyterLab is a no-op."""
    return json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def parse_translation(text, filename="<translation>"):
    """The sections of a translation file, in file order. Raises FormatError naming file and line."""
    sections, seen = [], {}
    current, body = None, []

    def close():
        if current is not None:
            current.text = "\n".join(body).strip("\n")
            if current.kind == "code" and current.text.strip() and not FENCE.match(current.text):
                raise FormatError(f"{filename}:{current.line}: the code section of {current.cell_id} must "
                                  "be one ```python fenced block (or empty: the English code is kept)")
            sections.append(current)

    for number, line in enumerate(text.splitlines(), start=1):
        match = MARKER.match(line)
        if match:
            close()
            cell_id = match["id"]
            if cell_id in seen:
                raise FormatError(f"{filename}:{number}: cell {cell_id} has a second section "
                                  f"(the first is at line {seen[cell_id]})")
            seen[cell_id] = number
            current, body = Section(cell_id, match["hash"], "", number, match["kind"]), []
        elif LOOKS_LIKE_MARKER.match(line):
            raise FormatError(f"{filename}:{number}: malformed section line {line!r}; expected "
                              f"'<!-- cell CELL_ID en:HASH -->' or '<!-- code CELL_ID en:HASH -->' "
                              f"with a {HASH_LEN}-digit hex HASH or TODO")
        elif current is None:
            if line.strip() and not HEADER_COMMENT.match(line.strip()):
                raise FormatError(f"{filename}:{number}: text before the first section line")
        else:
            body.append(line)
    close()
    return sections


def format_translation(sections, header):
    parts = [header.rstrip("\n") + "\n"] if header else []
    for s in sections:
        parts.append(f"<!-- {s.kind} {s.cell_id} en:{s.hash} -->\n{s.text}\n")
    return "\n".join(parts)


def file_header(text):
    """The comment lines before the first section."""
    lines = []
    for line in text.splitlines():
        if MARKER.match(line):
            break
        lines.append(line)
    return "\n".join(lines).strip("\n")


def load_sections(layout, name):
    path = layout.translation(name)
    if not path.exists():
        return None
    return parse_translation(path.read_text(encoding="utf-8"), str(path.relative_to(layout.root)))


# -------------------------------------------------------------------------------------------- links

LINK = re.compile(r"(?P<pre>\]\(\s*<?|\b(?:href|src)\s*=\s*[\"'])(?P<target>[^)\s\"'>]+)")
EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|#|/)")


def rewrite_links(text, name, translated=None):
    """Links written as in English notebook NAME, made right for its Chinese edition.

    A link to a notebook under notebooks/ keeps its relative path, which from notebooks/zh/ reaches the
    Chinese notebook, if that notebook is in `translated` (a set of NAMEs; None: every notebook); a link
    to a notebook not translated yet reaches the English one, and any other relative link is re-rooted
    to reach the same file as in English.
    """
    en_dir = posixpath.dirname(f"notebooks/{name}")
    zh_dir = posixpath.dirname(f"notebooks/zh/{name}")

    def fix(match):
        target = match["target"]
        if EXTERNAL.match(target):
            return match[0]
        path, sep, fragment = target.partition("#")
        resolved = posixpath.normpath(posixpath.join(en_dir, path))
        linked = resolved[len("notebooks/"):-len(".ipynb")]
        in_english_tree = resolved.startswith("notebooks/") and not resolved.startswith("notebooks/zh/")
        if path.endswith(".ipynb") and in_english_tree and (translated is None or linked in translated):
            new = posixpath.relpath(f"notebooks/zh/{linked}.ipynb", zh_dir)
        else:
            new = posixpath.relpath(resolved, zh_dir)
        return match["pre"] + new + sep + fragment

    return LINK.sub(fix, text)


# -------------------------------------------------------------------------------------------- build

def split_lines(text):
    """A cell source as nbformat stores it: a list of lines, each but the last ending in newline."""
    return text.splitlines(keepends=True)


def chinese_text(cell, section, name, translated=None):
    """The markdown a Chinese cell shows for English `cell` and its `section` (None if untranslated)."""
    english = source(cell)
    if section is None or section.hash == TODO:
        return MISSING_NOTICE + rewrite_links(english, name, translated)
    text = rewrite_links(section.text, name, translated)
    if section.hash != source_hash(english):
        text += STALE_NOTICE.format(english=posixpath.relpath(f"notebooks/{name}.ipynb",
                                                              posixpath.dirname(f"notebooks/zh/{name}")))
    return text


def chinese_code(cell, section):
    """The source of the Chinese code cell for English `cell`: its code section's while that is current;
    the English source when there is none, it is empty (nothing to translate), TODO or stale."""
    english = source(cell)
    if section is None or not section.usable(english) or section.code is None:
        return english
    return section.code


def by_kind(sections, kind):
    return {s.cell_id: s for s in sections if s.kind == kind}


def build_notebook(english, sections, name, translated=None, previous=None):
    """The Chinese notebook: a copy of `english` whose markdown and code sources come from `sections`.

    `translated`: the NAMEs that have a Chinese edition (links to others go to the English notebook).
    `previous`: the Chinese notebook as it is now; a code cell keeps its outputs there while its source
    is unchanged, and is left unexecuted (no outputs, no execution count) when its source changed.
    """
    prose, code = by_kind(sections, "cell"), by_kind(sections, "code")
    before = {c.get("id"): c for c in (previous or {}).get("cells", []) if c.get("cell_type") == "code"}
    nb = copy.deepcopy(english)
    # the widgets' stored state is the Chinese run's (`execute` stores it), not the English one
    nb["metadata"].pop(WIDGETS, None)
    if WIDGETS in (previous or {}).get("metadata", {}):
        nb["metadata"][WIDGETS] = previous["metadata"][WIDGETS]
    for cell in nb["cells"]:
        cid = cell.get("id")
        if cell["cell_type"] == "markdown":
            cell["source"] = split_lines(chinese_text(cell, prose.get(cid), name, translated))
        elif cell["cell_type"] == "code":
            text = chinese_code(cell, code.get(cid))
            cell["source"] = split_lines(text)
            old = before.get(cid)
            if old is not None and source(old) == text:
                cell["outputs"], cell["execution_count"] = old.get("outputs", []), old.get("execution_count")
            else:
                cell["outputs"], cell["execution_count"] = [], None
    return nb


def read_if_valid(path):
    try:
        return read_notebook(path) if path.exists() else None
    except json.JSONDecodeError:
        return None


def build(layout, names=None):
    """Write notebooks/zh/NAME.ipynb for each translated NAME; returns the paths written."""
    written = []
    for name in names or layout.translated_names():
        sections = load_sections(layout, name)
        if sections is None:
            raise SystemExit(f"no translation file {layout.translation(name)}")
        if not layout.english(name).exists():
            raise SystemExit(f"{layout.translation(name)}: no English notebook {layout.english(name)}")
        out = layout.chinese(name)
        text = dump_notebook(build_notebook(read_notebook(layout.english(name)), sections, name,
                                            set(layout.translated_names()), read_if_valid(out)))
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            written.append(out)
    return written


def unexecuted(nb):
    """Ids of the code cells of a notebook that have not been executed since their source changed."""
    return [c.get("id") for c in nb["cells"] if c["cell_type"] == "code" and c.get("execution_count") is None]


SERIAL = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def execute(layout, name, timeout=900):
    """Run notebooks/zh/NAME.ipynb top to bottom in a fresh kernel in its own folder (as nbval does,
    with one BLAS thread as `make test`) and store each code cell's outputs and execution count."""
    import nbformat  # only this command needs Jupyter
    from nbclient import NotebookClient

    path = layout.chinese(name)
    nb = nbformat.read(path, as_version=4)
    saved = {k: os.environ.get(k) for k in SERIAL}
    os.environ.update(SERIAL)
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    executed = json.loads(nbformat.writes(nb))
    ran = {c["id"]: c for c in executed["cells"]}
    stored = read_notebook(path)
    stored["metadata"].pop(WIDGETS, None)
    if WIDGETS in executed["metadata"]:
        stored["metadata"][WIDGETS] = executed["metadata"][WIDGETS]
    for cell in stored["cells"]:
        if cell["cell_type"] == "code":
            done = ran[cell["id"]]
            cell["outputs"], cell["execution_count"] = done["outputs"], done["execution_count"]
    path.write_text(dump_notebook(stored), encoding="utf-8")
    return path


# -------------------------------------------------------------------------------------------- check

WORD = re.compile(r"[A-Za-z]{2}")


def has_words(code):
    """Does a code cell hold words a reader reads: a comment, or a string with a Latin word in it?"""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return True
    return any(t.type == tokenize.COMMENT or (t.type == tokenize.STRING and WORD.search(t.string))
               for t in tokens)


def untouched(section, english_source):
    """Is a section's text still the English itself (a TODO nobody has translated)?"""
    text = section.code if section.kind == "code" else section.text
    return text is not None and text.strip() == english_source.strip()


def cell_problems(name, english, sections, code_listed=False):
    """Missing, TODO, stale and orphaned translations of one notebook. `code_listed`: NAME's code cells
    are listed as not translated yet, so a code cell with words may still lack its section."""
    problems = []
    by_id = {s.cell_id: s for s in sections}
    cells = {c.get("id"): c for c in english["cells"]}
    for cell in english["cells"]:
        cid = cell.get("id")
        s = by_id.get(cid)
        kind = {"markdown": "cell", "code": "code"}.get(cell["cell_type"])
        if kind is None or (s is not None and s.kind != kind):
            continue
        what = "markdown" if kind == "cell" else "code"
        if s is None:
            if kind == "cell":
                problems.append(Problem(name, cid, "missing", "English markdown cell has no translation (add "
                                        f"a section '<!-- cell {cid} en:TODO -->': "
                                        "python -m tools.zh.edition todo)"))
            elif not code_listed and has_words(source(cell)):
                problems.append(Problem(name, cid, "missing", "English code cell has comments or strings but "
                                        f"no code section (add '<!-- code {cid} en:TODO -->': "
                                        "python -m tools.zh.edition todo; an empty section keeps the "
                                        "English)"))
        elif s.hash == TODO:
            problems.append(Problem(name, cid, "todo", f"{what} translation is still marked en:TODO"))
        elif s.hash != source_hash(source(cell)):
            problems.append(Problem(name, cid, "stale",
                                    f"English {'code ' if kind == 'code' else ''}changed since it was "
                                    f"translated (recorded en:{s.hash}, "
                                    f"English now {source_hash(source(cell))}): "
                                    "python -m tools.zh.edition stale"))
    for s in sections:
        if s.cell_id not in cells:
            problems.append(Problem(name, s.cell_id, "orphan", f"translation (line {s.line}) refers to a "
                                    "cell id that the English notebook no longer has"))
        elif {"cell": "markdown", "code": "code"}[s.kind] != cells[s.cell_id]["cell_type"]:
            problems.append(Problem(name, s.cell_id, "wrong-kind", f"{s.kind} section (line {s.line}) refers "
                                    f"to a {cells[s.cell_id]['cell_type']} cell"))
    return problems


def check(layout=Layout()):
    """Every problem of the Chinese edition under layout.root, as Problems."""
    problems = []
    english = set(layout.english_names())
    translated = set(layout.translated_names())
    pending = set(layout.pending())
    code_pending = set(layout.code_pending())
    for name in sorted(english - translated - pending):
        problems.append(Problem(name, None, "untranslated", "English notebook has no translation file "
                                f"{layout.translation(name).relative_to(layout.root)}"))
    for name in sorted(pending & translated):
        problems.append(Problem(name, None, "listed", "has a translation file but is still listed in "
                                "translations/zh/untranslated.txt: delete the line"))
    for name in sorted(code_pending - translated):
        problems.append(Problem(name, None, "listed", "listed as `NAME code` in translations/zh/"
                                "untranslated.txt but has no translation file: list NAME alone"))
    for name in sorted((pending | code_pending) - english):
        problems.append(Problem(name, None, "no-english", "listed in translations/zh/untranslated.txt but "
                                f"the English notebook notebooks/{name}.ipynb does not exist"))
    for name in sorted(translated - english):
        problems.append(Problem(name, None, "no-english", f"translation file exists but the English notebook "
                                f"{layout.english(name).relative_to(layout.root)} does not"))
    for name in sorted(set(layout.built_names()) - translated):
        problems.append(Problem(name, None, "no-english", "generated notebook has no translation file "
                                "(delete it, or restore its translation)"))
    for name in sorted(translated & english):
        try:
            sections = load_sections(layout, name)
        except FormatError as err:
            problems.append(Problem(name, None, "format", str(err)))
            continue
        nb = read_notebook(layout.english(name))
        problems += cell_problems(name, nb, sections, name in code_pending)
        code = {cid for cid, s in by_kind(sections, "code").items() if s.hash != TODO}
        if name in code_pending and not any(has_words(source(c)) and c.get("id") not in code
                                            for c in nb["cells"] if c["cell_type"] == "code"):
            problems.append(Problem(name, None, "listed", "every code cell has its code section, but the "
                                    "chapter is still listed as `NAME code` in "
                                    "translations/zh/untranslated.txt: delete the line"))
        problems += build_problems(layout, name, nb, sections)
    return problems


def build_problems(layout, name, english, sections):
    """Is notebooks/zh/NAME.ipynb what `build` writes today? Names the first cell that differs."""
    out = layout.chinese(name)
    if not out.exists():
        return [Problem(name, None, "unbuilt", "generated notebook is missing: "
                        "run python -m tools.zh.edition build")]
    hint = ("differs from what python -m tools.zh.edition build writes now "
            "(run it; never edit notebooks/zh by hand)")
    text = out.read_text(encoding="utf-8")
    try:
        actual = json.loads(text)
    except json.JSONDecodeError:
        return [Problem(name, None, "differs", "is not valid JSON; " + hint)]
    expected = build_notebook(english, sections, name, set(layout.translated_names()), actual)
    if text == dump_notebook(expected):
        waiting = unexecuted(actual)
        if not waiting:
            return []
        return [Problem(name, waiting[0], "unexecuted", f"{len(waiting)} code cell(s) not executed since "
                        f"their source changed: python -m tools.zh.edition execute {name}")]
    ids = [c.get("id") for c in actual.get("cells", [])]
    if ids != [c.get("id") for c in expected["cells"]]:
        return [Problem(name, None, "differs", "its cells are not the English notebook's cells; " + hint)]
    for a, e in zip(actual["cells"], expected["cells"], strict=True):
        if a != e:
            return [Problem(name, e.get("id"), "differs", hint)]
    return [Problem(name, None, "differs", "notebook metadata or formatting " + hint)]


# -------------------------------------------------------------------------------- translator's tools

def git_versions(layout, name, limit=300):
    """(commit, English notebook) for each committed version of notebooks/NAME.ipynb, newest first."""
    rel = f"notebooks/{name}.ipynb"
    try:
        log = subprocess.run(["git", "log", f"-{limit}", "--format=%h", "--", rel], cwd=layout.root,
                             capture_output=True, text=True, check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        return
    for commit in log:
        shown = subprocess.run(["git", "show", f"{commit}:{rel}"], cwd=layout.root, capture_output=True,
                               text=True)
        if shown.returncode == 0:
            try:
                yield commit, json.loads(shown.stdout)
            except json.JSONDecodeError:
                continue


def english_when_translated(layout, name, cell_id, recorded):
    """(commit, source) of the committed English cell whose hash is `recorded`, or None."""
    for commit, nb in git_versions(layout, name):
        for cell in nb.get("cells", []):
            if cell.get("id") == cell_id and source_hash(source(cell)) == recorded:
                return commit, source(cell)
    return None


def indent(text, prefix="    "):
    return "\n".join(prefix + line if line else prefix.rstrip() for line in text.splitlines())


def stale_report(layout, names=None):
    """What a translator needs for each stale, TODO, missing or orphaned cell, as text."""
    out = []
    for problem in check(layout):
        if names and problem.notebook not in names:
            continue
        if problem.kind not in ("missing", "todo", "stale", "orphan", "wrong-kind"):
            out.append(f"* {problem}")
            continue
        name = problem.notebook
        english = {c.get("id"): c for c in read_notebook(layout.english(name))["cells"]}
        sections = {s.cell_id: s for s in load_sections(layout, name)}
        section = sections.get(problem.cell)
        out.append("=" * 100)
        is_code = english.get(problem.cell, {}).get("cell_type") == "code"
        kind = section.kind if section else ("code" if is_code else "cell")
        out.append(f"translations/zh/{name}.md  {kind} {problem.cell}  [{problem.kind}]")
        if problem.cell in english:
            now = source(english[problem.cell])
            out.append(f"-- English now (en:{source_hash(now)}):")
            out.append(indent(now))
            if problem.kind == "stale":
                found = english_when_translated(layout, name, problem.cell, section.hash)
                if found:
                    commit, before = found
                    out.append(f"-- What changed in English since the translation (commit {commit} -> now):")
                    diff = difflib.unified_diff(before.splitlines(), now.splitlines(), "translated from",
                                                "English now", lineterm="", n=1)
                    out.append(indent("\n".join(list(diff)[2:])))
                else:
                    out.append(f"-- (no committed English version with en:{section.hash} found in git)")
            if problem.kind == "missing":
                twins = [s.cell_id for s in sections.values()
                         if s.cell_id not in english and s.hash == source_hash(now)]
                if twins:
                    out.append(f"-- the orphaned section {twins[0]} was translated from exactly this text: "
                               f"rename its id to {problem.cell}")
        if section is not None:
            out.append(f"-- Translation (line {section.line}, en:{section.hash}):")
            out.append(indent(section.text))
        if problem.kind in ("stale", "todo"):
            out.append("-- when the translation is right: "
                       f"python -m tools.zh.edition mark {name} {problem.cell}")
        elif problem.kind == "missing":
            out.append(f"-- add a section for it: python -m tools.zh.edition todo {name}")
        else:
            out.append("-- delete this section from the translation file (its English cell is gone)")
    return "\n".join(out)


def fenced(code):
    return f"```python\n{code}\n```"


def todo(layout, name):
    """Add a TODO section (the English text to translate over) for each untranslated markdown cell and,
    unless NAME is listed as `NAME code` (code not started), each code cell with words in it (comments,
    strings), in notebook order."""
    path = layout.translation(name)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    sections = parse_translation(text, str(path)) if text else []
    by_id = {s.cell_id: s for s in sections}
    english = read_notebook(layout.english(name))
    ids = [c["id"] for c in english["cells"]]
    with_code = name not in layout.code_pending()
    added, ordered = [], []
    for cell in english["cells"]:
        cid = cell["id"]
        if cid in by_id:
            ordered.append(by_id[cid])
        elif cell["cell_type"] == "markdown":
            ordered.append(Section(cid, TODO, source(cell), 0))
            added.append(cid)
        elif cell["cell_type"] == "code" and with_code and has_words(source(cell)):
            ordered.append(Section(cid, TODO, fenced(source(cell)), 0, "code"))
            added.append(cid)
    ordered += [s for s in sections if s.cell_id not in ids]  # orphans stay until deleted by hand
    header = file_header(text) if text else (
        f"<!-- 中文译文 of notebooks/{name}.ipynb, built into notebooks/zh/{name}.ipynb. "
        "See translations/README.md. -->")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(format_translation(ordered, header), encoding="utf-8")
    return added


def mark(layout, name, cell_ids, everything=False):
    """Record today's English hash for the given cells (every stale / TODO cell with everything=True)."""
    path = layout.translation(name)
    text = path.read_text(encoding="utf-8")
    sections = parse_translation(text, str(path))
    english = {c.get("id"): c for c in read_notebook(layout.english(name))["cells"]}
    by_id = {s.cell_id: s for s in sections}
    if everything:  # a TODO section whose text is still the English one is not translated: left alone
        cell_ids = [s.cell_id for s in sections if s.cell_id in english
                    and s.hash != source_hash(source(english[s.cell_id]))
                    and not untouched(s, source(english[s.cell_id]))]
    for cid in cell_ids:
        if cid not in by_id:
            raise SystemExit(f"{path}: no section for cell {cid}")
        if cid not in english:
            raise SystemExit(f"{path}: cell {cid} is not in notebooks/{name}.ipynb")
        by_id[cid].hash = source_hash(source(english[cid]))
    path.write_text(format_translation(sections, file_header(text)), encoding="utf-8")
    return list(cell_ids)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="write notebooks/zh/ from the English notebooks and translations")
    p_build.add_argument("names", nargs="*")
    sub.add_parser("check", help="list every problem; exit 1 if there is one")
    p_stale = sub.add_parser("stale", help="stale / untranslated cells with the English next to them")
    p_stale.add_argument("names", nargs="*")
    p_todo = sub.add_parser("todo", help="add TODO sections for untranslated cells")
    p_todo.add_argument("name")
    p_mark = sub.add_parser("mark", help="record that a cell's translation matches today's English")
    p_mark.add_argument("name")
    p_mark.add_argument("cells", nargs="*")
    p_mark.add_argument("--all", action="store_true", help="every stale or TODO cell of NAME")
    p_exec = sub.add_parser("execute", help="run Chinese notebooks and store their outputs")
    p_exec.add_argument("names", nargs="*")
    args = parser.parse_args(argv)
    layout = Layout()
    if args.command == "build":
        for path in build(layout, args.names):
            print(f"wrote {path.relative_to(layout.root)}")
        waiting = [n for n in layout.built_names() if unexecuted(read_notebook(layout.chinese(n)))]
        if waiting:
            print("to execute (code changed): python -m tools.zh.edition execute " + " ".join(waiting))
    elif args.command == "check":
        problems = check(layout)
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    elif args.command == "stale":
        report = stale_report(layout, args.names)
        print(report or "nothing is stale: every English markdown cell has a current translation")
        return 1 if report else 0
    elif args.command == "todo":
        added = todo(layout, args.name)
        print(f"{layout.translation(args.name).relative_to(layout.root)}: {len(added)} TODO section(s) added"
              + (": " + " ".join(added) if added else ""))
    elif args.command == "mark":
        if not args.cells and not args.all:
            parser.error("name the cells to mark, or pass --all")
        marked = mark(layout, args.name, args.cells, args.all)
        print(f"marked {len(marked)} cell(s) as translated from today's English: {' '.join(marked)}")
    elif args.command == "execute":
        names = args.names or [n for n in layout.built_names()
                               if unexecuted(read_notebook(layout.chinese(n)))]
        for name in names:
            print(f"executing notebooks/zh/{name}.ipynb ...", flush=True)
            execute(layout, name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
