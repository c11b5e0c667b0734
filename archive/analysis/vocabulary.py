"""Ordinary words, which near spellings of a name must not reach.

A query's near keys (one edit away) find typos of a name; they must not find an ordinary word that
happens to be one edit from it (`маңайдан` "from nearby" for `Мамаю`). A word counts as ordinary:

* in its document, when the document writes it in lower case (names are capitalised in all three
  languages), or it is written capitalised but the same document also has it in lower case;
* by the packaged word lists: pymorphy3's Russian dictionary (a word it knows with no parse as a
  first name, surname, patronymic, place or organisation) and the function words of all three
  languages (`stopwords.py`).

A word that is both (Мороз, Роза) stays a possible name.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from archive.analysis.kazakh import has_kazakh_letters
from archive.analysis.normalize import is_cyrillic
from archive.analysis.russian import is_common_word
from archive.analysis.stopwords import is_stopword
from archive.analysis.tokenize import Token


@lru_cache(maxsize=200_000)
def is_dictionary_word(word: str) -> bool:
    """True for a folded word a packaged word list knows as an ordinary (not a proper) word."""
    if is_stopword(word):
        return True
    return is_cyrillic(word) and not has_kazakh_letters(word) and is_common_word(word)


def name_candidates(tokens: Sequence[Token]) -> list[bool]:
    """For each token of one text: may it be (part of) a name? See the module docstring."""
    lower = {t.word for t in tokens if not t.surface[:1].isupper()}
    return [
        t.surface[:1].isupper() and bool(t.key) and t.word not in lower and not is_dictionary_word(t.word)
        for t in tokens
    ]
