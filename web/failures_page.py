"""The failures page: every failed ingest and capture with its reason; a failed capture can be retried."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import HTMLResponse

from archive.service import IngestRequest, NotRetryable
from search_api.auth import Writer
from search_api.deps import ArchiveDep
from web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/failures", response_class=HTMLResponse)
def failures_page(request: Request, archive: ArchiveDep, by: Writer) -> HTMLResponse:
    context = {"failures": archive.failures(viewer=by), "result": None, "problem": None}
    return render(request, "failures.html", context)


@router.post("/failures/{seq}/retry", response_class=HTMLResponse)
def retry(
    seq: Annotated[int, Path(ge=1, le=2**62)], request: Request, archive: ArchiveDep, by: Writer
) -> HTMLResponse:
    try:
        result = archive.retry(seq, IngestRequest(), by=by)
    except NotRetryable:
        return render(request, "error.html", {"status": 404, "detail": None, "missing_id": str(seq)}, 404)
    status = 200 if result.status != "failed" else 422
    context = {"failures": archive.failures(viewer=by), "result": result, "problem": None}
    return render(request, "failures.html", context, status, switch_path="/failures")
