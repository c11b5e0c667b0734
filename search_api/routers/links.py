"""POST /api/links: capture a media link."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from archive.domain import AccessLevel, Provenance
from archive.service import IngestRequest
from search_api.auth import Writer
from search_api.deps import ArchiveDep
from search_api.media import JsonBody
from search_api.models import IngestResult
from search_api.routers.documents import INGEST_RESPONSES, ingest_response

router = APIRouter(prefix="/api/links", tags=["links"])


class LinkRequest(BaseModel):
    url: str = Field(max_length=4000)
    title: str | None = Field(default=None, max_length=500)
    ingested_by: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=5000)
    access: AccessLevel = AccessLevel.PUBLIC


@router.post("", status_code=201, response_model=IngestResult, responses=INGEST_RESPONSES)
def capture(link: LinkRequest, archive: ArchiveDep, by: Writer, _body: JsonBody) -> JSONResponse:
    """Captures a link: its WARC, screenshot, WACZ, main text and metadata; a failure is kept to retry."""
    request = IngestRequest(
        title=link.title, provenance=Provenance("", link.ingested_by, link.note), access=link.access
    )
    return ingest_response(archive.capture(link.url, request, by=by))
