"""A ceiling on request bodies, declared or streamed, so that no upload fills the disk or memory.

A body with a Content-Length over the limit is answered 413 before a byte of it is read. A chunked
body (no Content-Length) is counted as it arrives and cut off with 413 when it passes the limit,
before the multipart parser has spooled more than that to a temporary file.
"""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from search_api.problems import MEDIA_TYPE


class BodyTooLarge(HTTPException):
    """Raised from inside the body stream; an HTTPException so that the framework answers it as 413
    instead of wrapping it as a body-parsing error."""

    def __init__(self, detail: str):
        super().__init__(status_code=413, detail=detail)


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int, detail: str):
        self.app = app
        self.max_bytes = max_bytes
        self.detail = detail

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("POST", "PUT", "PATCH"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        received = 0

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise BodyTooLarge(self.detail)
            return message

        await self.app(scope, counted, send)

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"type": "about:blank", "title": "Content Too Large", "status": 413,
                           "detail": self.detail}).encode()
        headers = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})
