"""Loading of the editable phrase tables (aliases, glossary) and matching of token sequences."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources

from archive.analysis.normalize import is_cyrillic
from archive.analysis.stemming import kazakh_stem
from archive.analysis.stopwords import is_stopword
from archive.analysis.tokenize import Token, tokenize


def read_table(name: str) -> list[list[str]]:
    """Rows of a tab-separated file in `data/`, without comments (#) and blank lines."""
    text = resources.files("archive.analysis").joinpath(f"data/{name}").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def alternatives(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


@dataclass(frozen=True)
class Pattern:
    forms: tuple[frozenset[str], ...]  # per word: the forms any of which a token must have
    payload: object


def token_forms(token: Token, with_stem: bool) -> frozenset[str]:
    """The forms a token is matched by. With stems (the glossary), forms carry the script, so that
    an English term meets English words only even where keys agree across languages (office/офис)."""
    if not with_stem:
        return frozenset({"k:" + token.key} if token.key else ())
    if not is_cyrillic(token.word):
        return frozenset({"ls:" + token.stem})  # English stems suffice; keys would join part and party
    forms = {"cs:" + token.stem, "cz:" + kazakh_stem(token.word)}  # also Kazakh typed without its letters
    if token.key:
        forms.add("ck:" + token.key)
    return frozenset(forms)


def content_tokens(tokens: Iterable[Token]) -> list[Token]:
    """Tokens without function words, unless nothing else would be left."""
    tokens = list(tokens)
    kept = [t for t in tokens if not is_stopword(t.word)]
    return kept or tokens


class PhraseIndex:
    """Finds token sequences whose forms meet a pattern's forms word by word, longest first."""

    def __init__(self) -> None:
        self._by_first: dict[str, list[Pattern]] = defaultdict(list)
        self._firsts: set[str] = set()  # the forms a pattern starts with

    def add(self, forms: tuple[frozenset[str], ...], payload: object) -> None:
        if not forms:
            return
        pattern = Pattern(forms, payload)
        self._firsts.update(forms[0])
        for form in forms[0]:
            self._by_first[form].append(pattern)

    def finalise(self) -> None:
        for patterns in self._by_first.values():
            patterns.sort(key=lambda p: len(p.forms), reverse=True)

    def matches(self, forms: list[frozenset[str]]) -> list[tuple[int, int, Pattern]]:
        """All (start, end, pattern) matches at every position, the longest per position first."""
        found = []
        firsts = self._firsts
        for i, first in enumerate(forms):
            if firsts.isdisjoint(first):  # most words start no phrase
                continue
            seen: set[int] = set()
            for form in first:
                for pattern in self._by_first.get(form, ()):
                    if id(pattern) in seen:
                        continue
                    seen.add(id(pattern))
                    size = len(pattern.forms)
                    if i + size <= len(forms) and all(
                        not pattern.forms[j].isdisjoint(forms[i + j]) for j in range(1, size)
                    ):
                        found.append((i, i + size, pattern))
        return found


def phrase_forms(text: str, with_stem: bool, drop_stopwords: bool) -> tuple[frozenset[str], ...]:
    tokens = [t for t in tokenize(text) if t.key or t.stem]
    if drop_stopwords:
        tokens = content_tokens(tokens)
    return tuple(token_forms(t, with_stem) for t in tokens)


def longest_non_overlapping(found: list[tuple[int, int, Pattern]]) -> list[tuple[int, int, Pattern]]:
    chosen: list[tuple[int, int, Pattern]] = []
    taken: set[int] = set()
    for start, end, pattern in sorted(found, key=lambda m: (-(m[1] - m[0]), m[0])):
        if taken.isdisjoint(range(start, end)):
            chosen.append((start, end, pattern))
            taken.update(range(start, end))
    return sorted(chosen, key=lambda m: m[0])
