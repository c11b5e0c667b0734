"""The page of one person, place or organisation, `/e/{id}`, and the archivist's merge, split and
confirm forms on it (the page face of POST /api/entities/{id}/decisions)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from archive.service import InvalidChange, Principal
from search_api.auth import Reader, Writer
from search_api.deps import ArchiveDep
from web.render import render

router = APIRouter(include_in_schema=False)


def _page(request: Request, archive: ArchiveDep, entity_id: str, viewer: Principal,
          problem: str | None = None, status: int = 200) -> HTMLResponse:
    view = archive.entity(entity_id, viewer)
    if view is None:
        return render(request, "error.html", {"status": 404, "detail": None, "missing_id": entity_id}, 404)
    spellings: dict[str, list[str]] = {}  # mention key → its surfaces: what a split takes off
    for languages in view.spellings.values():
        for rows in languages.values():
            for row in rows:
                spellings.setdefault(row["key"], []).append(row["surface"])
    return render(request, "entity.html", {
        "entity": view, "spelling_keys": spellings, "can_decide": viewer.can_write, "problem": problem,
        "permalink_url": str(request.url_for("entity_page", entity_id=view.id)),
    }, status)


@router.get("/e/{entity_id}", response_class=HTMLResponse, name="entity_page")
def entity_page(entity_id: str, request: Request, archive: ArchiveDep, viewer: Reader) -> Response:
    return _page(request, archive, entity_id, viewer)


@router.post("/e/{entity_id}/decide", response_class=HTMLResponse)
async def decide(entity_id: str, request: Request, archive: ArchiveDep, by: Writer) -> Response:
    form = await request.form()
    action, other, spelling = (str(form.get(name, "")).strip() for name in ("action", "other", "spelling"))
    other = other.rstrip("/").rsplit("/", 1)[-1]  # an id, or the link to the other entity's page
    try:
        survivor = archive.decide_entity(entity_id, action, by, other=other, spelling=spelling)
    except InvalidChange as error:
        return _page(request, archive, entity_id, by, str(error), 422)
    if survivor is None:
        return render(request, "error.html", {"status": 404, "detail": None, "missing_id": entity_id}, 404)
    return RedirectResponse(f"/e/{survivor}", status_code=303)
