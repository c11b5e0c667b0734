"""The search page `/` and its results fragment `/search`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from archive.search.request import DOCUMENT_LANGUAGES, KINDS, MAX_OFFSET, RELEVANCE, SORTS, SearchRequest
from archive.service import NO_WORDS, Archive, BackendUnavailable, Principal, SearchResult
from search_api.auth import Reader
from search_api.deps import ArchiveDep
from web.i18n import N_
from web.render import is_htmx, render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 10
RESULT_ENTITIES = 5  # entities the query names, shown above the hits
# The service explains an unrunnable query in English; known explanations are shown translated.
MESSAGE_KEYS = {
    NO_WORDS: N_("The query has no words to search for: add a word or a name, not only operators."),
}


def _offset(raw: str | None) -> int:
    try:
        return int(raw or 0)
    except ValueError:
        return 0


# The facets of the page, in the order shown, with the `SearchRequest` field each filters.
FACET_FIELDS = {"language": "languages", "kind": "kinds", "year": "years", "court": "courts",
                "publisher": "publishers"}
SHOWN_VALUES = 8  # values of a long facet (year, court, publisher) shown besides the chosen ones


@dataclass(frozen=True)
class SearchForm:
    """What the reader asked for, read leniently from the query string (a bad value is ignored, and a
    malformed date said)."""

    search: SearchRequest
    sort_asked: str = RELEVANCE  # what the sort menu shows: browsing sorts by date whatever it says

    @classmethod
    def from_request(cls, request: Request) -> SearchForm:
        params = request.query_params
        asked = params.get("sort", RELEVANCE)
        return cls(sort_asked=asked if asked in SORTS else RELEVANCE, search=SearchRequest.create(
            params.get("q", ""),
            limit=PAGE_SIZE,
            offset=_offset(params.get("offset")),
            languages=params.getlist("language"),
            kinds=params.getlist("kind"),
            exact=params.get("exact") in ("1", "true", "on"),
            years=params.getlist("year"),
            courts=params.getlist("court"),
            publishers=params.getlist("publisher"),
            date_from=params.get("from"),
            date_to=params.get("to"),
            sort=params.get("sort"),
            lenient=True,
        ))

    @property
    def q(self) -> str:
        return self.search.query

    @property
    def languages(self) -> tuple[str, ...]:
        return self.search.languages

    @property
    def kinds(self) -> tuple[str, ...]:
        return self.search.kinds

    @property
    def exact(self) -> bool:
        return self.search.exact

    @property
    def offset(self) -> int:
        return self.search.offset

    @property
    def sort(self) -> str:
        return self.search.sort

    def chosen(self, facet: str) -> tuple[str, ...]:
        return getattr(self.search, FACET_FIELDS[facet])

    def params(self, offset: int = 0, without: tuple[str, str] | None = None) -> list[tuple[str, str]]:
        """The query string of these results (`without` one chosen facet value, or the date range)."""
        search = self.search
        params = [("q", search.query)]
        for facet in FACET_FIELDS:
            params += [(facet, v) for v in self.chosen(facet) if (facet, v) != without]
        if search.exact:
            params.append(("exact", "1"))
        if without != ("date", ""):
            params += [(name, day.isoformat()) for name, day in (("from", search.date_from),
                                                                 ("to", search.date_to)) if day]
        if search.sort != RELEVANCE and not search.browsing:
            params.append(("sort", search.sort))
        if offset:
            params.append(("offset", str(offset)))
        return params

    def url(self, offset: int = 0, without: tuple[str, str] | None = None) -> str:
        """The `/search` URL of another page of the same results, or of them without one filter."""
        return f"/search?{urlencode(self.params(offset, without))}"

    def reading_url(self, document_id: str) -> str:
        """A hit's reading page, with the query (to mark it) and the filters (to come back to them)."""
        return f"/d/{document_id}{self._reading_query}"

    @cached_property
    def _reading_query(self) -> str:
        """What every hit's reading page is asked with: the same for the whole page of hits."""
        kept = [(name, value) for name, value in self.params(self.offset) if value]
        return f"?{urlencode(kept)}" if kept else ""

    def chips(self) -> list[dict]:
        """The filters in force, each with the URL of the results without it."""
        chips = [{"facet": facet, "value": value, "url": self.url(without=(facet, value))}
                 for facet in FACET_FIELDS for value in self.chosen(facet)]
        if self.search.date_from or self.search.date_to:
            chips.append({"facet": "date", "url": self.url(without=("date", "")),
                          "value": f"{self.search.date_from or '…'} – {self.search.date_to or '…'}"})
        return chips


