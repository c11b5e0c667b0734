"""The one small interface every index backend implements, and the backend-neutral query tree.

The query tree is built once, in Python, by `archive.search.planner` from the shared analysis; each
backend only translates it into its engine's own query language. No backend has search rules of its own.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from archive.domain import Visibility

# Analysed fields. Each holds space-separated terms that `archive.analysis` produced; backends index
# them with a plain whitespace tokenizer, one term a position, so phrase and proximity queries work.
WORDS = "words"  # folded surface forms, in their own script
STEMS = "stems"  # language stems
KEYS = "keys"  # name keys: script-independent, case endings reduced
ALIASES = "aliases"  # alias-group ids of places and organisations (`@oskemen`)
NAMES = "names"  # name keys of the words that may be names (not ordinary words): near keys meet these
READINGS = "readings"  # keys of names' other readings (Kuznecov: kuznetsov; Allaberdin: allaberdin)
UNSTRIPPED = "unstripped"  # keys of the words that may be names, nothing stripped (Дании: dania)
TITLE_WORDS = "title_words"
TITLE_STEMS = "title_stems"
TITLE_KEYS = "title_keys"
ANALYSED_FIELDS = (
    WORDS, STEMS, KEYS, NAMES, READINGS, UNSTRIPPED, ALIASES, TITLE_WORDS, TITLE_STEMS, TITLE_KEYS
)
# What a passage of a long document is indexed by.
PASSAGE_FIELDS = (WORDS, STEMS, KEYS, NAMES, READINGS, UNSTRIPPED, ALIASES)

# Keyword fields used for filters.
KIND = "kind"
LANGUAGE = "language"
ACCESS = "access"
COLLECTION = "collection"
YEAR = "year"  # the year of the document's date, "2021"
COURT = "court"
PUBLISHER = "publisher"
# Fields counted for the current query and filters, each filtered by `Filters.facet_values`.
FACETS = (LANGUAGE, KIND, YEAR, COURT, PUBLISHER)
MAX_KEYWORD = 300  # characters of a court's or publisher's name kept as a facet value
DATE = "date"  # the document's own date (see `archive.search.dates`): the date filter and sort

# How results are ordered.
RELEVANCE = "relevance"
NEWEST = "date"  # the document's date, newest first
SORTS = (RELEVANCE, NEWEST)


class BackendUnavailable(RuntimeError):
    """The index engine cannot be reached or refuses work; the store of record is unaffected."""


class BulkRejected(BackendUnavailable):
    """Some documents could not be written even after retries; `ids` names them (the rest were)."""

    def __init__(self, message: str, ids: list[str]) -> None:
        super().__init__(message)
        self.ids = ids


@dataclass(frozen=True)
class Passage:
    """An overlapping window of a long document: where it stands in the text, its text, and the terms
    of its tokens in PASSAGE_FIELDS. Backends keep passages in a companion index, so that a search
    finds the place of its hit in a long document, and the words there, without reading the document."""

    start: int  # character offsets in the document's text
    end: int
    text: str  # the document's text from `start` to `end`, kept, not searched
    last: bool  # the document ends with this passage
    fields: dict[str, str]


@dataclass(frozen=True)
class IndexDocument:
    id: str
    kind: str
    language: str
    access: str
    ingested_at: datetime
    fields: dict[str, str]  # analysed field name -> space-separated terms
    collection: str = ""
    passages: tuple[Passage, ...] = ()  # only long documents have them
    date: datetime | None = None  # the document's own date (UTC); None: its ingest time
    court: str = ""
    publisher: str = ""

    @property
    def when(self) -> datetime:
        """The date the document is sorted and limited by, to the second: the embedded engine keeps
        no finer, so that documents archived within one second come in id order on both backends."""
        return (self.date or self.ingested_at).replace(microsecond=0)

    def keywords(self) -> dict[str, str]:
        """The facet fields' values of this document (a field without a value is left out)."""
        values = {LANGUAGE: self.language, KIND: self.kind, YEAR: f"{self.when.year:04d}",
                  COURT: self.court, PUBLISHER: self.publisher}
        return {name: value for name, value in values.items() if value}


