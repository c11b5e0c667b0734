"""The search page `/` and its results fragment `/search`."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from archive.domain import MIXED, Kind
from archive.index import BackendUnavailable
from archive.service import Archive, SearchResult
from web.render import is_htmx, render

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 10
MAX_OFFSET = 10_000
MAX_QUERY = 2000
KINDS = tuple(kind.value for kind in Kind)
DOCUMENT_LANGUAGES = ("en", "ru", "kk", MIXED)
# The service explains an unrunnable query in English; known explanations are shown translated.
MESSAGE_KEYS = {"The query has no words to search for.": "search.no_words"}


def _offset(raw: str | None) -> int:
    try:
        return min(max(int(raw or 0), 0), MAX_OFFSET)
    except ValueError:
        return 0


@dataclass(frozen=True)
class SearchForm:
    """What the reader asked for, read leniently from the query string (a bad value is ignored)."""

    q: str = ""
    languages: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    offset: int = 0

    @classmethod
    def from_request(cls, request: Request) -> SearchForm:
        params = request.query_params
        return cls(
            q=params.get("q", "")[:MAX_QUERY],
            languages=tuple(v for v in params.getlist("language") if v in DOCUMENT_LANGUAGES),
            kinds=tuple(v for v in params.getlist("kind") if v in KINDS),
            offset=_offset(params.get("offset")),
        )

    def url(self, offset: int) -> str:
        """The `/search` URL of another page of the same results."""
        params = [("q", self.q), *(("language", v) for v in self.languages),
                  *(("kind", v) for v in self.kinds)]
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


def run(archive: Archive, form: SearchForm) -> Outcome:
    if not form.q.strip():
        return Outcome()
    try:
        return Outcome(archive.search(form.q, limit=PAGE_SIZE, offset=form.offset,
                                      languages=form.languages, kinds=form.kinds))
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


def _page(request: Request) -> HTMLResponse:
    archive: Archive = request.app.state.holder.archive
    form = SearchForm.from_request(request)
    outcome = run(archive, form)
    context = _context(request, form, outcome)
    if is_htmx(request) and request.url.path == "/search":
        return render(request, "_results.html", {**context, "fragment": True}, outcome.status)
    facets = archive.store.facets()
    context |= {"facets": facets, "archive_total": sum(facets.get("kind", {}).values()), "fragment": False}
    return render(request, "search.html", context, outcome.status)


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return _page(request)


@router.get("/search", response_class=HTMLResponse)
def search(request: Request) -> HTMLResponse:
    """The results fragment for htmx; the whole search page for anyone else (links, no JavaScript)."""
    return _page(request)
