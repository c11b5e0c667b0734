"""Language stems: English and Russian Snowball (PyStemmer), and Kazakh suffix stripping.

A word with a letter only Kazakh has (ә ғ қ ң ө ұ ү һ і) is stemmed as Kazakh; other Cyrillic words
as Russian; Latin words as English. Stems stay in their own script. Kazakh has no ready analyser on
the registries, so `kazakh_stem` strips case, possessive, plural and the commonest verb endings by
rule, longest first, keeping a stem of at least three letters with a vowel: a shorter one is
another word as often as the same one (`аш` would join `аштық` "hunger" and `ашқан` "opened").
"""

from __future__ import annotations

from functools import lru_cache

import Stemmer

from archive.analysis.kazakh import cyrillic_case_endings, harmonic, has_kazakh_letters
from archive.analysis.normalize import is_cyrillic, without_possessive

_ENGLISH = Stemmer.Stemmer("english")
_RUSSIAN = Stemmer.Stemmer("russian")

_KK_VOWELS = frozenset("аәеиоөуұүыіэюя")

# Beside the case endings of names (`kazakh.py`), common nouns and verbs take these.
_CASES = ("нA", "ндA", "нікі", "дікі", "тікі")
_POSSESSIVE = ("Yм", "Yң", "Yңыз", "Yмыз", "мYз", "сY", "Y", "лAрY", "дAрY", "тAрY")
_PLURAL = ("лAр", "дAр", "тAр")
_VERBAL = ("у", "Yп", "п", "Gан", "Qан", "гAн", "кAн", "YлдY", "лдY", "YлGан", "лGан", "йдY", "AдY",
           "Aтын", "йтын", "мAQ", "уы", "луY", "Yну", "Yнду", "Yлу", "ушY", "шY", "лYQ", "дYQ", "тYQ")
_SUFFIXES = cyrillic_case_endings() | frozenset(
    harmonic(*_CASES, *_POSSESSIVE, *_PLURAL, *_VERBAL, cyrillic=True)
)
_SIZES = sorted({len(s) for s in _SUFFIXES}, reverse=True)
MIN_KAZAKH_STEM = 3


def _strip_one(word: str) -> str | None:
    """The word without its longest suffix that leaves MIN_KAZAKH_STEM letters with a vowel."""
    for size in _SIZES:
        stem = word[:-size]
        if len(stem) >= MIN_KAZAKH_STEM and word[-size:] in _SUFFIXES and not _KK_VOWELS.isdisjoint(stem):
            return stem
    return None


@lru_cache(maxsize=200_000)
def kazakh_stem(word: str) -> str:
    """Strips up to three Kazakh suffixes from a folded Cyrillic word."""
    for _ in range(3):
        shorter = _strip_one(word)
        if shorter is None:
            break
        word = shorter
    return word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The language stem of one folded word (see the module docstring)."""
    if not word or word.isdigit():
        return word
    if is_cyrillic(word):
        return kazakh_stem(word) if has_kazakh_letters(word) else _RUSSIAN.stemWord(word)
    return _ENGLISH.stemWord(without_possessive(word))
