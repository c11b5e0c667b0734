"""The one way the API and the pages reach the archive: `Archive`, the service, and nothing below it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from archive.service import Archive


def get_archive(request: Request) -> Archive:
    return request.app.state.archive


ArchiveDep = Annotated[Archive, Depends(get_archive)]
