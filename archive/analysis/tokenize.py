"""Splitting text into tokens that carry every form the search needs."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from archive.analysis.keys import name_key
from archive.analysis.normalize import fold_word, without_possessive
from archive.analysis.stemming import stem


class Token(NamedTuple):
    """One word of a text. A named tuple, not a dataclass: a report of a million characters has
    150,000 of them, at about 230 bytes each with their surfaces instead of 460."""

    surface: str  # as written in the text (original script, original case)
    start: int  # character offsets of `surface` in the analysed text
    end: int
    word: str  # `fold(surface)`: NFC, lower case, no stress marks, ё → е; Latin diacritics kept
    stem: str  # language stem in its own script
    key: str  # the name key: script-independent, case endings reduced

    # A word is a run of letters and digits (with combining marks, such as stress, inside it).
    # Hyphens split (Санкт-Петербурге → Санкт, Петербурге); an apostrophe between letters joins
    # (O'Brien, Qazaq'stan, 2017 Kazakh Latin s'), and an English possessive 's is dropped from
    # `word`, `stem` and `key` (the surface keeps it).


_MARK = "\u0300-\u036f\u0483-\u0489"
_WORD = re.compile(rf"[^\W_][^\W_{_MARK}]*(?:[{_MARK}]+[^\W_]*)*(?:['’ʼ][^\W_][^\W_{_MARK}]*)*")
_MARKS_ONLY = re.compile(rf"[{_MARK}]")
_PIECES = re.compile(f"({_WORD.pattern})")  # the words kept by `re.split`


@lru_cache(maxsize=200_000)
def _analyse(surface: str) -> tuple[str, str, str]:
    """A word's folded form, stem and key, worked out once per spelling (words repeat)."""
    word = without_possessive(fold_word(surface))
    return word, stem(word), name_key(word)


_new_tuple = tuple.__new__


def _token(surface: str, start: int, end: int) -> Token:
    """A Token made without its generated __new__'s argument handling (the hot path of indexing)."""
    return _new_tuple(Token, (surface, start, end, *_analyse(surface)))


def _found(match: re.Match[str]) -> Token:
    start, end = match.span()
    return _token(match.group(), start, end)


def words_of(text: str) -> list[str]:
    """Every word of `text` as written: the surfaces of the tokens `tokenize` gives."""
    return _WORD.findall(text)


def word_spans(text: str) -> list[tuple[str, int, int]]:
    """Every word of `text` as (surface, start, end): the words `tokenize` gives, not yet analysed."""
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def word_pieces(text: str) -> list[str]:
    """`text` cut at its words, in one pass: what stands between words at the even indices, the words
    (the surfaces `words_of` gives) at the odd ones; joined again they are `text`."""
    return _PIECES.split(text)


def token_of(surface: str) -> Token:
    """One word analysed, as `tokenize` would analyse it (its offsets those of the word alone)."""
    return _token(surface, 0, len(surface))


def tokenize(text: str) -> list[Token]:
    """Every word of `text` with its folded form, stem and name key."""
    return [_found(match) for match in _WORD.finditer(text)]
