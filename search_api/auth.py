"""Who is asking, for the API and the pages alike: an API token, a session cookie, or nobody.

A bearer token (`Authorization: Bearer arch_…`) authenticates scripts; a browser signs in and carries a
session cookie (HttpOnly, SameSite=Lax, Secure behind TLS). A request that changes something with a
cookie must also carry the session's form token (a hidden field or the `X-CSRF-Token` header, which
htmx sends) and come from the archive's own origin: another site's form cannot act for a user.
"""

from __future__ import annotations

import hmac
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Depends, HTTPException, Request

from archive.accounts import Principal
from search_api.deps import get_archive

SESSION_COOKIE = "archive_session"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def unauthorized(detail: str = "Sign in or send an API token.") -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": 'Bearer realm="archive"'})


def resolve(request: Request) -> Principal:
    """The request's principal, worked out once per request; an invalid token is refused outright."""
    known: Principal | None = getattr(request.state, "principal", None)
    if known is not None:
        return known
    accounts = get_archive(request).accounts
    principal: Principal | None = None
    request.state.csrf_token = None
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        principal = accounts.by_token(credentials.strip())
        if principal is None:
            raise unauthorized("The API token is unknown or revoked.")
    elif session_id := request.cookies.get(SESSION_COOKIE):
        found = accounts.by_session(session_id)
        if found is not None:
            principal, request.state.csrf_token = found
    request.state.principal = principal or accounts.anonymous()
    return request.state.principal


async def reader(request: Request) -> Principal:
    """Anyone allowed to read: a signed-in user, or anyone while the archive allows public reading."""
    principal = resolve(request)
    if principal.is_anonymous and not principal.public_read:
        raise unauthorized()
    if request.method in UNSAFE_METHODS:
        await check_csrf(request)
    return principal


async def writer(request: Request) -> Principal:
    """An archivist or an admin: uploads, captures, edits."""
    principal = await reader(request)
    if principal.is_anonymous:
        raise unauthorized()
    if not principal.can_write:
        raise HTTPException(403, "Only archivists and admins may change the archive.")
    return principal


async def admin(request: Request) -> Principal:
    principal = await writer(request)
    if not principal.is_admin:
        raise HTTPException(403, "Only admins may do this.")
    return principal


def same_origin(request: Request, referer: bool = False) -> bool:
    """False when the browser says the request came from another site (Origin, or else Referer)."""
    origin = request.headers.get("origin") or (request.headers.get("referer") if referer else None)
    return not origin or urlsplit(origin).netloc == request.url.netloc


async def check_csrf(request: Request) -> None:
    """Cookie-authenticated changes need the session's form token and the archive's own origin."""
    expected = request.state.csrf_token
    if expected is None:
        return  # a token or nobody: no cookie a foreign page could make the browser send
    if not same_origin(request, referer=True):
        raise HTTPException(403, "The request came from another site.")
    given = request.headers.get(CSRF_HEADER)
    if given is None and "form" in request.headers.get("content-type", ""):
        given = (await request.form()).get(CSRF_FIELD)
    if not isinstance(given, str) or not hmac.compare_digest(given, expected):
        raise HTTPException(403, "The form has expired: reload the page and try again.")


Reader = Annotated[Principal, Depends(reader)]
Writer = Annotated[Principal, Depends(writer)]
Admin = Annotated[Principal, Depends(admin)]
