"""POST /api/search/batch: many names at once, one row a name; JSON, or CSV when asked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import Response
from pydantic import BaseModel, Field

from archive.search.batch import DEFAULT_HITS, MAX_HITS, MAX_NAME_CHARS, MAX_NAMES
from archive.service import Archive, BatchRequest, BatchRow
from search_api import problems
from search_api.auth import Reader
from search_api.deps import ArchiveDep

router = APIRouter(prefix="/api", tags=["search"])
CSV = "text/csv"


class BatchQuery(BaseModel):
    names: list[str] = Field(description=f"one name an item; at most {MAX_NAMES}, each at most "
                                         f"{MAX_NAME_CHARS} characters; blanks and repeats are dropped")
    exact: bool = Field(False, description="only the typed form: no transliteration or endings")
    hits: int = Field(DEFAULT_HITS, ge=1, le=MAX_HITS, description="best hits given for each name")
    lang: list[str] = Field(default_factory=list, description="en, ru, kk or mixed")
    kind: list[str] = Field(default_factory=list, description="report, ruling or media")


class BatchHitOut(BaseModel):
    id: str
    title: str
    permalink: str
    matched: list[str]


class BatchRowOut(BaseModel):
    name: str
    total: int = Field(description="documents the caller may see that match the name")
    matched: list[str] = Field(description='the spellings that matched: "query form → document form"')
    hits: list[BatchHitOut]


class BatchAnswer(BaseModel):
    rows: list[BatchRowOut]


@router.post(
    "/search/batch",
    response_model=BatchAnswer,
    responses={
        200: {"content": {CSV: {"schema": {"type": "string"}}},
              "description": f"one row a name; `{CSV}` when the request's Accept asks for it"},
        **problems.responses(
            400, 401, 503, s422="no names, too many, a name too long, or an unknown language or kind"
        ),
    },
)
def batch_search(body: BatchQuery, archive: ArchiveDep, viewer: Reader,
                 accept: Annotated[str, Header()] = "application/json") -> Response | dict:
    """Searches each name as `GET /api/search` would (every word of it required), with the caller's
    access: a document they may not see neither shows nor counts."""
    request = BatchRequest.create(body.names, body.exact, body.hits, body.lang, body.kind)
    rows = archive.search_batch(request, viewer)
    if _wants_csv(accept):
        return csv_response(archive, rows, request)
    return {"rows": [row.as_json() for row in rows]}


def csv_response(archive: Archive, rows: list[BatchRow], request: BatchRequest) -> Response:
    """The rows as a CSV download, for the API and the page alike."""
    return Response(
        "\ufeff" + archive.batch_csv(rows, request),  # the BOM: spreadsheets then read it as UTF-8
        media_type=f"{CSV}; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="batch-search.csv"'},
    )


def _wants_csv(accept: str) -> bool:
    return any(part.split(";")[0].strip().lower() == CSV for part in accept.split(","))
