"""The FastAPI application: the JSON API under /api and the web pages, over one `Archive`."""

from __future__ import annotations

import threading
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from archive.index import BackendUnavailable
from archive.service import Archive
from archive.settings import Settings, load_settings
from search_api.catch_up import PendingCatchUp
from search_api.limits import BodySizeLimit

UPLOAD_OVERHEAD = 1024 * 1024  # room for the multipart envelope and form fields around the file


class ArchiveHolder:
    """The application's archive, and a lock that keeps writes (ingest, capture) one at a time."""

    def __init__(self, settings: Settings):
        self.archive = Archive(settings)
        self.write_lock = threading.Lock()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    holder = ArchiveHolder(settings)

    catch_up = PendingCatchUp(holder.archive, holder.write_lock, settings.index_retry_seconds)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        catch_up.start()
        yield
        catch_up.stop()
        holder.archive.close()

    app = FastAPI(
        title="Evidence archive",
        version="0.1.0",
        lifespan=lifespan,
        description="Search and keep evidence in English, Russian and Kazakh.",
    )
    app.state.holder = holder

    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_upload_bytes + UPLOAD_OVERHEAD,
        detail=f"The upload is over the {settings.max_upload_bytes // 1024**2} MB limit.",
    )

    @app.exception_handler(BackendUnavailable)
    async def index_unavailable(_request: Request, error: BackendUnavailable) -> JSONResponse:
        return JSONResponse(
            status_code=503,
            content={
                "detail": f"The search index is unavailable: {error}. "
                "Documents are still kept; try again later."
            },
        )

    from search_api.routers import documents, links, search
    from web import pages

    app.include_router(search.router)
    app.include_router(documents.router)
    app.include_router(links.router)
    from search_api.routers import evidence

    evidence.install(app)
    pages.install(app)
    return app
