"""415 for a body of the wrong media type: a route that takes JSON or a multipart form says so, instead
of answering with validation errors about fields it could not read."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from search_api.problems import Problem


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _refuse(given: str, wanted: str) -> Problem:
    return Problem(415, "Unsupported Media Type",
                   f"The body must be {wanted}, not {given or 'of no declared type'}.")


async def json_body(request: Request) -> None:
    """JSON (`application/json` or `…+json`), or no body at all where the body is optional."""
    given = _media_type(request)
    if given == "application/json" or (given.startswith("application/") and given.endswith("+json")):
        return
    if given or await request.body():
        raise _refuse(given, "application/json")


async def multipart_body(request: Request) -> None:
    given = _media_type(request)
    if given != "multipart/form-data":
        raise _refuse(given, "multipart/form-data")


JsonBody = Annotated[None, Depends(json_body)]
MultipartBody = Annotated[None, Depends(multipart_body)]
