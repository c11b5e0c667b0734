"""Documents: upload an original, read a document's record, download its exact bytes."""

from __future__ import annotations

import base64
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from archive.domain import AccessLevel, Kind, Provenance
from archive.service import (
    DocumentChanges,
    IngestRequest,
    IngestResult,
    OriginalUnavailable,
    given_collection,
    given_metadata,
)
from search_api import problems
from search_api.auth import Admin, Reader, Writer
from search_api.deps import ArchiveDep
from search_api.media import JsonBody, MultipartBody
from search_api.models import DocumentRecord, DocumentWithFamily
from search_api.models import IngestResult as IngestResultModel
from search_api.problems import Problem
from search_api.serialize import document_json

router = APIRouter(prefix="/api/documents", tags=["documents"])

STATUS_CODES = {"created": 201, "duplicate": 200, "failed": 422}
# A failed file answers 422 with its ingest result (as `archive ingest --json` prints it, `status`
# "failed" and the reason in `error`); a request the route cannot read answers 422 as a problem.
INGEST_RESPONSES = {
    **problems.responses(400, 401, 403, 413, 415, 507),
    200: {"model": IngestResultModel, "description": "the same bytes were already archived"},
    422: {"model": IngestResultModel, "content": problems.PROBLEM_CONTENT,
          "description": "the file could not be ingested (its result, `status` failed, as JSON), "
          "or the request is invalid (a problem)"},
}


def ingest_response(result: IngestResult) -> JSONResponse:
    """The result as JSON; a full disk is the server's trouble, not the file's: 507 as a problem."""
    if result.code == "disk_full":
        raise Problem(507, "Insufficient Storage", f"{result.error} (recorded in the custody log)")
    return JSONResponse(status_code=STATUS_CODES[result.status], content=result.as_json())


@router.post("", status_code=201, response_model=IngestResultModel, responses=INGEST_RESPONSES)
def upload(
    archive: ArchiveDep,
    by: Writer,
    _body: MultipartBody,
    file: Annotated[UploadFile, File()],
    kind: Annotated[Kind | Literal[""], Form(description="empty: told from the text")] = "",
    title: Annotated[str | None, Form(max_length=500)] = None,
    source: Annotated[str, Form(max_length=2000)] = "",
    ingested_by: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
    access: Annotated[AccessLevel, Form()] = AccessLevel.PUBLIC,
    collection: Annotated[str, Form(max_length=200)] = "",
    court: Annotated[str, Form(max_length=500)] = "",
    case_number: Annotated[str, Form(max_length=500)] = "",
    decision_date: Annotated[str, Form(description="YYYY-MM-DD")] = "",
    articles: Annotated[str, Form(max_length=500, description="comma-separated")] = "",
    publisher: Annotated[str, Form(max_length=500)] = "",
    published_date: Annotated[str, Form(description="YYYY-MM-DD")] = "",
) -> JSONResponse:
    """Archives a file (201), or finds the same bytes already archived (200); a container's members too."""
    given = {"court": court, "case_number": case_number, "decision_date": decision_date,
             "articles": articles, "publisher": publisher, "published_date": published_date}
    ingest = IngestRequest(
        kind=kind or None,
        title=title or None,
        provenance=Provenance(source, ingested_by, note),
        metadata=given_metadata(given),
        access=access,
        collection=given_collection(collection),
    )
    result = archive.ingest_upload(file.file, file.filename or "upload", ingest, by=by)
    return ingest_response(result)


class DocumentPatch(BaseModel):
    """The fields to change; those left out stay as they are. A metadata value of null removes it."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, max_length=500)
    kind: Kind | None = None
    language: str | None = None
    source: str | None = Field(default=None, max_length=2000)
    ingested_by: str | None = Field(default=None, max_length=200)
    note: str | None = Field(default=None, max_length=5000)
    metadata: dict[str, str | list[str] | None] | None = None
    access: AccessLevel | None = None
    collection: str | None = Field(default=None, max_length=200, description='"" for none')
    withdraw: str | None = Field(default=None, max_length=500, description="the reason")
    restore: bool = False


@router.patch(
    "/{document_id}",
    response_model=DocumentRecord,
    response_model_exclude_unset=True,
    responses=problems.responses(400, 401, 403, 404, 415, s422="a malformed value or an unknown field"),
)
def edit(document_id: str, patch: DocumentPatch, archive: ArchiveDep, by: Writer, _body: JsonBody) -> dict:
    """Corrects a document's record; each change is a custody entry with the old and new values."""
    changes = DocumentChanges(**patch.model_dump(exclude_unset=True))
    edited = archive.edit(document_id, changes, by=by)
    if edited is None:
        raise _not_found(document_id)
    return document_json(edited)


def _not_found(document_id: str) -> Problem:
    return Problem(404, "Not Found", f"No document {document_id!r} in this archive.")


class PurgeRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


@router.post(
    "/{document_id}/purge",
    response_model=DocumentRecord,
    response_model_exclude_unset=True,
    responses=problems.responses(400, 401, 403, 404, 415, s403="admins only"),
)
def purge(document_id: str, body: PurgeRequest, archive: ArchiveDep, by: Admin, _body: JsonBody) -> dict:
    """Deletes the original for good; the record stays withdrawn and the custody log keeps its hash."""
    purged = archive.purge(document_id, body.reason, by=by)
    if purged is None:
        raise _not_found(document_id)
    return document_json(purged)


@router.get(
    "/{document_id}",
    response_model=DocumentWithFamily,
    response_model_exclude_unset=True,
    responses=problems.responses(401, 404),
)
def read(document_id: str, archive: ArchiveDep, viewer: Reader) -> dict:
    """The document's record, its extracted text, and the containers and members it has."""
    document = archive.document(document_id, viewer)
    if document is None:
        raise _not_found(document_id)
    return {**document_json(document), "family": archive.family(document, viewer).as_json()}


@router.get(
    "/{document_id}/original",
    response_class=StreamingResponse,
    responses={200: {"content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
                     "description": "the original, as an attachment, in its own media type",
                     "headers": {"X-Content-SHA256": {"schema": {"type": "string"}},
                                 "Repr-Digest": {"schema": {"type": "string"}}}},
               **problems.responses(401, 404, 410)},
)
def original(document_id: str, archive: ArchiveDep, viewer: Reader) -> StreamingResponse:
    """The exact bytes that were archived, checked against their SHA-256 before they are sent."""
    try:
        found = archive.open_original(document_id, viewer)
    except OriginalUnavailable as error:
        status = 410 if error.state == "purged" else 500
        raise Problem(status, problems.phrase(status), str(error)) from error
    if found is None:
        raise _not_found(document_id)
    document, chunks = found
    digest = base64.b64encode(bytes.fromhex(document.sha256)).decode()
    headers = {
        "X-Content-SHA256": document.sha256,
        "Repr-Digest": f"sha-256=:{digest}:",
        "Content-Length": str(document.size),
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(document.original_name)}",
    }
    return StreamingResponse(chunks, media_type=document.media_type, headers=headers)
