"""What a search asks for, normalised once for every face: the command line, the API and the pages."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from archive.domain import DOCUMENT_LANGUAGES, KINDS

MAX_QUERY_CHARS = 2000
DEFAULT_LIMIT = 10
MAX_LIMIT = 200
MAX_OFFSET = 10_000  # deep pages cost the engine more than they help a reader


class InvalidSearch(ValueError):
    """A filter value the archive does not know; the message names it and the accepted ones."""


@dataclass(frozen=True)
class SearchRequest:
    query: str
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    languages: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    exact: bool = False  # only the typed form: no transliteration, endings or near keys

    @classmethod
    def create(
        cls,
        query: str,
        limit: int = DEFAULT_LIMIT,
        offset: int = 0,
        languages: Iterable[str] = (),
        kinds: Iterable[str] = (),
        exact: bool = False,
        *,
        lenient: bool = False,
    ) -> SearchRequest:
        """White space folded, the query cut to its limit, limit and offset held in range. An unknown
        language or kind raises `InvalidSearch`, or with ``lenient`` (a page's query string) is dropped."""
        return cls(
            query=" ".join(query.split())[:MAX_QUERY_CHARS],
            limit=min(max(int(limit), 0), MAX_LIMIT),
            offset=min(max(int(offset), 0), MAX_OFFSET),
            languages=_known("language", languages, DOCUMENT_LANGUAGES, lenient),
            kinds=_known("kind", kinds, KINDS, lenient),
            exact=exact,
        )


def _known(name: str, values: Iterable[str], accepted: tuple[str, ...], lenient: bool) -> tuple[str, ...]:
    found: list[str] = []
    for value in values:
        value = str(value).strip().lower()
        if value in accepted:
            found.append(value)
        elif not lenient:
            raise InvalidSearch(f"unknown {name} {value!r}: choose from {', '.join(accepted)}")
    return tuple(dict.fromkeys(found))
