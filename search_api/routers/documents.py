"""Documents: upload an original, read a document's record, download its exact bytes."""

from __future__ import annotations

import base64
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, UploadFile
from fastapi.responses import JSONResponse, StreamingResponse

from archive.domain import Document, Kind, Provenance
from archive.service import Archive
from ingest.pipeline import IngestRequest, IngestResult
from search_api.app import ArchiveHolder
from search_api.deps import archive, holder
from search_api.serialize import document_json

router = APIRouter(prefix="/api/documents", tags=["documents"])

STATUS_CODES = {"created": 201, "duplicate": 200, "failed": 422}


def ingest_response(result: IngestResult) -> JSONResponse:
    return JSONResponse(status_code=STATUS_CODES[result.status], content=result.as_json())


@router.post(
    "",
    status_code=201,
    responses={
        200: {"description": "the same bytes were already archived"},
        422: {"description": "the file could not be ingested"},
    },
)
def upload(
    holder: Annotated[ArchiveHolder, Depends(holder)],
    file: Annotated[UploadFile, File()],
    kind: Annotated[Kind | None, Form()] = None,
    title: Annotated[str | None, Form(max_length=500)] = None,
    source: Annotated[str, Form(max_length=2000)] = "",
    ingested_by: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
) -> JSONResponse:
    ingest = IngestRequest(kind=kind, title=title or None, provenance=Provenance(source, ingested_by, note))
    with holder.write_lock:
        result = holder.archive.ingest_upload(file.file, file.filename or "upload", ingest)
    return ingest_response(result)


def _found(archive: Archive, document_id: str) -> Document:
    document = archive.document(document_id)
    if document is None:
        raise HTTPException(404, f"No document {document_id!r} in this archive.")
    return document


@router.get("/{document_id}")
def read(document_id: str, archive: Annotated[Archive, Depends(archive)]) -> dict:
    return document_json(_found(archive, document_id))


@router.get("/{document_id}/original", response_class=StreamingResponse)
def original(document_id: str, archive: Annotated[Archive, Depends(archive)]) -> StreamingResponse:
    """The exact bytes that were archived, checked against their SHA-256 before they are sent."""
    document = _found(archive, document_id)
    state = archive.blobs.check(document.sha256)
    if state != "ok":
        raise HTTPException(
            500, f"The original is {state}: run `archive verify` and restore it from a backup."
        )
    digest = base64.b64encode(bytes.fromhex(document.sha256)).decode()
    headers = {
        "X-Content-SHA256": document.sha256,
        "Repr-Digest": f"sha-256=:{digest}:",
        "Content-Length": str(document.size),
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.original_name)}",
    }
    return StreamingResponse(archive.original(document), media_type=document.media_type, headers=headers)
