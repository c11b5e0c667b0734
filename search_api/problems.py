"""Errors as RFC 9457 problem details (`application/problem+json`): the one shape of every error.

Routes raise `Problem` (or FastAPI's `HTTPException`); `install` answers those, request validation
errors, routing errors (404, 405) and anything unexpected (500) in this shape. `responses` documents
them per route in the OpenAPI schema.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger(__name__)


class Problem(Exception):
    """Raised by a route; `install` turns it into a problem+json response."""

    def __init__(self, status: int, title: str, detail: str, type_: str = "about:blank",
                 headers: Mapping[str, str] | None = None, **extensions: Any):
        super().__init__(detail)
        self.status, self.title, self.detail, self.type = status, title, detail, type_
        self.headers = dict(headers or {})
        self.extensions = extensions


class ProblemDetails(BaseModel):
    """RFC 9457 problem details; some problems add members (`errors` of a validation problem)."""

    model_config = ConfigDict(extra="allow")

    type: str = Field(description='a URI naming the kind of problem; "about:blank" when the status says it')
    title: str = Field(description="a short summary of the kind of problem")
    status: int = Field(description="the HTTP status code")
    detail: str = Field(description="what went wrong with this request, for people")
    errors: list[dict[str, Any]] | None = Field(
        default=None, description="for a validation problem: each invalid input (loc, msg, type)")


def problem_response(problem: Problem) -> JSONResponse:
    content = {"type": problem.type, "title": problem.title, "status": problem.status,
               "detail": problem.detail, **problem.extensions}
    return JSONResponse(status_code=problem.status, media_type=MEDIA_TYPE, content=content,
                        headers=problem.headers or None)


def phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


async def http_problem(_request: Request, error: HTTPException) -> JSONResponse:
    """FastAPI's and Starlette's own errors (401, 403, 404, 405, 413 …) as problems."""
    detail = error.detail if isinstance(error.detail, str) else phrase(error.status_code)
    return problem_response(Problem(error.status_code, phrase(error.status_code), detail,
                                    headers=error.headers))


async def validation_problem(_request: Request, error: RequestValidationError) -> JSONResponse:
    errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))}
              for e in error.errors()]
    where = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors[:3])
    return problem_response(Problem(422, "Invalid request", f"The request is not valid: {where}.",
                                    errors=errors))


async def unexpected_problem(request: Request, error: Exception) -> JSONResponse:
    log.error("unexpected error on %s %s", request.method, request.url.path, exc_info=error)
    return problem_response(Problem(500, "Internal Server Error",
                                    "The archive met an unexpected error; nothing was changed by it "
                                    "that the custody log does not record. The log has the details."))


def install(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def problem(_request: Request, error: Problem) -> JSONResponse:
        return problem_response(error)

    app.add_exception_handler(HTTPException, http_problem)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, validation_problem)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, unexpected_problem)


DESCRIPTIONS = {
    400: "the body could not be read (malformed JSON or form data)",
    401: "no credentials, or an unknown or revoked API token",
    403: "the signed-in user's role may not do this",
    404: "no such document, or one the caller may not see (they answer alike)",
    410: "the original was purged by an admin",
    413: "the upload is over the size limit",
    415: "the body is not of the media type the route takes",
    422: "an invalid parameter or body (`errors` lists each)",
    500: "an unexpected error, or an original missing or altered in the blob store",
    503: "the search index is unavailable; documents are still kept",
    507: "the archive's disk is full: nothing of the file was kept",
}
PROBLEM_CONTENT = {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}


def responses(*statuses: int, **described: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for the problems a route may answer; `described` overrides a description
    (keyword `s404="…"`). Every route may also answer 422 and 500."""
    overrides = {int(key.removeprefix("s")): text for key, text in described.items()}
    documented: dict[int | str, dict[str, Any]] = {}
    for status in sorted({*statuses, 422, 500}):
        documented[status] = {"description": overrides.get(status, DESCRIPTIONS[status]),
                              "content": PROBLEM_CONTENT}
    return documented


def add_schema(openapi: dict[str, Any]) -> dict[str, Any]:
    """Puts `ProblemDetails` among the schema's components, where `responses` refers to it."""
    schemas = openapi.setdefault("components", {}).setdefault("schemas", {})
    schemas["ProblemDetails"] = ProblemDetails.model_json_schema(ref_template="#/components/schemas/{model}")
    return openapi
