"""The language of the words the series' own code writes into tables, figures and explorers.

A notebook's setup cell sets it once, through use_style(lang=...): "en" in the English notebooks, "zh"
in the Chinese edition, so that both editions run the same program. Library code then writes
say(english, chinese). Numbers are formatted the same way in both languages.
"""

import unicodedata

LANGUAGES = ("en", "zh")
_current = {"lang": "en"}


def set_language(lang):
    """Make `lang` ("en" or "zh") the language of the words library code writes from now on."""
    if not isinstance(lang, str):
        raise TypeError(f"set_language: lang must be a string, got {type(lang).__name__}")
    if lang not in LANGUAGES:
        raise ValueError(f"set_language: lang must be one of {LANGUAGES}, got {lang!r}")
    _current["lang"] = lang


def language():
    return _current["lang"]


def say(english, chinese):
    """The text in the current language."""
    return chinese if _current["lang"] == "zh" else english


def width(text):
    """Columns a text takes in a fixed-width table: 2 for each wide (CJK) character, else 1."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def ljust(text, columns):
    """`text` padded with spaces to `columns` display columns (str.ljust counts characters)."""
    return text + " " * max(0, columns - width(text))
