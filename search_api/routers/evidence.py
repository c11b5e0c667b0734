"""A document's evidence package (a zipped BagIt bag) and its citation (text and CSL-JSON)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Literal

from fastapi import APIRouter
from fastapi.responses import FileResponse, JSONResponse
from starlette.background import BackgroundTask

from archive.domain import Document
from archive.service import Archive, OriginalUnavailable, Principal
from search_api import problems
from search_api.auth import Reader
from search_api.deps import ArchiveDep
from search_api.models import Citation
from search_api.problems import Problem

router = APIRouter(prefix="/api/documents", tags=["evidence"])


def found(archive: Archive, document_id: str, viewer: Principal) -> Document:
    document = archive.document(document_id, viewer)
    if document is None:
        raise Problem(404, "Not Found", f"No document {document_id!r} in this archive.")
    return document


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


CSL_MEDIA_TYPE = "application/vnd.citationstyles.csl+json"


@router.get(
    "/{document_id}/citation",
    response_model=Citation,
    responses={200: {"content": {CSL_MEDIA_TYPE: {"schema": {"type": "array", "items": {"type": "object"}}}}},
               **problems.responses(401, 404)},
)
def citation(
    document_id: str, archive: ArchiveDep, viewer: Reader, format: Literal["json", "csl"] = "json"
) -> JSONResponse:
    """`{"text": ..., "csl": [...]}`; with `format=csl` the CSL-JSON file reference managers import."""
    cited = archive.citation(found(archive, document_id, viewer))
    if format == "csl":
        return JSONResponse([cited.csl()], media_type=CSL_MEDIA_TYPE, headers={
            "Content-Disposition": f'attachment; filename="{document_id}.csl.json"'})
    return JSONResponse(cited.as_json())


@router.get(
    "/{document_id}/evidence",
    response_class=FileResponse,
    responses={200: {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
                     "description": "the BagIt bag, zipped"},
               **problems.responses(401, 404)},
)
def evidence(document_id: str, archive: ArchiveDep, viewer: Reader) -> FileResponse:
    """The original, its text, metadata, custody entries and timestamp tokens as a BagIt bag."""
    document = found(archive, document_id, viewer)
    try:
        package = archive.export(document)
    except OriginalUnavailable as error:
        raise Problem(
            500, "Original unavailable", f"{error} No evidence package is made of it meanwhile."
        ) from None
    return FileResponse(
        package, media_type="application/zip", filename=package.name,
        background=BackgroundTask(_remove, package),
    )
