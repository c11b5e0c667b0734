"""A real HTTP server on 127.0.0.1 for tests: routes map a path to a canned response.

with LocalServer() as server:
    server.route("/page", body=b"<html>...", headers={"Content-Type": "text/html"})
    server.redirect("/old", "/page")
    capture(server.url("/old"))
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """A canned response. ``delay`` waits before the status line; ``chunk_delay`` trickles the body."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunk_size: int = 64 * 1024
    chunk_delay: float = 0.0
    content_length: bool = True  # False: close-delimited body, so the client cannot know the size up front

    def serve(self, handler: BaseHTTPRequestHandler) -> None:
        time.sleep(self.delay)
        handler.send_response(self.status)
        for name, value in self.headers.items():
            handler.send_header(name, value)
        if self.content_length:
            handler.send_header("Content-Length", str(len(self.body)))
        handler.send_header("Connection", "close")
        handler.end_headers()
        for start in range(0, len(self.body), self.chunk_size):
            handler.wfile.write(self.body[start : start + self.chunk_size])
            handler.wfile.flush()
            time.sleep(self.chunk_delay)


Responder = Route | Callable[[BaseHTTPRequestHandler], None]


@dataclass
class Request:
    path: str
    headers: dict[str, str]


class LocalServer:
    """Threaded HTTP/1.0 server on a free port; use as a context manager."""

    def __init__(self) -> None:
        self.routes: dict[str, Responder] = {}
        self.requests: list[Request] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(self))
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False  # slow handlers must not hold up shutdown
        self._httpd.handle_error = lambda request, address: None  # clients hanging up early is expected
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def route(self, path: str, responder: Responder | None = None, **route: object) -> str:
        """Register ``responder`` (or a ``Route(**route)``) for ``path``; return the absolute URL."""
        self.routes[path] = responder if responder is not None else Route(**route)  # type: ignore[arg-type]
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.route(path, status=status, headers={"Location": location})

    def __enter__(self) -> LocalServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


def _handler_class(server: LocalServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            server.requests.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()}))
            responder = server.routes.get(self.path.split("?", 1)[0])
            if responder is None:
                responder = Route(status=404, body=b"not found", headers={"Content-Type": "text/plain"})
            # the client may give up (timeout, size limit); that is what some tests want
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                responder.serve(self) if isinstance(responder, Route) else responder(self)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def closed_port() -> int:
    """A local port with nothing listening on it (bound briefly, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
