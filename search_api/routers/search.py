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
QUERY_HELP = 'words, "phrases", -exclusions, OR'


def one_of(values: tuple[str, ...]) -> dict:
    """The values a repeatable filter takes, for the schema; `SearchRequest` refuses others itself, with a
    message that names them."""
    return {"items": {"type": "string", "enum": list(values)}}


@router.get(
    "/search",
    response_model=SearchResult,
    response_model_exclude_unset=True,
    responses=problems.responses(401, 503, s422="an unknown language or kind, or an invalid parameter"),
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
) -> dict:
    """Ranked hits, each with why it matched; a name is found in any script and spelling unless `exact`."""
    request = SearchRequest.create(q, limit, offset, lang or (), kind or (), exact)
    return archive.search(request, viewer).as_json()
