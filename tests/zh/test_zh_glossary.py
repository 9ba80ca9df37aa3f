"""The glossary（术语表）translations/glossary.tsv and its rule (tools/zh/glossary.py), on both editions.

For each translated chapter: every glossary term found in an English markdown cell must appear, as the
glossary's Chinese, in that cell's translation; and a Chinese gloss the English cell writes after a
glossary term, as in "activation function（激活函数）", must be the glossary's Chinese.
"""

import json
import re

import pytest

from tools import REPO
from tools.zh import edition as zh  # noqa: E402
from tools.zh import glossary  # noqa: E402

TERMS = glossary.load()
LAYOUT = zh.Layout(REPO)
TRANSLATED = [n for n in LAYOUT.translated_names() if LAYOUT.english(n).exists()]
CJK = re.compile(r"[\u4e00-\u9fff]")


def cells(name):
    """(cell id, English markdown, Chinese markdown) of each translated markdown cell of NAME."""
    english = json.loads(LAYOUT.english(name).read_text(encoding="utf-8"))
    sections = {s.cell_id: s for s in zh.load_sections(LAYOUT, name)}
    for cell in english["cells"]:
        if cell["cell_type"] == "markdown" and cell["id"] in sections:
            yield cell["id"], zh.source(cell), sections[cell["id"]].text


def test_glossary_has_its_terms_with_sections():
    assert 40 <= len(TERMS) <= 100, len(TERMS)
    variants = [v.casefold() for t in TERMS for v in t.english]
    assert len(variants) == len(set(variants)), "an English term is listed twice"
    for term in TERMS:
        # Chinese, or the English itself where the primer's Chinese edition keeps it (Batch Normalization)
        assert all(CJK.search(c) for c in term.chinese) or term.chinese == term.english, term
        assert re.search(r"§\d|ch\. \d", term.introduced), f"{term.name}: where is it introduced?"
    by_name = {t.name: t for t in TERMS}
    # the primer's own terms, as its Chinese edition writes them, with the section introducing them
    assert (by_name["perceptron"].chinese[0], by_name["perceptron"].introduced) == ("感知机", "primer §2.1")
    assert by_name["cross-entropy error"].chinese[0] == "交叉熵误差"
    assert by_name["computational graph"].introduced == "primer §5.1"
    assert by_name["weight decay"].chinese[0] == "权值衰减"


@pytest.mark.parametrize("name", TRANSLATED)
def test_translation_uses_the_glossary_terms(name):
    wrong = [f"notebooks/zh/{name}.ipynb, cell {cid}: '{t.name}' must be rendered {t.chinese[0]}"
             for cid, en, cn in cells(name) for t in glossary.missing_in_translation(en, cn, TERMS)]
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", TRANSLATED)
def test_english_glosses_are_the_glossary_terms(name):
    wrong = [f"notebooks/{name}.ipynb, cell {cid}: '{t.name}（{gloss}）' but the glossary says {t.chinese[0]}"
             for cid, en, _ in cells(name) for t, gloss in glossary.wrong_glosses(en, TERMS)]
    assert not wrong, "\n".join(wrong)


def test_rule_fails_on_a_real_cell_whose_term_is_rendered_differently():
    name, cid, en, cn = next((n, cid, en, cn) for n in TRANSLATED for cid, en, cn in cells(n)
                             if "交叉熵误差" in cn and glossary.find_terms(en, TERMS))
    needed = glossary.missing_in_translation(en, cn, TERMS)
    assert needed == [], (name, cid)
    term = next(t for t, _, _ in glossary.find_terms(en, TERMS))
    changed = cn
    for chinese in term.chinese:
        changed = changed.replace(chinese, "某个别的说法")
    assert glossary.missing_in_translation(en, changed, TERMS) == [term]


def test_rule_matches_words_longest_first_outside_code_and_math():
    def needs(english):
        return sorted(t.chinese[0] for t, _, _ in glossary.find_terms(english, TERMS))

    assert needs("Two perceptrons and their activation functions.") == ["感知机", "激活函数"]
    assert needs("Weight decay shrinks each weight.") == ["权值衰减", "权重"]  # 'weight' once, on its own
    assert needs("A mini-batch of digits.") == []  # 'batch' inside 'mini-batch' is not 'batch'
    assert needs("Mini-batch learning, then one batch.") == ["mini-batch学习", "批"]
    assert needs("Call `gradient(f, x)` for $\\nabla$ [here](gradient.ipynb).") == []
    assert needs("The back-propagation of a Cross Entropy Error.") == ["交叉熵误差", "反向传播"]
    assert glossary.missing_in_translation("The learning rate.", "学习 率取 0.1。", TERMS) == []
    assert [t.name for t in glossary.missing_in_translation("The learning rate.", "步长取 0.1。", TERMS)] \
        == ["learning rate"]
    assert glossary.missing_in_translation("A sigmoid function.", "一个 Sigmoid 函数。", TERMS) == []


def test_references_cells_are_titles_not_terms():
    english = "## References（参考文献）\n\n- Michael Nielsen. *Neural Networks and Deep Learning*, ch. 4."
    assert glossary.find_terms(english, TERMS)  # the title does contain a term ...
    assert glossary.missing_in_translation(english, "## 参考文献（References）\n\n- Michael Nielsen. "
                                           "*Neural Networks and Deep Learning*, ch. 4.", TERMS) == []


def test_english_gloss_rule():
    assert glossary.wrong_glosses("the activation function（激活函数）", TERMS) == []
    wrong = glossary.wrong_glosses("the universal approximation theorem（普适逼近定理）", TERMS)
    assert [(t.name, g) for t, g in wrong] == [("universal approximation theorem", "普适逼近定理")]
    assert glossary.wrong_glosses("the gradient (see below)", TERMS) == []  # not a Chinese gloss
    # a gloss with Latin letters explains a phrase: not checked
    assert glossary.wrong_glosses("check backpropagation（梯度确认, gradient check）", TERMS) == []
