"""`HEAD` wherever `GET` works: the request is served as a `GET` and answered with its headers alone.

FastAPI routes declared with `get` answer only GET; this middleware makes every one of them (originals,
captures, evidence packages, pages, health checks, search) answer HEAD with the status and headers a GET
would have, Content-Length included, and no body. Once the headers are out, the body is not produced:
a HEAD on a large original does not read it.
"""

from __future__ import annotations

import contextlib

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _HeadersSent(Exception):
    """Stops the GET's response once its headers are sent."""


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.start":
                await send(message)
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                raise _HeadersSent
            # anything else (a body, a trailer) belongs to the GET and is not sent

        with contextlib.suppress(_HeadersSent):
            await self.app({**scope, "method": "GET"}, receive, headers_only)
