"""Signing in and out of the pages; scripts use API tokens instead (`archive token create`)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from archive.accounts import SESSION_LIFETIME, SignInRefused, TooManyAttempts
from search_api.auth import SESSION_COOKIE, Reader, same_origin
from search_api.deps import ArchiveDep
from web.render import render, say

router = APIRouter(include_in_schema=False)


def safe_next(target: str) -> str:
    """Only a path of this site: a sign-in link cannot send anyone elsewhere."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _form(request: Request, status: int = 200, problem: str | None = None, name: str = "",
          next_path: str = "/") -> HTMLResponse:
    context = {"problem": problem, "name": name, "next": safe_next(next_path)}
    return render(request, "login.html", context, status, switch_path="/login")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> HTMLResponse:
    return _form(request, next_path=request.query_params.get("next", "/"))


@router.post("/login")
def login(
    request: Request,
    archive: ArchiveDep,
    name: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    if not same_origin(request):
        return _form(request, 403, "The request came from another site.", name, next)
    address = request.client.host if request.client else "unknown"
    try:
        _principal, session_id = archive.accounts.sign_in(name, password, address)
    except TooManyAttempts as error:
        message = say(request, "Too many failed sign-ins: try again in %(seconds)s s.",
                      seconds=error.retry_after)
        page = _form(request, 429, message, name, next)
        page.headers["Retry-After"] = str(error.retry_after)
        return page
    except SignInRefused:
        return _form(request, 401, say(request, "The name or the password is wrong."), name, next)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, session_id, httponly=True, samesite="lax", secure=request.url.scheme == "https",
        max_age=int(SESSION_LIFETIME.total_seconds()),
    )
    return response


@router.post("/logout")
def logout(request: Request, archive: ArchiveDep, viewer: Reader) -> Response:
    """Needs the session's form token like every change: another site cannot sign anyone out."""
    session_id = request.cookies.get(SESSION_COOKIE)
    if session_id:
        archive.accounts.sign_out(session_id)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
