"""Request-scoped access to the application's archive."""

from __future__ import annotations

from fastapi import Request

from archive.service import Archive
from search_api.app import ArchiveHolder


def holder(request: Request) -> ArchiveHolder:
    return request.app.state.holder


def archive(request: Request) -> Archive:
    return holder(request).archive
