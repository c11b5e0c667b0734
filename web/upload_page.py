"""The page for adding evidence: upload a file or capture a media link, through the one service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import HTMLResponse

from archive.domain import Kind, Provenance
from archive.search.request import KINDS
from archive.service import IngestRequest, IngestResult
from search_api.auth import Writer
from search_api.deps import ArchiveDep
from search_api.routers.documents import STATUS_CODES
from web.i18n import N_
from web.render import is_htmx, render

router = APIRouter(include_in_schema=False)

UPLOAD_FIELDS = ("kind", "title", "source", "ingested_by", "note")
LINK_FIELDS = ("url", "title", "ingested_by", "note")


def _answer(request: Request, result: IngestResult | None, form: str, values: dict[str, str],
            problem: str | None = None) -> HTMLResponse:
    """The result box alone for htmx; otherwise the page again, with the result and the typed values."""
    status = 422 if problem else 200 if result is None else _status(result)
    context = {"result": result, "problem": problem, "form": form}
    if is_htmx(request):
        return render(request, "_ingest_result.html", context, status)
    return render(request, "upload.html", {**context, "kinds": KINDS, "values": values}, status,
                  switch_path="/upload")


def _status(result: IngestResult) -> int:
    return 507 if result.code == "disk_full" else STATUS_CODES[result.status]


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, by: Writer) -> HTMLResponse:
    return render(request, "upload.html", {"result": None, "problem": None, "form": None, "kinds": KINDS,
                                           "values": {}})


@router.post("/upload", response_class=HTMLResponse)
def upload(
    request: Request,
    archive: ArchiveDep,
    by: Writer,
    file: Annotated[UploadFile | None, File()] = None,
    kind: Annotated[str, Form()] = "",
    title: Annotated[str, Form(max_length=500)] = "",
    source: Annotated[str, Form(max_length=2000)] = "",
    ingested_by: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
) -> HTMLResponse:
    values = {"kind": kind, "title": title, "source": source, "ingested_by": ingested_by, "note": note}
    if file is None or not file.filename:
        return _answer(request, None, "file", values, problem=N_("Choose a file to upload."))
    if kind and kind not in KINDS:
        return _answer(request, None, "file", values,
                       problem=N_("Unknown kind: choose report, court ruling or media."))
    ingest = IngestRequest(kind=Kind(kind) if kind else None, title=title.strip() or None,
                           provenance=Provenance(source.strip(), ingested_by.strip(), note.strip()))
    result = archive.ingest_upload(file.file, file.filename, ingest, by=by)
    return _answer(request, result, "file", values)


@router.post("/upload/link", response_class=HTMLResponse)
def capture(
    request: Request,
    archive: ArchiveDep,
    by: Writer,
    url: Annotated[str, Form(max_length=4000)] = "",
    title: Annotated[str, Form(max_length=500)] = "",
    ingested_by: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
) -> HTMLResponse:
    values = {"url": url, "title": title, "ingested_by": ingested_by, "note": note}
    if not url.strip():
        return _answer(request, None, "link", values, problem=N_("Enter the link to capture."))
    ingest = IngestRequest(title=title.strip() or None,
                           provenance=Provenance("", ingested_by.strip(), note.strip()))
    result = archive.capture(url.strip(), ingest, by=by)
    return _answer(request, result, "link", values)
