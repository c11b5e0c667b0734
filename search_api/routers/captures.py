"""A document's captures (its versions) and their files; failed captures and their retry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from archive.domain import Provenance
from archive.service import IngestRequest, NotRetryable, OriginalUnavailable
from search_api.auth import Reader, Writer
from search_api.deps import ArchiveDep
from search_api.problems import Problem
from search_api.routers.evidence import found

router = APIRouter(prefix="/api", tags=["captures"])
EntryId = Annotated[int, Path(ge=1, le=2**62, description="a custody entry's number")]  # SQLite's range

FILE_NAMES = {
    "warc": "capture-{seq}.warc.gz", "screenshot": "capture-{seq}.png", "wacz": "capture-{seq}.wacz"
}


@router.get("/documents/{document_id}/captures")
def captures(document_id: str, archive: ArchiveDep, viewer: Reader) -> dict:
    """Every capture of the document's URL, oldest first, each with its files and whether it changed."""
    return {"captures": archive.captures(found(archive, document_id, viewer), viewer)}


@router.get("/documents/{document_id}/captures/{seq}/{kind}", response_class=StreamingResponse)
def capture_file(
    document_id: str, seq: EntryId, kind: str, archive: ArchiveDep, viewer: Reader
) -> StreamingResponse:
    """The WARC, screenshot or WACZ of one capture, checked against its SHA-256 while it streams."""
    document = found(archive, document_id, viewer)
    try:
        file = archive.capture_file(document, seq, kind)
    except OriginalUnavailable as error:
        raise Problem(500, "File unavailable", str(error)) from None
    if file is None:
        raise Problem(404, "Not found", f"No {kind} for capture {seq} of document {document_id!r}.")
    media_type, chunks = file
    name = FILE_NAMES[kind].format(seq=seq)
    disposition = "inline" if kind == "screenshot" else "attachment"
    return StreamingResponse(chunks, media_type=media_type,
                             headers={"Content-Disposition": f'{disposition}; filename="{name}"'})


@router.get("/failures")
def failures(archive: ArchiveDep, by: Writer) -> dict:
    return {"failures": [f.as_json() for f in archive.failures(viewer=by)]}


class RetryRequest(BaseModel):
    url: str | None = Field(default=None, max_length=4000)  # to give the link anew (credentials)
    ingested_by: str = Field(default="", max_length=200)


@router.post("/failures/{seq}/retry")
def retry(seq: EntryId, archive: ArchiveDep, by: Writer, body: RetryRequest | None = None) -> JSONResponse:
    body = body or RetryRequest()
    request = IngestRequest(provenance=Provenance("", body.ingested_by, ""))
    try:
        result = archive.retry(seq, request, body.url, by=by)
    except NotRetryable as error:
        raise Problem(404, "Not a failed capture", str(error)) from None
    status = {"created": 201, "duplicate": 200}.get(result.status, 422)
    return JSONResponse(status_code=status, content=result.as_json())
