"""The FastAPI application of the JSON API under /api, over one `Archive` (the pages add themselves
to it in `web.app`)."""

from __future__ import annotations

from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from archive.search.request import InvalidSearch
from archive.service import Archive, BackendUnavailable, InvalidChange, NotAllowed
from archive.settings import Settings, load_settings
from search_api import docs, problems
from search_api.head import HeadAsGet
from search_api.limits import BodySizeLimit
from search_api.problems import Problem, problem_response
from search_api.routers import batch, captures, documents, entities, evidence, health, links, search
from search_api.security import SecurityHeaders

UPLOAD_OVERHEAD = 1024 * 1024  # room for the multipart envelope and form fields around the file


def create_api(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    archive = Archive(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        archive.start_background()
        yield
        archive.close()

    app = FastAPI(
        title="Evidence archive",
        version="0.1.0",
        lifespan=lifespan,
        description="Search and keep evidence in English, Russian and Kazakh. Every error is an RFC 9457 "
        "problem (`application/problem+json`); every GET also answers HEAD, with the same headers.",
        docs_url=None,
        redoc_url=None,
    )
    app.state.archive = archive

    app.add_middleware(SecurityHeaders)
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_upload_bytes + UPLOAD_OVERHEAD,
        detail=f"The upload is over the {settings.max_upload_bytes // 1024**2} MB limit.",
    )
    app.add_middleware(HeadAsGet)  # the outermost: a HEAD goes through everything a GET does

    problems.install(app)

    @app.exception_handler(BackendUnavailable)
    async def index_unavailable(_request: Request, error: BackendUnavailable) -> JSONResponse:
        return problem_response(Problem(
            503, "Service Unavailable",
            f"The search index is unavailable: {error}. Documents are still kept; try again later."))

    @app.exception_handler(InvalidSearch)
    async def invalid_search(_request: Request, error: InvalidSearch) -> JSONResponse:
        return problem_response(Problem(422, "Invalid search", str(error)))

    @app.exception_handler(NotAllowed)
    async def not_allowed(_request: Request, error: NotAllowed) -> JSONResponse:
        return problem_response(Problem(403, "Forbidden", str(error)))

    @app.exception_handler(InvalidChange)
    async def invalid_change(_request: Request, error: InvalidChange) -> JSONResponse:
        return problem_response(Problem(422, "Invalid value", str(error)))

    for module in (search, batch, documents, links, health, evidence, captures, entities):
        app.include_router(module.router)
    docs.install(app)
    schema = app.openapi
    app.openapi = lambda: problems.add_schema(schema())  # type: ignore[method-assign]
    return app
