"""The Chinese edition（中文版）: notebooks/zh/ built from the English notebooks and translations/zh/.

    python -m tools.zh.edition build [NAME ...]   write notebooks/zh/NAME.ipynb (all when no NAME)
    python -m tools.zh.edition check             every problem, one line each; exit 1 if any
    python -m tools.zh.edition stale [NAME ...]   stale / untranslated cells, English next to the old text
    python -m tools.zh.edition todo NAME         add a TODO section for each untranslated cell
    python -m tools.zh.edition mark NAME CELL   record that CELL's translation matches today's English
                                                    (--all: every stale or TODO cell of NAME)

NAME is a notebook's path under notebooks/ without .ipynb: `02_softmax_stability`,
`solutions/02_softmax_stability_solutions`. Its translation is translations/zh/NAME.md: one section per
markdown cell, each introduced by a line

    <!-- cell CELL_ID en:HASH -->

where HASH is the first 12 hex digits of the SHA-256 of the English cell's source when it was
translated (`en:TODO` for a section not translated yet). The Chinese notebook is the English notebook
with each markdown cell's source replaced by its section: code cells, outputs, cell ids, metadata and
attachments are the English ones, byte for byte. Links are written as the English cell writes them; the
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
import json
import posixpath
import re
import subprocess
import sys
from pathlib import Path

from tools import REPO

HASH_LEN = 12
TODO = "TODO"
MARKER = re.compile(r"^<!-- cell (?P<id>\S+) en:(?P<hash>[0-9a-f]{12}|TODO) -->$")
LOOKS_LIKE_MARKER = re.compile(r"^<!--\s*cell\b")
HEADER_COMMENT = re.compile(r"^<!--.*-->$")

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


@dataclasses.dataclass(frozen=True)
class Problem:
    notebook: str  # NAME
    cell: str | None
    kind: str  # missing todo stale orphan not-markdown unbuilt differs format untranslated listed no-english
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

    def pending(self):
        """NAMEs listed in translations/zh/untranslated.txt: chapters whose translation has not started."""
        path = self.translations / "untranslated.txt"
        if not path.exists():
            return []
        lines = (line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
        return [line for line in lines if line]

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
            current, body = Section(cell_id, match["hash"], "", number), []
        elif LOOKS_LIKE_MARKER.match(line):
            raise FormatError(f"{filename}:{number}: malformed section line {line!r}; expected "
                              f"'<!-- cell CELL_ID en:HASH -->' with a {HASH_LEN}-digit hex HASH or TODO")
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
        parts.append(f"<!-- cell {s.cell_id} en:{s.hash} -->\n{s.text}\n")
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


def build_notebook(english, sections, name, translated=None):
    """The Chinese notebook: a copy of `english` whose markdown sources come from `sections`.

    `translated`: the NAMEs that have a Chinese edition (links to others go to the English notebook).
    """
    by_id = {s.cell_id: s for s in sections}
    nb = copy.deepcopy(english)
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            cell["source"] = split_lines(chinese_text(cell, by_id.get(cell.get("id")), name, translated))
    return nb


def build(layout, names=None):
    """Write notebooks/zh/NAME.ipynb for each translated NAME; returns the paths written."""
    written = []
    for name in names or layout.translated_names():
        sections = load_sections(layout, name)
        if sections is None:
            raise SystemExit(f"no translation file {layout.translation(name)}")
        if not layout.english(name).exists():
            raise SystemExit(f"{layout.translation(name)}: no English notebook {layout.english(name)}")
        text = dump_notebook(build_notebook(read_notebook(layout.english(name)), sections, name,
                                            set(layout.translated_names())))
        out = layout.chinese(name)
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            written.append(out)
    return written


# -------------------------------------------------------------------------------------------- check

def cell_problems(name, english, sections):
    """Missing, TODO, stale and orphaned translations of one notebook."""
    problems = []
    by_id = {s.cell_id: s for s in sections}
    cells = {c.get("id"): c for c in english["cells"]}
    for cell in english["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        cid = cell.get("id")
        s = by_id.get(cid)
        if s is None:
            problems.append(Problem(name, cid, "missing", "English markdown cell has no translation (add "
                                    f"a section '<!-- cell {cid} en:TODO -->': "
                                    "python -m tools.zh.edition todo)"))
        elif s.hash == TODO:
            problems.append(Problem(name, cid, "todo", "translation is still marked en:TODO"))
        elif s.hash != source_hash(source(cell)):
            problems.append(Problem(name, cid, "stale",
                                    f"English changed since it was translated (recorded en:{s.hash}, "
                                    f"English now {source_hash(source(cell))}): "
                                    "python -m tools.zh.edition stale"))
    for s in sections:
        if s.cell_id not in cells:
            problems.append(Problem(name, s.cell_id, "orphan", f"translation (line {s.line}) refers to a "
                                    "cell id that the English notebook no longer has"))
        elif cells[s.cell_id]["cell_type"] != "markdown":
            problems.append(Problem(name, s.cell_id, "not-markdown", f"translation (line {s.line}) refers "
                                    f"to a {cells[s.cell_id]['cell_type']} cell"))
    return problems


def check(layout=Layout()):
    """Every problem of the Chinese edition under layout.root, as Problems."""
    problems = []
    english = set(layout.english_names())
    translated = set(layout.translated_names())
    pending = set(layout.pending())
    for name in sorted(english - translated - pending):
        problems.append(Problem(name, None, "untranslated", "English notebook has no translation file "
                                f"{layout.translation(name).relative_to(layout.root)}"))
    for name in sorted(pending & translated):
        problems.append(Problem(name, None, "listed", "has a translation file but is still listed in "
                                "translations/zh/untranslated.txt: delete the line"))
    for name in sorted(pending - english):
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
        problems += cell_problems(name, nb, sections)
        problems += build_problems(layout, name, nb, sections)
    return problems


def build_problems(layout, name, english, sections):
    """Is notebooks/zh/NAME.ipynb what `build` writes today? Names the first cell that differs."""
    out = layout.chinese(name)
    if not out.exists():
        return [Problem(name, None, "unbuilt", "generated notebook is missing: "
                        "run python -m tools.zh.edition build")]
    expected = build_notebook(english, sections, name, set(layout.translated_names()))
    text = out.read_text(encoding="utf-8")
    if text == dump_notebook(expected):
        return []
    hint = ("differs from what python -m tools.zh.edition build writes now "
            "(run it; never edit notebooks/zh by hand)")
    try:
        actual = json.loads(text)
    except json.JSONDecodeError:
        return [Problem(name, None, "differs", "is not valid JSON; " + hint)]
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
        if problem.kind not in ("missing", "todo", "stale", "orphan", "not-markdown"):
            out.append(f"* {problem}")
            continue
        name = problem.notebook
        english = {c.get("id"): c for c in read_notebook(layout.english(name))["cells"]}
        sections = {s.cell_id: s for s in load_sections(layout, name)}
        section = sections.get(problem.cell)
        out.append("=" * 100)
        out.append(f"translations/zh/{name}.md  cell {problem.cell}  [{problem.kind}]")
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


def todo(layout, name):
    """Add a TODO section (the English text to translate over) for each untranslated cell, in order."""
    path = layout.translation(name)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    sections = parse_translation(text, str(path)) if text else []
    by_id = {s.cell_id: s for s in sections}
    english = read_notebook(layout.english(name))
    md_ids = [c["id"] for c in english["cells"] if c["cell_type"] == "markdown"]
    added, ordered = [], []
    for cell in english["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        if cell["id"] in by_id:
            ordered.append(by_id[cell["id"]])
        else:
            ordered.append(Section(cell["id"], TODO, source(cell), 0))
            added.append(cell["id"])
    ordered += [s for s in sections if s.cell_id not in md_ids]  # orphans stay until deleted by hand
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
                    and s.text.strip() != source(english[s.cell_id]).strip()]
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
    args = parser.parse_args(argv)
    layout = Layout()
    if args.command == "build":
        for path in build(layout, args.names):
            print(f"wrote {path.relative_to(layout.root)}")
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
    return 0


if __name__ == "__main__":
    sys.exit(main())