def facet_values(form: SearchForm, facets: dict[str, dict[str, int]], facet: str) -> list[tuple[str, int]]:
    """The values a facet offers: every language and kind; the most frequent years, courts and
    publishers (years newest first); always the chosen ones, counted or not."""
    counts = facets.get(facet, {})
    chosen = form.chosen(facet)
    if facet == "language":
        return [(code, counts.get(code, 0)) for code in DOCUMENT_LANGUAGES]
    if facet == "kind":
        return [(kind, counts.get(kind, 0)) for kind in KINDS]
    shown = list(dict.fromkeys([*list(counts)[:SHOWN_VALUES], *chosen]))
    if facet == "year":
        shown.sort(reverse=True)
    return [(value, counts.get(value, 0)) for value in shown]


@dataclass
class Outcome:
    result: SearchResult | None = None
    unavailable: bool = False
    pending: int = 0  # documents kept but not yet searchable
    entities: list[dict] = field(default_factory=list)  # the people, places and organisations the query names

    @property
    def status(self) -> int:
        return 503 if self.unavailable else 200


def run(archive: Archive, form: SearchForm, viewer: Principal) -> Outcome:
    # Entities join every spelling of a name: a search for the typed form alone shows none, neither
    # the query's nor the hits'.
    try:
        result = archive.search(form.search, viewer, named=not form.exact)
    except BackendUnavailable:
        return Outcome(unavailable=True, pending=archive.pending_count(viewer))
    shown = result.hits and not form.search.browsing and not form.exact
    named = archive.entities(form.q, viewer, RESULT_ENTITIES) if shown else []
    return Outcome(result, pending=result.pending, entities=named)


def _context(request: Request, form: SearchForm, outcome: Outcome) -> dict:
    result = outcome.result
    total = result.total if result else 0
    facets = result.facets if result else {}
    return {
        "form": form,
        "result": result,
        "entities": outcome.entities,
        "unavailable": outcome.unavailable,
        "pending": outcome.pending,
        "message_key": MESSAGE_KEYS.get(result.message or "") if result else None,
        "facets": {facet: facet_values(form, facets, facet) for facet in FACET_FIELDS},
        "counted": bool(facets),
        "chips": form.chips(),
        "sorts": SORTS,
        "first": form.offset + 1,
        "last": form.offset + (len(result.hits) if result else 0),
        "previous_url": form.url(max(form.offset - PAGE_SIZE, 0)) if form.offset > 0 else None,
        "next_url": form.url(form.offset + PAGE_SIZE)
        if form.offset + PAGE_SIZE < min(total, MAX_OFFSET + 1) else None,
    }


def _page(request: Request, archive: Archive, viewer: Principal) -> HTMLResponse:
    form = SearchForm.from_request(request)
    outcome = run(archive, form, viewer)
    context = _context(request, form, outcome)
    if is_htmx(request) and request.url.path == "/search":
        return render(request, "_results.html", {**context, "fragment": True}, outcome.status)
    try:
        archive_total = archive.document_count(viewer)
    except BackendUnavailable:
        archive_total = None
    context |= {"archive_total": archive_total, "fragment": False}
    return render(request, "search.html", context, outcome.status)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, archive: ArchiveDep, viewer: Reader) -> HTMLResponse:
    return _page(request, archive, viewer)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, archive: ArchiveDep, viewer: Reader) -> HTMLResponse:
    """The results fragment for htmx; the whole search page for anyone else (links, no JavaScript)."""
    return _page(request, archive, viewer)
