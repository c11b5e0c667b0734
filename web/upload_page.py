"""The page for adding evidence: upload files or capture a media link, through the one service.

Several files go in one form: the fields of the form (kind, title, provenance, and the ruling's or
the publication's metadata) apply to each of them. Without JavaScript the form posts them all at
once and the answer lists each file's result; `archive.js` posts them one at a time instead, with
each file's progress, and fields of its own.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import HTMLResponse

from archive.domain import Kind, Provenance
from archive.search.request import KINDS
from archive.service import IngestRequest, IngestResult, InvalidChange, given_metadata
from search_api.auth import Writer
from search_api.deps import ArchiveDep
from search_api.routers.documents import STATUS_CODES
from web.i18n import N_
from web.render import is_htmx, render

router = APIRouter(include_in_schema=False)

METADATA_FIELDS = ("court", "case_number", "decision_date", "articles", "publisher", "published_date")
UPLOAD_FIELDS = ("kind", "title", "source", "ingested_by", "note", *METADATA_FIELDS)
LINK_FIELDS = ("url", "title", "ingested_by", "note")
def _answer(request: Request, results: list[IngestResult], form: str, values: dict[str, str],
            problem: str | None = None) -> HTMLResponse:
    """The results alone for htmx and the page's script; otherwise the page again, with the results
    and the typed values."""
    context = {"results": results, "problem": problem, "form": form}
    status = _status(results, problem)
    if is_htmx(request):
        return render(request, "_ingest_results.html", context, status)
    return render(request, "upload.html", {**context, "kinds": KINDS, "values": values}, status,
                  switch_path="/upload")


def _status(results: list[IngestResult], problem: str | None) -> int:
    if problem:
        return 422
    if len(results) != 1:
        return 200  # each file says how it went
    result = results[0]
    return 507 if result.code == "disk_full" else STATUS_CODES[result.status]


@router.get("/upload", response_class=HTMLResponse)
def upload_page(request: Request, archive: ArchiveDep, by: Writer) -> HTMLResponse:
    return render(request, "upload.html", {"results": [], "problem": None, "form": None, "kinds": KINDS,
                                           "values": {}, "quota_left": archive.quota_left(by)})


@router.post("/upload", response_class=HTMLResponse)
def upload(
    request: Request,
    archive: ArchiveDep,
    by: Writer,
    # a browser sends an empty part, not a file, when none is chosen
    file: Annotated[list[UploadFile | str] | None, File(description="one or more files")] = None,
    kind: Annotated[str, Form()] = "",
    title: Annotated[str, Form(max_length=500)] = "",
    source: Annotated[str, Form(max_length=2000)] = "",
    ingested_by: Annotated[str, Form(max_length=200)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
    court: Annotated[str, Form(max_length=500)] = "",
    case_number: Annotated[str, Form(max_length=500)] = "",
    decision_date: Annotated[str, Form(max_length=100)] = "",
    articles: Annotated[str, Form(max_length=500)] = "",
    publisher: Annotated[str, Form(max_length=500)] = "",
    published_date: Annotated[str, Form(max_length=100)] = "",
) -> HTMLResponse:
    given = {"court": court, "case_number": case_number, "decision_date": decision_date,
             "articles": articles, "publisher": publisher, "published_date": published_date}
    values = {"kind": kind, "title": title, "source": source, "ingested_by": ingested_by, "note": note,
              **given}
    files = [f for f in file or [] if not isinstance(f, str) and f.filename]
    if not files:
        return _answer(request, [], "file", values, problem=N_("Choose a file to upload."))
    if kind and kind not in KINDS:
        return _answer(request, [], "file", values,
                       problem=N_("Unknown kind: choose report, court ruling or media."))
    try:
        metadata = given_metadata({name: value.strip() for name, value in given.items()})
    except InvalidChange:
        return _answer(request, [], "file", values, problem=N_(
            "A field is malformed: write dates as YYYY-MM-DD and separate articles by commas."))
    ingest = IngestRequest(kind=Kind(kind) if kind else None, title=title.strip() or None,
                           provenance=Provenance(source.strip(), ingested_by.strip(), note.strip()),
                           metadata=metadata)
    results = [archive.ingest_upload(f.file, f.filename or "upload", ingest, by=by) for f in files]
    return _answer(request, results, "file", values)


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
        return _answer(request, [], "link", values, problem=N_("Enter the link to capture."))
    ingest = IngestRequest(title=title.strip() or None,
                           provenance=Provenance("", ingested_by.strip(), note.strip()))
    result = archive.capture(url.strip(), ingest, by=by)
    return _answer(request, [result], "link", values)
