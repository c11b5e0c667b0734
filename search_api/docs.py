"""The API reference pages, `/docs` (Swagger UI) and `/redoc` (Redoc), from local files only.

The viewers' scripts and styles come from the `fastapi-offline` package and are served under
`/api-docs/`; Swagger UI is started by a script file of ours, so `/docs` runs under the same strict
Content-Security-Policy as every page (no inline script). Redoc writes its styles into `<style>`
elements as it renders, so `/redoc` alone also allows inline styles (see `search_api.security`).
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

VENDOR = Path(fastapi_offline.__file__).parent / "static"
OURS = Path(__file__).parent / "docs_assets"
PREFIX = "/api-docs"

SWAGGER_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{title}} – API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/favicon.ico">
<link rel="stylesheet" href="{PREFIX}/vendor/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="{PREFIX}/vendor/swagger-ui-bundle.js"></script>
<script src="{PREFIX}/swagger-init.js"></script>
</body></html>"""

REDOC_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{title}} – API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="/favicon.ico"></head>
<body><redoc spec-url="/openapi.json"></redoc>
<script src="{PREFIX}/vendor/redoc.standalone.js"></script>
</body></html>"""


def install(app: FastAPI) -> None:
    """Adds `/docs`, `/redoc` and their assets; the app is made with `docs_url=None, redoc_url=None`."""
    app.mount(f"{PREFIX}/vendor", StaticFiles(directory=VENDOR), name="api-docs-vendor")
    app.mount(PREFIX, StaticFiles(directory=OURS), name="api-docs")

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return HTMLResponse(SWAGGER_PAGE.replace("{title}", app.title))

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return HTMLResponse(REDOC_PAGE.replace("{title}", app.title))
