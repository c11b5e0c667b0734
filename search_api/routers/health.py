"""Health checks for orchestrators and load balancers, as search services such as yente offer them."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from search_api import problems
from search_api.deps import ArchiveDep
from search_api.models import Health, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, responses=problems.responses())
def healthz() -> dict:
    """The process answers; says nothing of the parts behind it."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={**problems.responses(),
               503: {"model": Readiness, "description": "a part is unreachable; the body names it"}},
)
def readyz(archive: ArchiveDep) -> JSONResponse:
    """The store, the blob store and the index each answer; 503 names the one that does not."""
    parts = archive.readiness()
    ready = all(state == "ok" for state in parts.values())
    status = "ok" if ready else "unavailable"
    return JSONResponse(status_code=200 if ready else 503, content={"status": status, **parts})
