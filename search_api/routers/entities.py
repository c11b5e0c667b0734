"""Entities: the people, places and organisations the documents mention, as the caller may see them."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from archive.service import entities_csv, entities_ftm
from search_api import problems
from search_api.auth import Reader, Writer
from search_api.deps import ArchiveDep
from search_api.models import EntityList

router = APIRouter(prefix="/api/entities", tags=["entities"])


@router.get("", response_model=EntityList, responses=problems.responses(401))
def find(
    archive: ArchiveDep, viewer: Reader, q: Annotated[str, Query(max_length=500)] = "",
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    prefix: Annotated[bool, Query(description="the last word may be unfinished (typing)")] = False,
) -> dict:
    """Entities whose spellings match every name of ``q`` by name key (any script, any case form), with
    the documents the caller may see, most first: what the search box suggests."""
    return {"query": q, "entities": archive.entities(q, viewer, limit, still_typing=prefix)}


@router.get(
    "/export",
    responses={200: {"content": {"text/csv": {}, "application/x-ndjson": {}}}, **problems.responses(401)},
)
def export(archive: ArchiveDep, viewer: Reader, format: Literal["csv", "ftm"] = "csv") -> Response:
    """Every entity the caller may see: CSV, or FollowTheMoney entities as JSON lines (`format=ftm`)."""
    views = archive.entity_export(viewer)
    if format == "ftm":
        return Response(entities_ftm(views), media_type="application/x-ndjson",
                        headers={"Content-Disposition": "attachment; filename=entities.ftm.json"})
    return Response(entities_csv(views), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=entities.csv"})


@router.get("/{entity_id}", responses=problems.responses(401, 404))
def read(entity_id: str, archive: ArchiveDep, viewer: Reader) -> dict:
    """Every spelling seen (by script and language, with counts), the documents by date, and the names
    met most often with it."""
    view = archive.entity(entity_id, viewer)
    if view is None:
        raise _not_found(entity_id)
    return view.as_json()


class DecisionBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Literal["merge", "split", "confirm"]
    other: str = Field(default="", max_length=32, description="merge: the entity merged into this one")
    spelling: str = Field(default="", max_length=300, description="split: the mention key split off")


@router.post("/{entity_id}/decisions", responses=problems.responses(400, 401, 403, 404))
def decide(entity_id: str, body: DecisionBody, archive: ArchiveDep, by: Writer) -> dict:
    """An archivist merges, splits or confirms; the decision is kept, logged and reapplied on reindex."""
    survivor = archive.decide_entity(entity_id, body.action, by, other=body.other, spelling=body.spelling)
    if survivor is None:
        raise _not_found(entity_id)
    return {"id": survivor}


def _not_found(entity_id: str) -> HTTPException:
    return HTTPException(404, f"No entity {entity_id!r} in this archive.")
