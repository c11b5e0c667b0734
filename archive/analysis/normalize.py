"""Folding of written text to the form every other analysis step starts from.

`fold` gives NFC, lower case (casefold), no stress or other combining accents that only mark
pronunciation (U+0300 grave, U+0301 acute on Cyrillic), and ё → е as Russian writers use them
interchangeably. Latin letters with diacritics keep them (é stays é, ž stays ž, ş stays ş): they
carry meaning in Kazakh Latin and in transliteration systems, and the name key folds them later.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = frozenset("\u2019\u02bc\u2018`")
_APOSTROPHE_TABLE = str.maketrans({ch: "'" for ch in _APOSTROPHES})
_PRECOMPOSED_STRESSED = str.maketrans({"ѐ": "е", "ѝ": "и"})  # Cyrillic letters NFC composes with a grave

CYRILLIC_RE = re.compile("[\u0400-\u04ff]")


def _strip_stress(text: str) -> str:
    """Drops acute and grave accents written over Cyrillic letters (stress marks: Алекса́ндр), before
    NFC could fuse them into other letters (г + acute = ѓ); accents over Latin letters stay (é)."""
    decomposed = unicodedata.normalize("NFD", text)
    kept = []
    base_is_cyrillic = False
    for ch in decomposed:
        if ch in "\u0300\u0301":
            if base_is_cyrillic:
                continue
        elif not unicodedata.combining(ch):
            base_is_cyrillic = "\u0400" <= ch <= "\u04ff"
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """`fold` for one word, cached: the hot path of tokenisation."""
    return fold(word)


def fold(text: str) -> str:
    """The `word` normalisation for arbitrary text (see the module docstring)."""
    if text.isascii():
        return text.replace("`", "'").lower()
    if "\u0301" in text or "\u0300" in text:
        text = _strip_stress(text)
    elif not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    # casefold writes Cherokee in its capitals (Ꭰ, for ꭰ), so lower() afterwards: one case for all.
    text = text.casefold().lower()
    if "ё" in text:
        text = text.replace("ё", "е")
    if "ѐ" in text or "ѝ" in text:
        text = text.translate(_PRECOMPOSED_STRESSED)
    if not _APOSTROPHES.isdisjoint(text):
        text = text.translate(_APOSTROPHE_TABLE)
    if "\u0307" in text:
        text = text.replace("i\u0307", "i")  # casefold("İ") is i + combining dot: Kazakh/Turkish İ
    return text


def is_cyrillic(word: str) -> bool:
    return CYRILLIC_RE.search(word) is not None


def without_possessive(word: str) -> str:
    """A folded word without an English possessive 's (Tokayev's → tokayev)."""
    return word[:-2] if word.endswith("'s") else word
