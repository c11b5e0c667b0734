"""Errors as RFC 9457 problem details (`application/problem+json`), the form every new route answers."""

from __future__ import annotations

from fastapi.responses import JSONResponse

MEDIA_TYPE = "application/problem+json"


class Problem(Exception):
    """Raised by a route; `install` turns it into a problem+json response."""

    def __init__(self, status: int, title: str, detail: str, type_: str = "about:blank"):
        super().__init__(detail)
        self.status, self.title, self.detail, self.type = status, title, detail, type_


def problem_response(problem: Problem) -> JSONResponse:
    return JSONResponse(
        status_code=problem.status,
        media_type=MEDIA_TYPE,
        content={"type": problem.type, "title": problem.title, "status": problem.status,
                 "detail": problem.detail},
    )
