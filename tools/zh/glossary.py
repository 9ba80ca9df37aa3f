"""The glossary（术语表）translations/glossary.tsv, and the rule both editions follow.

The rule, for one markdown cell and its Chinese translation:

* In the English cell's prose (code, math, link targets and HTML tags removed), find each glossary
  term: case-insensitive, whole words (no letter, digit or hyphen just before it, no letter or digit
  just after it, an optional plural "s" / "es"), a space and a hyphen in a term matching each other.
  Longer terms are found first and their words are not searched again, so "gradient descent" counts
  once, as itself, not also as "gradient".
* The Chinese cell's prose (the same parts removed, whitespace removed, letters lower-cased) must then
  contain the glossary's Chinese term (or one of the alternatives the glossary lists).
* A References（参考文献）cell (its first line starts "## References") lists works by their titles,
  which are names, not terms: it is not checked.
* In the English edition, a Chinese gloss written right after a glossary term, as in
  "activation function（激活函数）", must be that term's Chinese (an alternative is accepted too). A gloss
  that also holds Latin letters, "backpropagation（梯度确认, gradient check）", explains a longer phrase
  and is not checked.
"""

import dataclasses
import re
from pathlib import Path

from tools import REPO

GLOSSARY = REPO / "translations" / "glossary.tsv"

HIDDEN = [
    re.compile(r"```.*?```", re.S),  # fenced code
    re.compile(r"`[^`\n]*`"),  # inline code
    re.compile(r"\$\$.*?\$\$", re.S),  # display math
    re.compile(r"\$[^$\n]*\$"),  # inline math
    re.compile(r"\]\([^)]*\)"),  # link targets (the link text stays)
    re.compile(r"<[^>\n]*>"),  # HTML tags
    re.compile(r"https?://\S+"),
]
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
GLOSS = re.compile(r"\s*[（(]([^）)\n]*)[）)]")


@dataclasses.dataclass(frozen=True)
class Term:
    english: tuple  # variants, as written in the glossary
    chinese: tuple  # the primer's term first, then accepted alternatives
    introduced: str

    @property
    def name(self):
        return self.english[0]


def load(path=GLOSSARY):
    """The glossary's terms, in file order. Raises ValueError naming a malformed line."""
    terms, header = [], None
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if header is None:
            header = fields
            if header != ["english", "chinese", "introduced"]:
                raise ValueError(f"{path}:{number}: header must be english, chinese, introduced")
            continue
        if len(fields) != 3 or not all(f.strip() for f in fields):
            raise ValueError(f"{path}:{number}: expected 3 tab-separated fields, got {fields!r}")
        english = tuple(v.strip() for v in fields[0].split("|"))
        chinese = tuple(v.strip() for v in fields[1].split("|"))
        terms.append(Term(english, chinese, fields[2].strip()))
    return terms


def prose(markdown):
    """The words a reader reads: code, math, link targets, HTML tags and URLs replaced by a space."""
    for pattern in HIDDEN:
        markdown = pattern.sub(" ", markdown)
    return markdown


def variant_pattern(variant):
    words = re.split(r"[\s-]+", variant.strip())
    body = r"[\s-]*".join(re.escape(w) for w in words)
    return re.compile(r"(?<![A-Za-z0-9-])" + body + r"(?:s|es)?(?![A-Za-z0-9])", re.I)


def _patterns(terms):
    pairs = [(variant_pattern(v), t) for t in terms for v in t.english]
    return sorted(pairs, key=lambda pair: -len(pair[0].pattern))


def find_terms(markdown, terms):
    """[(term, match end in the prose)] for each glossary term in the English prose, longest first."""
    text = prose(markdown)
    found = []
    for pattern, term in _patterns(terms):
        for match in pattern.finditer(text):
            found.append((term, match, text))
        text = pattern.sub(lambda m: "\0" * len(m[0]), text)  # its words are taken
    return found


def normalise_chinese(text):
    return re.sub(r"\s+", "", text).casefold()


def is_references(markdown):
    return markdown.lstrip().startswith("## References")


def missing_in_translation(english_md, chinese_md, terms):
    """Glossary terms of the English cell whose Chinese term the Chinese cell does not contain."""
    if is_references(english_md):
        return []
    chinese = normalise_chinese(prose(chinese_md))
    missing = []
    for term, _, _ in find_terms(english_md, terms):
        if term not in missing and not any(normalise_chinese(c) in chinese for c in term.chinese):
            missing.append(term)
    return missing


def wrong_glosses(english_md, terms):
    """(term, gloss) for each Chinese gloss after a glossary term that is not the glossary's Chinese."""
    wrong = []
    for term, match, text in find_terms(english_md, terms):
        gloss = GLOSS.match(text, match.end())
        if gloss and CJK.search(gloss[1]) and not LATIN.search(gloss[1]):
            written = normalise_chinese(gloss[1])
            if not any(normalise_chinese(c) in written for c in term.chinese):
                wrong.append((term, gloss[1]))
    return wrong