# --- query tree -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    field: str
    value: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """The terms next to each other in this order; with a slop, within that many moves (as in Lucene:
    the slop is a total, and from 2 on two terms may also stand the other way round)."""

    field: str
    values: tuple[str, ...]
    slop: int = 0
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix:
    """A term of the field that begins with `value` (letters a-z only); scored only under a
    `Constant`."""

    field: str
    value: str


@dataclass(frozen=True)
class AnyOf:
    """Matches when any clause matches; scores as the best clause (a disjunction max)."""

    clauses: tuple[Query, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Bool:
    must: tuple[Query, ...] = ()
    should: tuple[Query, ...] = ()  # with no `must`, at least one `should` has to match
    must_not: tuple[Query, ...] = ()
    boost: float = 1.0


@dataclass(frozen=True)
class Constant:
    """Matches where `query` matches, with the fixed score `score` (no term statistics): a tier of
    the ranking that document length and term frequency cannot reorder."""

    query: Query
    score: float


Query = Term | Phrase | Prefix | AnyOf | Bool | Constant


@dataclass(frozen=True)
class Filters:
    """What results are limited to. Within a field, any of its values; across fields, all of them."""

    languages: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    visible: Visibility | None = None  # None: every document; enforced in the engine's own query
    years: tuple[str, ...] = ()
    courts: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    date_from: date | None = None  # the document's date on or after this day
    date_to: date | None = None  # on or before this day

    def facet_values(self) -> dict[str, tuple[str, ...]]:
        """The values each facet field is limited to (empty: not limited)."""
        return {LANGUAGE: self.languages, KIND: self.kinds, YEAR: self.years, COURT: self.courts,
                PUBLISHER: self.publishers}

    def facet_filters_but(self, name: str | None) -> dict[str, tuple[str, ...]]:
        """The facet filters in force, without that of facet `name`: what its counts are taken under, so
        that a reader sees how many each other value of a field they filter by would give (the facets
        of Aleph and Datashare)."""
        return {field: values for field, values in self.facet_values().items() if values and field != name}


Facets = dict[str, dict[str, int]]  # facet field -> value -> documents, most first


@dataclass(frozen=True)
class ScoredId:
    id: str
    score: float


@dataclass
class SearchPage:
    total: int
    hits: list[ScoredId] = field(default_factory=list)
    facets: Facets = field(default_factory=dict)  # when asked for: every field of FACETS


@dataclass(frozen=True)
class PassageHit:
    """The best passage of one document."""

    start: int
    end: int
    text: str
    last: bool
    score: float


class IndexBackend(Protocol):
    name: str

    def add(self, docs: Iterable[IndexDocument]) -> None:
        """Adds or replaces documents (by id), with their passages, in the live index and makes them
        searchable; a replaced document's old passages go."""

    def delete(self, ids: Iterable[str]) -> None:
        """Removes documents and their passages."""

    def search(
        self,
        query: Query | None,
        filters: Filters,
        limit: int,
        offset: int = 0,
        *,
        sort: str = RELEVANCE,
        facets: int = 0,
    ) -> SearchPage:
        """The page of hits of `query` (None: every document) within `filters`, by relevance or by
        date (NEWEST: newest first; the score is then 0 where the engine does not compute one).

        With `facets` > 0, also the counts of up to that many values of each field of FACETS among the
        documents `query` matches, each field counted under the filters of the others
        (`Filters.facet_filters_but`) and always within `filters.visible` and the date range.
        """

    def best_passages(self, query: Query, ids: Sequence[str]) -> dict[str, PassageHit]:
        """The best-scoring passage matching `query` (a tree on PASSAGE_FIELDS) of each document among
        `ids` that has one, by document id; the highest score wins, the earlier passage on a tie.

        One engine request for all of them (as a rule). Documents without passages are left out.
        """

    def rebuild(self, docs: Iterable[IndexDocument]) -> int:
        """Builds a fresh index (and passages index) from `docs` beside the live one and swaps them in
        together at the end.

        Searches keep answering from the old index until the swap. Returns how many were indexed.
        """

    def count(self) -> int: ...

    def change_mark(self) -> Hashable | None:
        """A value that changes with every change of the live index a search can see, by any process,
        cheaper to read than a search; None when the backend cannot give one now
        (`archive.search.answers`)."""

    def outdated(self) -> bool:
        """Whether the live index was built with another layout than this code writes and reads: the
        service then rebuilds it from the store of record."""

    def close(self) -> None: ...
