"""What a search asks for, normalised once for every face: the command line, the API and the pages."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from archive.domain import DOCUMENT_LANGUAGES, KINDS
from archive.index.base import MAX_KEYWORD, NEWEST, RELEVANCE, SORTS
from archive.search.dates import EARLIEST, LATEST

__all__ = ["DOCUMENT_LANGUAGES", "KINDS", "NEWEST", "RELEVANCE", "SORTS", "InvalidSearch", "SearchRequest"]

MAX_QUERY_CHARS = 2000
DEFAULT_LIMIT = 10
MAX_LIMIT = 200
MAX_OFFSET = 10_000  # deep pages cost the engine more than they help a reader
MAX_FACET_VALUES = 20  # values of one facet a search may be filtered by
FACET_SIZE = 50  # values of each facet counted for a search (the most frequent first)

_YEAR = re.compile(r"\d{4}")
_DAY = re.compile(r"\d{4}-\d\d-\d\d")


class InvalidSearch(ValueError):
    """A filter value the archive does not know; the message names it and the accepted ones."""


@dataclass(frozen=True)
class SearchRequest:
    query: str  # empty: browse every document (newest first)
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    languages: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    exact: bool = False  # only the typed form: no transliteration, endings or near keys
    name: bool = False  # the query is one name (a batch row): every word found as a name
    years: tuple[str, ...] = ()
    courts: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    date_from: date | None = None  # the document's date on or after this day
    date_to: date | None = None  # on or before this day
    sort: str = RELEVANCE  # or NEWEST: the document's date, newest first
    refused: tuple[str, ...] = ()  # with ``lenient``: the malformed dates left out, to say so

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
        name: bool = False,
        years: Iterable[str] = (),
        courts: Iterable[str] = (),
        publishers: Iterable[str] = (),
        date_from: str | date | None = None,
        date_to: str | date | None = None,
        sort: str | None = None,
        lenient: bool = False,
    ) -> SearchRequest:
        """White space folded, the query cut to its limit, limit and offset held in range. An unknown
        language, kind or sort, or a malformed year or date, raises `InvalidSearch`; with ``lenient``
        (a page's query string) it is dropped, and a dropped date is named in `refused`.

        The empty query lists every document within the filters, newest first."""
        query = " ".join(query.split())[:MAX_QUERY_CHARS]
        refused: list[str] = []
        start, end = _day("from", date_from, lenient, refused), _day("to", date_to, lenient, refused)
        if start and end and start > end:
            if not lenient:
                raise InvalidSearch(f"the date range ends ({end}) before it starts ({start})")
            refused.append(f"{start} – {end}")
            start = end = None
        return cls(
            query=query,
            limit=min(max(int(limit), 0), MAX_LIMIT),
            offset=min(max(int(offset), 0), MAX_OFFSET),
            languages=_known("language", languages, DOCUMENT_LANGUAGES, lenient),
            kinds=_known("kind", kinds, KINDS, lenient),
            exact=exact,
            name=name,
            years=_years(years, lenient),
            courts=_names(courts),
            publishers=_names(publishers),
            date_from=start,
            date_to=end,
            sort=NEWEST if not query else _sort(sort, lenient),
            refused=tuple(refused),
        )

    @property
    def browsing(self) -> bool:
        return not self.query


def _known(name: str, values: Iterable[str], accepted: tuple[str, ...], lenient: bool) -> tuple[str, ...]:
    found: list[str] = []
    for value in values:
        value = str(value).strip().lower()
        if value in accepted:
            found.append(value)
        elif not lenient:
            raise InvalidSearch(f"unknown {name} {value!r}: choose from {', '.join(accepted)}")
    return tuple(dict.fromkeys(found))[:MAX_FACET_VALUES]


def _years(values: Iterable[str], lenient: bool) -> tuple[str, ...]:
    found: list[str] = []
    for value in values:
        value = str(value).strip()
        if _YEAR.fullmatch(value):
            found.append(value)
        elif not lenient:
            raise InvalidSearch(f"year {value!r}: write it with four digits, such as 2021")
    return tuple(dict.fromkeys(found))[:MAX_FACET_VALUES]


def _names(values: Iterable[str]) -> tuple[str, ...]:
    """Courts and publishers as the facets give them: white space folded, none empty."""
    found = (" ".join(str(value).split())[:MAX_KEYWORD] for value in values)
    return tuple(dict.fromkeys(value for value in found if value))[:MAX_FACET_VALUES]


def _day(name: str, value: str | date | None, lenient: bool, refused: list[str]) -> date | None:
    if value is None or isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        if not _DAY.fullmatch(text):
            raise ValueError
        day = date.fromisoformat(text)
        if not EARLIEST <= day <= LATEST:
            raise ValueError
        return day
    except ValueError:
        if not lenient:
            raise InvalidSearch(
                f"{name}={text!r}: write a date as YYYY-MM-DD, such as 2021-03-31, "
                f"between {EARLIEST} and {LATEST}"
            ) from None
        refused.append(text[:40])
        return None


def _sort(value: str | None, lenient: bool) -> str:
    value = (value or RELEVANCE).strip().lower()
    if value in SORTS:
        return value
    if not lenient:
        raise InvalidSearch(f"unknown sort {value!r}: choose from {', '.join(SORTS)}")
    return RELEVANCE
