"""`/suggest?q=`: the people, places and organisations the search box suggests while a name is typed
(an htmx fragment under the box). It looks entities up by name key in the store; it runs no search."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from search_api.auth import Reader
from search_api.deps import ArchiveDep
from web.render import render

router = APIRouter(include_in_schema=False)

SUGGESTIONS = 6
MIN_CHARS = 2  # one letter would suggest half the archive


@router.get("/suggest", response_class=HTMLResponse)
def suggest(request: Request, archive: ArchiveDep, viewer: Reader, q: str = "") -> HTMLResponse:
    """Any query is answered (a long one is cut by the service), so that the box never shows an error."""
    typed = q if len(q.strip()) >= MIN_CHARS else ""
    entities = archive.entities(typed, viewer, SUGGESTIONS, still_typing=True) if typed else []
    return render(request, "_suggestions.html", {"entities": entities})
