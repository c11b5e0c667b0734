"""The web pages: search, permalinks and adding evidence, served next to the JSON API."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, RedirectResponse, Response

from search_api.problems import http_problem, unexpected_problem
from web import (
    batch_page,
    document_page,
    edit_page,
    entity_page,
    failures_page,
    login_page,
    search_page,
    suggest_page,
    upload_page,
)
from web.i18n import N_
from web.render import is_htmx, render, say

STATIC = Path(__file__).parent / "static"
ICON = STATIC / "favicon.svg"


def install(app: FastAPI) -> None:
    """Adds the pages, their static files and HTML error pages (the API keeps its problem details)."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        """Browsers ask for it whatever the pages say; the pages name the same SVG with `<link rel=icon>`."""
        return FileResponse(ICON, media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"})
    pages = (search_page, suggest_page, batch_page, document_page, edit_page, entity_page, upload_page,
             login_page, failures_page)
    for module in pages:
        app.include_router(module.router)

    @app.exception_handler(HTTPException)
    async def error_page(request: Request, error: HTTPException) -> Response:
        if request.url.path.startswith("/api/") or request.url.path.startswith("/static/"):
            return await http_problem(request, error)
        if error.status_code == 401 and request.method in ("GET", "HEAD") and not is_htmx(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?{urlencode({'next': target})}", status_code=303)
        detail = {401: N_("Sign in to continue."),
                  403: N_("Your account may not do this.")}.get(error.status_code)
        detail = say(request, detail) if detail else (
            error.detail if error.status_code != 404 else None)
        page = render(request, "error.html", {"status": error.status_code, "detail": detail,
                                              "missing_id": None}, error.status_code)
        page.headers.update(error.headers or {})
        return page

    @app.exception_handler(Exception)
    async def unexpected_page(request: Request, error: Exception) -> Response:
        answer = await unexpected_problem(request, error)  # logs it
        if request.url.path.startswith("/api/"):
            return answer
        try:
            return render(request, "error.html", {"status": 500, "detail": None, "missing_id": None}, 500)
        except Exception:  # the page itself cannot be made: the problem says it in plain JSON
            return answer
