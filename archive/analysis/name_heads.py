"""The head nouns that make a name an organisation's or a place's (`data/name_heads.tsv`).

Names of people and names of organisations look alike to capitalisation (`Norwegian Helsinki
Committee` is three name words, as `Yevgeniy Zhovtis` is two). What sets them apart in the three
languages is a head noun: English and Kazakh end the name with it (`… Committee`, `… партиясы`),
Russian also starts it (`Партия Нур Отан`, `Проспект Абая`) or ends it (`Верховный Суд`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from archive.analysis.phrases import alternatives, read_table

POSITIONS = ("last", "both")  # where a head stands: at the end of the name only, or at either end


@dataclass(frozen=True)
class _Head:
    kind: str
    first_too: bool  # also heads a name it starts


@cache
def _table() -> tuple[dict[str, _Head], tuple[tuple[str, _Head], ...]]:
    """Whole forms, and stems (longest first, so that a longer stem decides before a shorter one)."""
    forms: dict[str, _Head] = {}
    stems: list[tuple[str, _Head]] = []
    for kind, where, cell in read_table("name_heads.tsv"):
        head = _Head(kind, where == "both")
        for form in alternatives(cell):
            if form.endswith("*"):
                stems.append((form[:-1], head))
            else:
                forms[form] = head
    return forms, tuple(sorted(stems, key=lambda item: -len(item[0])))


@lru_cache(maxsize=20_000)
def _head(word: str) -> _Head | None:
    forms, stems = _table()
    found = forms.get(word)
    if found is None:
        found = next((head for stem, head in stems if word.startswith(stem)), None)
    return found


def name_kind(first: str, last: str) -> str | None:
    """The kind of a name of several words whose first and last words are ``first`` and ``last``
    (lower case, as `Token.word`), or None when no head makes it other than a person's. A head that
    starts a name decides before one that ends it: `Законом Республики` is a law, not a place."""
    head = _head(first)
    if head is not None and head.first_too:
        return head.kind
    head = _head(last)
    return head.kind if head is not None else None
