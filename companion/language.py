"""The language of the words the series' own code writes into tables, figures and explorers.

A notebook's setup cell sets it once, through use_style(lang=...): "en" in the English notebooks, "zh"
in the Chinese edition, so that both editions run the same program. Library code then writes
say(english, chinese). Numbers are formatted the same way in both languages.
"""

import unicodedata

LANGUAGES = ("en", "zh")
_current = {"lang": "en"}


def check_language(lang, who):
    """`lang` if it is one of LANGUAGES; TypeError / ValueError naming `who` (a function) otherwise."""
    if not isinstance(lang, str):
        raise TypeError(f"{who}: lang must be a string, got {type(lang).__name__}")
    if lang not in LANGUAGES:
        raise ValueError(f"{who}: lang must be one of {LANGUAGES}, got {lang!r}")
    return lang


def set_language(lang):
    """Make `lang` ("en" or "zh") the language of the words library code writes from now on."""
    _current["lang"] = check_language(lang, "set_language")


def language():
    """The current language, "en" or "zh"."""
    return _current["lang"]


def say(english, chinese):
    """The text in the current language."""
    if not (isinstance(english, str) and isinstance(chinese, str)):
        raise TypeError(f"say: english and chinese must be strings, got {type(english).__name__} and "
                        f"{type(chinese).__name__}")
    return chinese if _current["lang"] == "zh" else english


def width(text):
    """Columns a text takes in a fixed-width table: 2 for each wide (CJK) character, else 1."""
    if not isinstance(text, str):
        raise TypeError(f"width: text must be a string, got {type(text).__name__}")
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def ljust(text, columns):
    """`text` and then spaces, `columns` display columns in all (a longer text comes back whole).

    For the labels of printed tables: f"{name:20s}" pads to 20 characters, but a Chinese character
    takes two columns, so the Chinese edition's rows would not line up; f"{ljust(name, 20)}" does.
    """
    return text + " " * _padding(text, columns, "ljust")


def rjust(text, columns):
    """Spaces and then `text`, `columns` display columns in all: ljust's right-aligned twin (headers
    of number columns)."""
    return " " * _padding(text, columns, "rjust") + text


def _padding(text, columns, who):
    if not isinstance(text, str):
        raise TypeError(f"{who}: text must be a string, got {type(text).__name__}")
    if isinstance(columns, bool) or not isinstance(columns, int):
        raise TypeError(f"{who}: columns must be an integer, got {type(columns).__name__}")
    return max(0, columns - width(text))
