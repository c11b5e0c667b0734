"""The web pages: search, permalinks and adding evidence, served next to the JSON API."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import Response

from web import document_page, failures_page, search_page, upload_page
from web.render import render

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI) -> None:
    """Adds the pages, their static files and HTML error pages (the API keeps its JSON errors)."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (search_page, document_page, upload_page, failures_page):
        app.include_router(module.router)

    @app.exception_handler(HTTPException)
    async def error_page(request: Request, error: HTTPException) -> Response:
        if request.url.path.startswith("/api/") or request.url.path.startswith("/static/"):
            return await http_exception_handler(request, error)
        detail = error.detail if error.status_code != 404 else None
        page = render(request, "error.html", {"status": error.status_code, "detail": detail,
                                              "missing_id": None}, error.status_code)
        page.headers.update(error.headers or {})
        return page
