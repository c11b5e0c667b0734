"""GET /api/search: a query, its filters and options, answered with ranked, explained hits."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from archive.domain import DOCUMENT_LANGUAGES, KINDS
from archive.search.request import MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS, SearchRequest
from search_api import problems
from search_api.auth import Reader
from search_api.deps import ArchiveDep
from search_api.models import SearchResult

router = APIRouter(prefix="/api", tags=["search"])
QUERY_HELP = 'words, "phrases", -exclusions, OR; empty: every document'
DATE_HELP = "YYYY-MM-DD: the document's date (decided, published, else archived) {} this day"
SORT_HELP = "relevance (the default) or date (the document's date, newest first)"


def one_of(values: tuple[str, ...]) -> dict:
    """The values a repeatable filter takes, for the schema; `SearchRequest` refuses others itself, with a
    message that names them."""
    return {"items": {"type": "string", "enum": list(values)}}


@router.get(
    "/search",
    response_model=SearchResult,
    response_model_exclude_unset=True,
    responses=problems.responses(
        401, 503, s422="an unknown language, kind or sort, a malformed year or date, or an invalid parameter"
    ),
)
def search(
    archive: ArchiveDep,
    viewer: Reader,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description=QUERY_HELP)] = "",
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 10,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    lang: Annotated[list[str] | None, Query(description="en, ru, kk or mixed; repeatable",
                                            json_schema_extra=one_of(DOCUMENT_LANGUAGES))] = None,
    kind: Annotated[list[str] | None, Query(description="report, ruling or media; repeatable",
                                            json_schema_extra=one_of(KINDS))] = None,
    exact: Annotated[bool, Query(description="only the typed form: no transliteration or endings")] = False,
    year: Annotated[list[str] | None, Query(description="year of the document date; repeatable")] = None,
    court: Annotated[list[str] | None, Query(description="a court as its facet names it; repeatable")] = None,
    publisher: Annotated[list[str] | None, Query(description="a publisher; repeatable")] = None,
    date_from: Annotated[str | None, Query(alias="from", description=DATE_HELP.format("on or after"))] = None,
    date_to: Annotated[str | None, Query(alias="to", description=DATE_HELP.format("on or before"))] = None,
    sort: Annotated[str | None, Query(description=SORT_HELP)] = None,
) -> dict:
    """Hits of the query within the filters, with `facets`: for each of language, kind, year, court and
    publisher, the documents by value among those the query matches, each counted under the other
    fields' filters. An empty `q` lists every document within the filters, newest first."""
    request = SearchRequest.create(
        q, limit, offset, lang or (), kind or (), exact, years=year or (), courts=court or (),
        publishers=publisher or (), date_from=date_from, date_to=date_to, sort=sort,
    )
    return archive.search(request, viewer).as_json()
