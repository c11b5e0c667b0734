"""The web pages: search, permalinks and adding evidence, served next to the JSON API."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import RedirectResponse, Response

from web import (
    document_page,
    edit_page,
    entity_page,
    failures_page,
    login_page,
    search_page,
    upload_page,
)
from web.render import is_htmx, render, say

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    """Adds the pages, their static files and HTML error pages (the API keeps its JSON errors)."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    pages = (search_page, document_page, edit_page, entity_page, upload_page, login_page, failures_page)
    for module in pages:
        app.include_router(module.router)

    @app.exception_handler(HTTPException)
    async def error_page(request: Request, error: HTTPException) -> Response:
        if request.url.path.startswith("/api/") or request.url.path.startswith("/static/"):
            return await http_exception_handler(request, error)
        if error.status_code == 401 and request.method in ("GET", "HEAD") and not is_htmx(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
        detail = {401: "error.401", 403: "error.403"}.get(error.status_code)
        detail = say(request, detail) if detail else (
            error.detail if error.status_code != 404 else None)
        page = render(request, "error.html", {"status": error.status_code, "detail": detail,
                                              "missing_id": None}, error.status_code)
        page.headers.update(error.headers or {})
        return page
