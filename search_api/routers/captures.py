"""A document's captures (its versions) and their files; failed captures and their retry."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, Field

from archive.domain import Provenance
from archive.service import IngestRequest, NotRetryable, OriginalUnavailable
from search_api import problems
from search_api.auth import Reader, Writer
from search_api.deps import ArchiveDep
from search_api.media import JsonBody
from search_api.models import Captures, Failures, IngestResult
from search_api.problems import Problem
from search_api.routers.evidence import found

router = APIRouter(prefix="/api", tags=["captures"])
EntryId = Annotated[int, Path(ge=1, le=2**62, description="a custody entry's number")]  # SQLite's range

FILE_NAMES = {
    "warc": "capture-{seq}.warc.gz", "screenshot": "capture-{seq}.png", "wacz": "capture-{seq}.wacz"
}


@router.get("/documents/{document_id}/captures", response_model=Captures,
            response_model_exclude_unset=True, responses=problems.responses(401, 404))
def captures(document_id: str, archive: ArchiveDep, viewer: Reader) -> dict:
    """Every capture of the document's URL, oldest first, each with its files and whether it changed."""
    return {"captures": archive.captures(found(archive, document_id, viewer), viewer)}


CAPTURE_FILE_TYPES = {"application/warc": {"schema": {"type": "string", "format": "binary"}},
                      "image/png": {"schema": {"type": "string", "format": "binary"}},
                      "application/wacz": {"schema": {"type": "string", "format": "binary"}}}


@router.get(
    "/documents/{document_id}/captures/{seq}/{kind}",
    response_class=StreamingResponse,
    responses={200: {"content": CAPTURE_FILE_TYPES, "description": "the file"},
               **problems.responses(401, 404, s404="no such document, capture or file")},
)
def capture_file(
    document_id: str, seq: EntryId, kind: Literal["warc", "screenshot", "wacz"], archive: ArchiveDep,
    viewer: Reader,
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


@router.get("/failures", response_model=Failures, response_model_exclude_unset=True,
            responses=problems.responses(401, 403))
def failures(archive: ArchiveDep, by: Writer) -> dict:
    """Failed ingests and captures, newest first, with the retry that followed each."""
    return {"failures": [f.as_json() for f in archive.failures(viewer=by)]}


class RetryRequest(BaseModel):
    url: str | None = Field(default=None, max_length=4000)  # to give the link anew (credentials)
    ingested_by: str = Field(default="", max_length=200)


@router.post(
    "/failures/{seq}/retry",
    status_code=201,
    response_model=IngestResult,
    responses={**problems.responses(400, 401, 403, 404, 415, s404="the entry is not a failed capture"),
               200: {"model": IngestResult, "description": "the same content was already archived"},
               422: {"model": IngestResult, "content": problems.PROBLEM_CONTENT,
                     "description": "the capture failed again (its result), or an invalid request"}},
)
def retry(
    seq: EntryId, archive: ArchiveDep, by: Writer, _body: JsonBody, body: RetryRequest | None = None
) -> JSONResponse:
    """Runs a failed capture again; every attempt is its own custody entry."""
    body = body or RetryRequest()
    request = IngestRequest(provenance=Provenance("", body.ingested_by, ""))
    try:
        result = archive.retry(seq, request, body.url, by=by)
    except NotRetryable as error:
        raise Problem(404, "Not Found", str(error)) from None
    status = {"created": 201, "duplicate": 200}.get(result.status, 422)
    return JSONResponse(status_code=status, content=result.as_json())
