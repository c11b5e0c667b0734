"""POST /api/links: capture a media link."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from archive.domain import Provenance
from ingest.pipeline import IngestRequest
from search_api.app import ArchiveHolder
from search_api.deps import holder
from search_api.routers.documents import ingest_response

router = APIRouter(prefix="/api/links", tags=["links"])


class LinkRequest(BaseModel):
    url: str = Field(max_length=4000)
    title: str | None = Field(default=None, max_length=500)
    ingested_by: str = Field(default="", max_length=200)
    note: str = Field(default="", max_length=5000)


@router.post("", status_code=201)
def capture(link: LinkRequest, holder: Annotated[ArchiveHolder, Depends(holder)]) -> JSONResponse:
    request = IngestRequest(title=link.title, provenance=Provenance("", link.ingested_by, link.note))
    with holder.write_lock:
        result = holder.archive.capture(link.url, request)
    return ingest_response(result)
