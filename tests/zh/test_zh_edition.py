"""The Chinese edition (notebooks/zh/, built by tools/zh/edition.py) cannot go stale.

On the repository: every English markdown cell of a translated chapter has a current translation, and
so has every code cell with words in it (unless its chapter is listed as `NAME code`), no translation
refers to a cell that is gone, every generated notebook is what the script builds today and has been
executed, every English notebook is translated or listed as not started, and each Chinese notebook's
ids and metadata are the English ones and its code the English code or its translation (compared here
directly, not through the build code; tests/zh/test_zh_program.py proves the translation the same
program).
On a temporary copy of the repository, each check is shown to fail, naming notebook and cell, when an
English cell is deliberately changed, added or removed.
"""

import json
import posixpath
import re
import shutil
import subprocess
import sys

import pytest

from tools import REPO
from tools.zh import edition as zh  # noqa: E402

LAYOUT = zh.Layout(REPO)
BUILT = LAYOUT.built_names()
CJK = re.compile(r"[\u4e00-\u9fff]")


def problems_of(kind, layout=LAYOUT):
    return [p for p in zh.check(layout) if p.kind == kind]


def report(problems):
    return "\n".join(str(p) for p in problems)


# --------------------------------------------------------------------------------- the repository

def test_some_chapters_are_translated():
    assert len(BUILT) >= 2, BUILT


def test_every_english_markdown_cell_has_a_translation():
    problems = problems_of("missing") + problems_of("todo")
    assert not problems, report(problems)


def test_no_translation_is_stale():
    problems = problems_of("stale")
    assert not problems, "the English changed since it was translated; see tools/zh/edition.py stale\n" + \
        report(problems)


def test_no_translation_refers_to_a_cell_that_is_gone():
    problems = problems_of("orphan") + problems_of("wrong-kind")
    assert not problems, report(problems)


def test_generated_notebooks_are_what_the_script_builds_now():
    problems = problems_of("unbuilt") + problems_of("differs")
    assert not problems, report(problems)


def test_generated_notebooks_are_executed():
    problems = problems_of("unexecuted")
    assert not problems, report(problems)


def test_every_english_notebook_is_translated_or_listed_as_not_started():
    problems = problems_of("untranslated") + problems_of("listed") + problems_of("no-english") + \
        problems_of("format")
    assert not problems, report(problems)


def test_check_finds_nothing_else():
    # every kind of problem `check` can report is asserted on above; nothing slips through unnamed
    assert not zh.check(LAYOUT), report(zh.check(LAYOUT))


@pytest.mark.parametrize("name", BUILT)
def test_chinese_notebook_has_the_english_ids_metadata_and_code_or_its_translation(name):
    en = json.loads(LAYOUT.english(name).read_text(encoding="utf-8"))
    cn = json.loads(LAYOUT.chinese(name).read_text(encoding="utf-8"))
    def shared(nb):  # the widget state is the Chinese run's own
        metadata = {k: v for k, v in nb["metadata"].items() if k != "widgets"}
        return nb["nbformat"], nb["nbformat_minor"], metadata

    assert shared(cn) == shared(en), f"zh/{name}: notebook metadata"
    assert [c.get("id") for c in cn["cells"]] == [c.get("id") for c in en["cells"]], f"zh/{name}: cell ids"
    code = {s.cell_id: s for s in zh.load_sections(LAYOUT, name) if s.kind == "code"}
    for e, c in zip(en["cells"], cn["cells"], strict=True):
        where = f"notebooks/zh/{name}.ipynb, cell {e.get('id')}"
        if e["cell_type"] == "code":
            assert (c["cell_type"], c["metadata"]) == ("code", e["metadata"]), f"{where}: metadata"
            section = code.get(e["id"])
            translated = section and section.text.strip() and section.hash == zh.source_hash(zh.source(e))
            expected = section.text.strip()[len("```python\n"):-len("\n```")] if translated else zh.source(e)
            assert zh.source(c) == expected, f"{where}: not the English code nor its translation"
        else:
            assert {k: v for k, v in c.items() if k != "source"} == {
                k: v for k, v in e.items() if k != "source"}, f"{where}: metadata / attachments"
            text = "".join(c["source"])
            assert CJK.search(text), f"{where}: no Chinese text"
            assert "尚未翻译" not in text and "译文可能已过时" not in text, f"{where}: {text[:200]}"


