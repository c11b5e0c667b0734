"""Places and organisations whose names differ entirely between languages (`data/aliases.tsv`).

A one-word name matches by its name key; each word of a longer name by its key or its language
stem, so every case form of every word matches (Өскеменнен, Усть-Каменогорске, Уральска;
Казахстанского международного бюро). A word of a
multi-word name that is itself a one-word name in the table matches by any name of that group:
"Oyan Qazaqstan" is also found as "Оян Казахстан" and "Oyan Kazakhstan". A name written in capitals
in the table (an acronym: ДВК, KNB, ҰҚК) matches only a word written in capitals with the same
folded spelling, because the keys of short acronyms meet ordinary words (ҰҚК and UK share a key).

`find_near_aliases` is for queries: a typo in a place name (Petrapavl) still reaches its group.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from archive.analysis.phrases import PhraseIndex, alternatives, longest_non_overlapping, read_table
from archive.analysis.similarity import neighbours
from archive.analysis.stemming import MIN_KAZAKH_STEM
from archive.analysis.tokenize import Token, tokenize

MIN_NEAR_WEIGHT = 0.4  # as for near keys of names (planner)


@dataclass(frozen=True)
class AliasMatch:
    start: int  # index of the first token in the token list
    end: int  # index after the last token
    group: str  # alias group id, e.g. "@oskemen"


def _is_acronym(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    return len(letters) <= 6 and all(ch.isupper() for ch in letters) and " " not in name.strip()


def _word_forms(token: Token) -> set[str]:
    forms = {"k:" + token.key}
    if len(token.stem) >= MIN_KAZAKH_STEM + 1 or token.stem == token.word:
        forms.add("s:" + token.stem)
    return forms


@cache
def _table() -> list[tuple[str, list[str]]]:
    return [(row[0], alternatives(row[2])) for row in read_table("aliases.tsv") if len(row) >= 3]


@cache
def _single_word_groups() -> dict[str, frozenset[str]]:
    """Key of a one-word name → the groups it names (Qazaqstan → @kazakhstan)."""
    groups: dict[str, set[str]] = defaultdict(set)
    for group, names in _table():
        for name in names:
            tokens = [t for t in tokenize(name) if t.key]
            if len(tokens) == 1 and not _is_acronym(name):
                groups[tokens[0].key].add(group)
    return {key: frozenset(found) for key, found in groups.items()}


def _group_forms(key: str) -> set[str]:
    return {"g:" + group for group in _single_word_groups().get(key, ())}


@cache
def _index() -> PhraseIndex:
    index = PhraseIndex()
    for group, names in _table():
        for name in names:
            tokens = [t for t in tokenize(name) if t.key]
            if _is_acronym(name):
                forms = tuple(frozenset({"a:" + t.word}) for t in tokens)
            elif len(tokens) == 1:
                forms = (frozenset({"k:" + tokens[0].key}),)  # stems of one-word names meet common words
            else:
                forms = tuple(frozenset(_word_forms(t) | _group_forms(t.key)) for t in tokens)
            index.add(forms, group)
    index.finalise()
    return index


@cache
def _forms(key: str, stem: str, word: str, capitals: bool) -> frozenset[str]:
    forms = {"k:" + key, "s:" + stem} | _group_forms(key)
    if capitals:
        forms.add("a:" + word)
    return frozenset(forms)


_NONE: frozenset[str] = frozenset()


def _token_forms(token: Token) -> frozenset[str]:
    return _forms(token.key, token.stem, token.word, token.surface.isupper()) if token.key else _NONE


def find_aliases(tokens: list[Token]) -> list[AliasMatch]:
    """The alias groups named in a token list, longest match first, without overlaps."""
    found = longest_non_overlapping(_index().matches([_token_forms(t) for t in tokens]))
    return [AliasMatch(start, end, str(pattern.payload)) for start, end, pattern in found]


def find_near_aliases(tokens: list[Token]) -> dict[str, float]:
    """Groups of a one-word name one likely edit from a query word, by likeness (for typos in
    place names); a word that names a group itself brings nothing here."""
    groups = _single_word_groups()
    near: dict[str, float] = {}
    for token in tokens:
        if not token.key or token.key in groups:
            continue
        for key, weight in neighbours(token.key):
            if weight < MIN_NEAR_WEIGHT:
                break
            for group in groups.get(key, ()):
                near[group] = max(weight, near.get(group, 0.0))
    return near
