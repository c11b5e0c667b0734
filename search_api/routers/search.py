"""GET /api/search: the search contract of DESIGN.md."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from archive.service import Archive
from search_api.deps import archive

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/search")
def search(
    archive: Annotated[Archive, Depends(archive)],
    q: Annotated[str, Query(max_length=2000, description='words, "phrases", -exclusions, OR')] = "",
    limit: Annotated[int, Query(ge=0, le=200)] = 10,
    offset: Annotated[int, Query(ge=0, le=10_000)] = 0,
    lang: Annotated[list[str] | None, Query(description="en, ru, kk or mixed; repeatable")] = None,
    kind: Annotated[list[str] | None, Query(description="report, ruling or media; repeatable")] = None,
) -> dict:
    return archive.search(q, limit=limit, offset=offset, languages=lang or (), kinds=kind or ()).as_json()
