"""Places and organisations whose names differ entirely between languages (`data/aliases.tsv`).

Matching is on name keys of token sequences, so inflected forms match (Өскеменнен,
Усть-Каменогорске, Уральска). A name written in capitals in the table (an acronym: ДВК, KNB, ҰҚК)
matches only a word written in capitals with the same folded spelling, because the keys of short
acronyms meet ordinary words (ҰҚК and UK share a key).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from archive.analysis.phrases import PhraseIndex, alternatives, longest_non_overlapping, read_table
from archive.analysis.tokenize import Token, tokenize


@dataclass(frozen=True)
class AliasMatch:
    start: int  # index of the first token in the token list
    end: int  # index after the last token
    group: str  # alias group id, e.g. "@oskemen"


def _is_acronym(name: str) -> bool:
    letters = [ch for ch in name if ch.isalpha()]
    return len(letters) <= 6 and all(ch.isupper() for ch in letters) and " " not in name.strip()


@cache
def _index() -> PhraseIndex:
    index = PhraseIndex()
    for row in read_table("aliases.tsv"):
        if len(row) < 3:
            continue
        group, names = row[0], alternatives(row[2])
        for name in names:
            tokens = [t for t in tokenize(name) if t.key]
            if _is_acronym(name):
                forms = tuple(frozenset({"a:" + t.word}) for t in tokens)
            else:
                forms = tuple(frozenset({"k:" + t.key}) for t in tokens)
            index.add(forms, group)
    index.finalise()
    return index


@lru_cache(maxsize=200_000)
def _forms(key: str, word: str, capitals: bool) -> frozenset[str]:
    return frozenset({"k:" + key, "a:" + word}) if capitals else frozenset({"k:" + key})


_NONE: frozenset[str] = frozenset()


def find_aliases(tokens: list[Token]) -> list[AliasMatch]:
    """The alias groups named in a token list, longest match first, without overlaps."""
    forms = [_forms(t.key, t.word, t.surface.isupper()) if t.key else _NONE for t in tokens]
    found = longest_non_overlapping(_index().matches(forms))
    return [AliasMatch(start, end, str(pattern.payload)) for start, end, pattern in found]
