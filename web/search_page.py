"""The search page `/` and its results fragment `/search`."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from archive.search.request import DOCUMENT_LANGUAGES, KINDS, MAX_OFFSET, SearchRequest
from archive.service import NO_WORDS, Archive, BackendUnavailable, Principal, SearchResult
from search_api.auth import Reader
from search_api.deps import ArchiveDep
from web.i18n import N_
from web.render import is_htmx, render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 10
# The service explains an unrunnable query in English; known explanations are shown translated.
MESSAGE_KEYS = {
    NO_WORDS: N_("The query has no words to search for: add a word or a name, not only operators."),
}


def _offset(raw: str | None) -> int:
    try:
        return int(raw or 0)
    except ValueError:
        return 0


@dataclass(frozen=True)
class SearchForm:
    """What the reader asked for, read leniently from the query string (a bad value is ignored)."""

    search: SearchRequest

    @classmethod
    def from_request(cls, request: Request) -> SearchForm:
        params = request.query_params
        return cls(SearchRequest.create(
            params.get("q", ""),
            limit=PAGE_SIZE,
            offset=_offset(params.get("offset")),
            languages=params.getlist("language"),
            kinds=params.getlist("kind"),
            exact=params.get("exact") in ("1", "true", "on"),
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

    def url(self, offset: int) -> str:
        """The `/search` URL of another page of the same results."""
        params = [("q", self.q), *(("language", v) for v in self.languages),
                  *(("kind", v) for v in self.kinds)]
        if self.exact:
            params.append(("exact", "1"))
        if offset:
            params.append(("offset", str(offset)))
        return f"/search?{urlencode(params)}"


@dataclass
class Outcome:
    result: SearchResult | None = None
    unavailable: bool = False

    @property
    def status(self) -> int:
        return 503 if self.unavailable else 200


def run(archive: Archive, form: SearchForm, viewer: Principal) -> Outcome:
    if not form.q:
        return Outcome()
    try:
        return Outcome(archive.search(form.search, viewer))
    except BackendUnavailable:
        return Outcome(unavailable=True)


def _context(request: Request, form: SearchForm, outcome: Outcome) -> dict:
    result = outcome.result
    total = result.total if result else 0
    return {
        "form": form,
        "result": result,
        "unavailable": outcome.unavailable,
        "message_key": MESSAGE_KEYS.get(result.message or "") if result else None,
        "kinds": KINDS,
        "document_languages": DOCUMENT_LANGUAGES,
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
    facets = archive.facets(viewer)
    context |= {"facets": facets, "archive_total": sum(facets.get("kind", {}).values()), "fragment": False}
    return render(request, "search.html", context, outcome.status)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, archive: ArchiveDep, viewer: Reader) -> HTMLResponse:
    return _page(request, archive, viewer)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request, archive: ArchiveDep, viewer: Reader) -> HTMLResponse:
    """The results fragment for htmx; the whole search page for anyone else (links, no JavaScript)."""
    return _page(request, archive, viewer)