def markdown_links(name):
    for cell in json.loads(LAYOUT.chinese(name).read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] == "markdown":
            for match in zh.LINK.finditer("".join(cell["source"])):
                yield cell["id"], match["target"]


def anchors(notebook_path):
    """Explicit HTML ids and JupyterLab's heading anchors (heading text, spaces as '-')."""
    found = set()
    for cell in json.loads(notebook_path.read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        found |= set(re.findall(r"""\b(?:id|name)\s*=\s*["']([^"']+)["']""", text))
        found |= {h.strip().replace(" ", "-") for h in re.findall(r"^#+\s+(.+)$", text, re.M)}
    return found


@pytest.mark.parametrize("name", BUILT)
def test_links_in_chinese_notebooks_reach_their_target(name):
    here = posixpath.dirname(f"notebooks/zh/{name}")
    for cell_id, target in markdown_links(name):
        if zh.EXTERNAL.match(target):
            continue
        path, _, fragment = target.partition("#")
        resolved = posixpath.normpath(posixpath.join(here, path))
        where = f"notebooks/zh/{name}.ipynb, cell {cell_id}: link {target}"
        assert (REPO / resolved).exists(), f"{where} -> {resolved} does not exist"
        if path.endswith(".ipynb"):
            linked = posixpath.relpath(resolved, "notebooks")[:-len(".ipynb")]
            if linked in BUILT or linked.startswith("zh/"):  # else: not translated yet, the English one
                assert resolved.startswith("notebooks/zh/"), f"{where} leaves the Chinese edition"
            if fragment:
                assert fragment in anchors(REPO / resolved), f"{where}: no anchor #{fragment} there"


def test_rewrite_links():
    name = "02_softmax_stability"
    assert zh.rewrite_links("[next](03_loss_functions.ipynb)", name) == "[next](03_loss_functions.ipynb)"
    assert zh.rewrite_links("[S](solutions/02_x_solutions.ipynb#exercise-1)", name) == \
        "[S](solutions/02_x_solutions.ipynb#exercise-1)"
    assert zh.rewrite_links("[code](../common/layers.py)", name) == "[code](../../common/layers.py)"
    assert zh.rewrite_links('<img src="figures/a.png">', name) == '<img src="../figures/a.png">'
    assert zh.rewrite_links("[web](https://nndl.github.io/) [here](#top)", name) == \
        "[web](https://nndl.github.io/) [here](#top)"
    sol = "solutions/02_x_solutions"
    assert zh.rewrite_links("[chapter](../02_softmax_stability.ipynb#exercises)", sol) == \
        "[chapter](../02_softmax_stability.ipynb#exercises)"
    assert zh.rewrite_links("[readme](../../README.md)", sol) == "[readme](../../../README.md)"
    # a notebook without a Chinese edition yet: the link opens the English one
    assert zh.rewrite_links("[next](03_loss_functions.ipynb#top)", name, translated={name}) == \
        "[next](../03_loss_functions.ipynb#top)"
    solution = "[S](solutions/02_x_solutions.ipynb)"
    assert zh.rewrite_links(solution, name, translated={"solutions/02_x_solutions"}) == solution


# ------------------------------------------------------------------- the file format, on its own

def test_parse_translation_reads_sections_and_names_bad_lines():
    text = ("<!-- header comment -->\n\n<!-- cell a1 en:0123456789ab -->\n# 标题\n\n正文\n\n"
            "<!-- cell b2 en:TODO -->\nEnglish\n")
    sections = zh.parse_translation(text)
    assert [(s.cell_id, s.hash, s.text, s.line) for s in sections] == [
        ("a1", "0123456789ab", "# 标题\n\n正文", 3), ("b2", "TODO", "English", 8)]
    with pytest.raises(zh.FormatError, match=r"t.md:4: cell a1 has a second section"):
        zh.parse_translation("<!-- cell a1 en:TODO -->\nx\n\n<!-- cell a1 en:TODO -->\n", "t.md")
    with pytest.raises(zh.FormatError, match=r"t.md:2: malformed section line"):
        zh.parse_translation("<!-- cell a1 en:TODO -->\n<!-- cell b2 en:12345 -->\n", "t.md")
    with pytest.raises(zh.FormatError, match=r"t.md:1: text before the first section"):
        zh.parse_translation("stray text\n<!-- cell a1 en:TODO -->\n", "t.md")


def test_source_hash_is_sha256_of_the_utf8_source():
    # sha256(b"abc") = ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
    assert zh.source_hash("abc") == "ba7816bf8f01"


# ------------------------------------------------------- each check fails on a changed English cell

@pytest.fixture
def copy(tmp_path):
    """A copy of the repository's notebooks, translations and tool, checked clean before any change."""
    for part in ("notebooks", "translations"):
        shutil.copytree(REPO / part, tmp_path / part, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(REPO / "tools", tmp_path / "tools", ignore=shutil.ignore_patterns("__pycache__"))
    layout = zh.Layout(tmp_path)
    assert zh.check(layout) == [], report(zh.check(layout))
    return layout


NAME = BUILT[0] if BUILT else None


def english(layout, name=NAME):
    return json.loads(layout.english(name).read_text(encoding="utf-8"))


def save_english(layout, nb, name=NAME):
    layout.english(name).write_text(zh.dump_notebook(nb), encoding="utf-8")


def markdown_cell(nb, k=1):
    return [c for c in nb["cells"] if c["cell_type"] == "markdown"][k]


def named(problems, kind, cell):
    """The problems of `kind` for `cell` of NAME; their message names notebook and cell."""
    hits = [p for p in problems if p.kind == kind and p.cell == cell and p.notebook == NAME]
    for p in hits:
        assert f"notebooks/zh/{NAME}.ipynb, cell {cell}:" in str(p), str(p)
    return hits


def test_changed_english_cell_is_reported_stale_and_the_notebook_out_of_date(copy):
    nb = english(copy)
    cell = markdown_cell(nb)
    cell["source"] = zh.split_lines(zh.source(cell) + "\n\nOne more English sentence.")
    save_english(copy, nb)
    problems = zh.check(copy)
    assert named(problems, "stale", cell["id"]), report(problems)
    assert named(problems, "differs", cell["id"]), report(problems)
    # rebuilding does not hide it: the notebook is current again, the cell still stale, and it says so
    zh.build(copy)
    problems = zh.check(copy)
    assert [p.kind for p in problems] == ["stale"], report(problems)
    built = json.loads(copy.chinese(NAME).read_text(encoding="utf-8"))
    shown = next(c for c in built["cells"] if c["id"] == cell["id"])
    assert "译文可能已过时" in "".join(shown["source"])


def test_stale_command_shows_english_diff_and_old_translation_then_mark_clears_it(copy):
    root = copy.root
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    subprocess.run(git + ["add", "-A"], cwd=root, check=True)
    subprocess.run(git + ["commit", "-q", "-m", "translated"], cwd=root, check=True)
    nb = english(copy)
    cell = markdown_cell(nb)
    cell["source"] = zh.split_lines(zh.source(cell) + "\n\nA sentence added after the translation.")
    save_english(copy, nb)
    run = subprocess.run([sys.executable, "-m", "tools.zh.edition", "stale"], cwd=root,
                         capture_output=True, text=True)
    assert run.returncode == 1
    old = next(s for s in zh.load_sections(copy, NAME) if s.cell_id == cell["id"])
    assert f"translations/zh/{NAME}.md  cell {cell['id']}  [stale]" in run.stdout
    assert "+A sentence added after the translation." in run.stdout  # the diff of the English
    assert zh.indent(old.text) in run.stdout  # the old translation, in full
    assert f"mark {NAME} {cell['id']}" in run.stdout
    # the translator updates the text, records the new hash, rebuilds: clean again
    path = copy.translation(NAME)
    path.write_text(path.read_text(encoding="utf-8").replace(old.text, old.text + "\n\n补上的一句。"),
                    encoding="utf-8")
    assert zh.mark(copy, NAME, [cell["id"]]) == [cell["id"]]
    zh.build(copy)
    assert zh.check(copy) == [], report(zh.check(copy))
    assert "补上的一句。" in copy.chinese(NAME).read_text(encoding="utf-8")


def test_new_english_cell_is_reported_missing_and_todo_adds_its_section(copy):
    nb = english(copy)
    new = {"cell_type": "markdown", "id": "new-cell-1", "metadata": {}, "source": ["A new paragraph."]}
    nb["cells"].insert(2, new)
    save_english(copy, nb)
    assert named(zh.check(copy), "missing", "new-cell-1"), report(zh.check(copy))
    assert zh.todo(copy, NAME) == ["new-cell-1"]
    zh.build(copy)
    problems = zh.check(copy)
    assert [(p.kind, p.cell) for p in problems] == [("todo", "new-cell-1")], report(problems)
    built = json.loads(copy.chinese(NAME).read_text(encoding="utf-8"))
    shown = next(c for c in built["cells"] if c["id"] == "new-cell-1")
    assert "".join(shown["source"]).startswith(zh.MISSING_NOTICE)
    # `mark --all` does not record an untouched TODO section (still the English text) as translated
    assert zh.mark(copy, NAME, [], everything=True) == []


def test_deleted_english_cell_leaves_an_orphaned_translation(copy):
    nb = english(copy)
    cell = markdown_cell(nb)
    nb["cells"].remove(cell)
    save_english(copy, nb)
    problems = zh.check(copy)
    hits = named(problems, "orphan", cell["id"])
    assert hits and "no longer has" in str(hits[0]), report(problems)


def test_translation_of_a_cell_turned_into_code_is_reported(copy):
    nb = english(copy)
    cell = markdown_cell(nb)
    cell.update(cell_type="code", execution_count=None, outputs=[])
    save_english(copy, nb)
    assert named(zh.check(copy), "wrong-kind", cell["id"]), report(zh.check(copy))


CODE_NAME = next((n for n in BUILT if n not in LAYOUT.code_pending()), None)  # its code is translated


def translated_code_cell(layout):
    """The English notebook CODE_NAME and its first code cell that has a Chinese translation."""
    nb = english(layout, CODE_NAME)
    code = {s.cell_id for s in zh.load_sections(layout, CODE_NAME) if s.kind == "code" and s.text.strip()}
    printed = {c["id"] for c in json.loads(layout.chinese(CODE_NAME).read_text(encoding="utf-8"))["cells"]
               if c.get("outputs")}
    return nb, next(c for c in nb["cells"] if c["cell_type"] == "code" and c["id"] in code & printed)


def test_changed_english_code_makes_its_chinese_code_stale_and_the_cell_unexecuted(copy):
    nb, cell = translated_code_cell(copy)
    chinese_before = next(c for c in json.loads(copy.chinese(CODE_NAME).read_text(encoding="utf-8"))["cells"]
                          if c["id"] == cell["id"])
    assert zh.source(chinese_before) != zh.source(cell) and chinese_before["outputs"]
    cell["source"] = zh.split_lines(zh.source(cell) + "\nprint('one more line')")
    save_english(copy, nb, CODE_NAME)
    problems = zh.check(copy)
    assert ("stale", cell["id"]) in [(p.kind, p.cell) for p in problems if p.notebook == CODE_NAME]
    assert ("differs", cell["id"]) in [(p.kind, p.cell) for p in problems if p.notebook == CODE_NAME]
    # the build never writes an outdated Chinese program: the English code, not yet executed
    zh.build(copy)
    problems = [(p.kind, p.cell) for p in zh.check(copy)]
    assert ("stale", cell["id"]) in problems and ("unexecuted", cell["id"]) in problems, problems
    built = next(c for c in json.loads(copy.chinese(CODE_NAME).read_text(encoding="utf-8"))["cells"]
                 if c["id"] == cell["id"])
    assert zh.source(built) == zh.source(cell) and built["outputs"] == [] and built["execution_count"] is None


def test_build_keeps_the_outputs_of_unchanged_code_and_ignores_english_outputs(copy):
    nb, cell = translated_code_cell(copy)
    cell["outputs"] = []  # English outputs are not copied: the Chinese notebook has its own
    save_english(copy, nb, CODE_NAME)
    assert zh.build(copy) == [] and zh.check(copy) == [], report(zh.check(copy))


def test_code_section_must_be_one_fenced_block_and_empty_keeps_the_english():
    text = "<!-- code c1 en:0123456789ab -->\n```python\nprint('价格')\n```\n\n<!-- code c2 en:TODO -->\n"
    c1, c2 = zh.parse_translation(text)
    assert (c1.kind, c1.code, c2.code) == ("code", "print('价格')", None)
    with pytest.raises(zh.FormatError, match=r"t.md:1: the code section of c1 must be one ```python"):
        zh.parse_translation("<!-- code c1 en:TODO -->\nprint('x')\n", "t.md")
    english = {"cell_type": "code", "source": "print('price')"}
    assert zh.chinese_code(english, zh.Section("c", zh.source_hash("print('price')"), "", 1, "code")) == \
        "print('price')"


def test_new_english_code_cell_with_words_needs_a_section_and_todo_adds_it(copy):
    nb = english(copy, CODE_NAME)
    new = {"cell_type": "code", "id": "new-code-1", "metadata": {}, "execution_count": None, "outputs": [],
           "source": ["x = 1  # a comment to translate"]}
    quiet = {"cell_type": "code", "id": "new-code-2", "metadata": {}, "execution_count": None, "outputs": [],
             "source": ["y = x + 1"]}
    nb["cells"][3:3] = [new, quiet]
    save_english(copy, nb, CODE_NAME)
    missing = [(p.kind, p.cell) for p in zh.check(copy) if p.kind == "missing"]
    assert missing == [("missing", "new-code-1")], missing  # a cell without words needs no section
    assert zh.todo(copy, CODE_NAME) == ["new-code-1"]
    assert zh.mark(copy, CODE_NAME, [], everything=True) == []  # still the English: not translated


def test_hand_edited_chinese_notebook_is_reported(copy):
    path = copy.chinese(NAME)
    path.write_text(path.read_text(encoding="utf-8").replace("的", "地", 1), encoding="utf-8")
    problems = zh.check(copy)
    assert [p.kind for p in problems] == ["differs"] and problems[0].cell, report(problems)


def test_new_english_notebook_must_be_translated_or_listed(copy):
    shutil.copy2(copy.english(NAME), copy.notebooks / "99_new_chapter.ipynb")
    (copy.notebooks / "solutions").mkdir(exist_ok=True)
    shutil.copy2(copy.english(NAME), copy.notebooks / "solutions" / "99_new_chapter_solutions.ipynb")
    problems = zh.check(copy)
    assert sorted((p.kind, p.notebook) for p in problems) == [
        ("untranslated", "99_new_chapter"), ("untranslated", "solutions/99_new_chapter_solutions")]
    assert "notebooks/zh/99_new_chapter.ipynb: English notebook has no translation file" in report(problems)


def test_check_command_exits_1_naming_notebook_and_cell(copy):
    nb = english(copy)
    cell = markdown_cell(nb)
    cell["source"] = ["Rewritten."]
    save_english(copy, nb)
    run = subprocess.run([sys.executable, "-m", "tools.zh.edition", "check"], cwd=copy.root,
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert f"notebooks/zh/{NAME}.ipynb, cell {cell['id']}: English changed since it was translated" \
        in run.stdout


def test_nbval_executes_the_chinese_edition_too():
    # `pytest --nbval ... tests notebooks` (make test) checks every Chinese notebook's stored outputs
    run = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "--collect-only",
                          "-q", "-p", "no:cacheprovider", "notebooks"],
                         cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    files = {line.split("::")[0] for line in run.stdout.splitlines() if "::" in line}
    assert {f"notebooks/zh/{name}.ipynb" for name in BUILT} <= files, sorted(files)
