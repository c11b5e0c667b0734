"""The batch name search page `/batch`: paste names or upload a list, get a table, download it as CSV.

Without JavaScript the form posts the whole list and the answer is the table. With htmx the answer
is the table's frame and a progress bar, and the rows come in chunks (`/batch/rows`), one request
after the other, so that a long list shows how far it has got.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import HTMLResponse, Response

from archive.search.batch import MAX_NAMES, InvalidBatch, read_names
from archive.service import Archive, BackendUnavailable, BatchRequest, Principal
from search_api.auth import Reader
from search_api.deps import ArchiveDep
from search_api.routers.batch import csv_response
from web.render import is_htmx, render, say_label

router = APIRouter(include_in_schema=False)

CHUNK = 25  # names a chunk request searches
NamesField = Annotated[str, Form(max_length=MAX_NAMES * 256)]


def _form(request: Request, names: str = "", exact: bool = False, problem: str | None = None,
          status: int = 200, **context: object) -> HTMLResponse:
    page = {"names": names, "exact": exact, "problem": problem, "request_names": None, "rows": None,
            "chunk": CHUNK, "max_names": MAX_NAMES, "unavailable": False, **context}
    return render(request, "batch.html", page, status, switch_path="/batch")


def _problem(request: Request, error: InvalidBatch) -> str:
    return say_label(request, error.code, **error.values)


@router.get("/batch", response_class=HTMLResponse)
def batch_page(request: Request, viewer: Reader) -> HTMLResponse:
    return _form(request)


@router.post("/batch", response_class=HTMLResponse)
def batch(
    request: Request,
    archive: ArchiveDep,
    viewer: Reader,
    names: NamesField = "",
    file: Annotated[UploadFile | None, File()] = None,
    exact: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    listed = names.splitlines()
    try:
        if file is not None and file.filename:
            listed += read_names(file.file.read(), file.filename)
        asked = BatchRequest.create(listed, exact=exact)
    except InvalidBatch as error:
        status = 422
        if is_htmx(request):
            return render(request, "_batch_results.html", {"problem": _problem(request, error),
                                                           "request_names": None, "rows": None}, status)
        return _form(request, names, exact, _problem(request, error), status)
    typed = "\n".join(asked.names)
    if is_htmx(request):  # the frame; the rows follow in chunks
        return render(request, "_batch_results.html", {"problem": None, "request_names": asked.names,
                                                       "rows": None, "typed": typed, "exact": exact})
    rows, unavailable = _rows(archive, asked, viewer, 0, None)
    return _form(request, typed, exact, None, 503 if unavailable else 200, request_names=asked.names,
                 rows=rows, typed=typed, unavailable=unavailable)


def _rows(archive: Archive, asked: BatchRequest, viewer: Principal, start: int, count: int | None):
    try:
        return archive.search_batch(asked, viewer, start, count), False
    except BackendUnavailable:
        return [], True


@router.post("/batch/rows", response_class=HTMLResponse)
def batch_rows(
    request: Request,
    archive: ArchiveDep,
    viewer: Reader,
    names: NamesField = "",
    exact: Annotated[bool, Form()] = False,
    start: Annotated[int, Form(ge=0, le=MAX_NAMES)] = 0,
) -> HTMLResponse:
    """One chunk of rows, the progress so far, and the request for the next chunk."""
    try:
        asked = BatchRequest.create(names.splitlines(), exact=exact)
    except InvalidBatch as error:
        return render(request, "_batch_results.html", {"problem": _problem(request, error),
                                                       "request_names": None, "rows": None}, 422)
    rows, unavailable = _rows(archive, asked, viewer, start, CHUNK)
    done = min(start + CHUNK, len(asked.names))
    return render(request, "_batch_chunk.html", {
        "rows": rows, "done": done, "total": len(asked.names), "unavailable": unavailable,
        "next_start": done if done < len(asked.names) and not unavailable else None,
        "typed": names, "exact": exact,
    }, 503 if unavailable else 200)


@router.post("/batch/csv")
def batch_csv(
    archive: ArchiveDep,
    viewer: Reader,
    names: NamesField = "",
    exact: Annotated[bool, Form()] = False,
) -> Response:
    """The table as CSV: the list searched again, as `POST /api/search/batch` answers with text/csv."""
    try:
        asked = BatchRequest.create(names.splitlines(), exact=exact)
    except InvalidBatch as error:
        return Response(str(error), status_code=422, media_type="text/plain; charset=utf-8")
    return csv_response(archive, archive.search_batch(asked, viewer), asked)
