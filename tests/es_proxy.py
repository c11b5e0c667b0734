"""A fault-injecting HTTP proxy in front of a real Elasticsearch node, for the failure tests."""

from __future__ import annotations

import json
import threading
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

HOP_HEADERS = {"connection", "keep-alive", "transfer-encoding", "content-length", "host"}
ES_HEADERS = {
    "Content-Type": "application/vnd.elasticsearch+json;compatible-with=8",
    "X-Elastic-Product": "Elasticsearch",
}


class FaultyProxy:
    """Forwards HTTP to a node, except that the first `times` `_bulk` requests meet `fault`.

    Faults: an HTTP status (429, 500, ...) for the whole request; "items-429" to reject every other
    item with 429 inside a 200 response (the others really are indexed); "drop" to close the
    connection without an answer. `times=None` keeps failing for ever.

    `hang()` makes it a hung node: every request is read and then left without an answer (the
    connection stays open, as a stopped process's kernel keeps it) until `resume()`, which lets the
    held requests through late, as a node woken by SIGCONT answers them.
    """

    def __init__(self, upstream: str, fault: int | str, times: int | None, port: int = 0) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 9200)
        self.fault = fault
        self.remaining = times
        self.bulk_requests = 0
        self.faults_injected = 0
        self._lock = threading.Lock()
        self._answering = threading.Event()
        self._answering.set()
        self.held = 0  # requests held while hung
        self.server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FaultyProxy:
        self.thread.start()
        return self

    def hang(self) -> None:
        self._answering.clear()

    def resume(self) -> None:
        self._answering.set()

    def _hold_while_hung(self) -> None:
        if not self._answering.is_set():
            with self._lock:
                self.held += 1
            self._answering.wait()

    def __exit__(self, *exc: object) -> None:
        self.resume()
        self.server.shutdown()
        self.server.server_close()

    def _take_fault(self, path: str) -> int | str | None:
        if not urlsplit(path).path.endswith("/_bulk"):
            return None
        with self._lock:
            self.bulk_requests += 1
            if self.remaining is not None:
                if self.remaining <= 0:
                    return None
                self.remaining -= 1
            self.faults_injected += 1
            return self.fault

    def forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict, bytes]:
        conn = HTTPConnection(*self.upstream, timeout=60)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            resp = conn.getresponse()
            payload = resp.read()
            kept = {k: v for k, v in resp.getheaders() if k.lower() not in HOP_HEADERS}
            return resp.status, kept, payload
        finally:
            conn.close()

    def reject_every_other_item(
        self, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict, bytes]:
        """Forwards half of the bulk items and answers 429 for the others, in the original order."""
        lines = [line for line in body.split(b"\n") if line.strip()]
        operations: list[list[bytes]] = []
        while lines:
            size = 1 if next(iter(json.loads(lines[0]))) == "delete" else 2  # delete has no source line
            operations.append(lines[:size])
            lines = lines[size:]
        kept = [op for i, op in enumerate(operations) if i % 2 == 0]
        forwarded = b"".join(line + b"\n" for op in kept for line in op)
        status, resp_headers, payload = self.forward("POST", path, headers, forwarded)
        upstream_items = iter(json.loads(payload)["items"])
        items = []
        for i, op in enumerate(operations):
            if i % 2 == 0:
                items.append(next(upstream_items))
                continue
            op_type, meta = next(iter(json.loads(op[0]).items()))
            items.append(
                {
                    op_type: {
                        "_index": meta.get("_index"),
                        "_id": meta.get("_id"),
                        "status": 429,
                        "error": {
                            "type": "es_rejected_execution_exception",
                            "reason": "injected: queue full",
                        },
                    }
                }
            )
        answer = {"errors": True, "took": 1, "items": items}
        return status, resp_headers, json.dumps(answer).encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_HEADERS}
                proxy._hold_while_hung()
                fault = proxy._take_fault(self.path)
                if fault == "drop":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                if isinstance(fault, int):
                    error = {"type": "injected_failure", "reason": f"injected HTTP {fault}"}
                    status, resp_headers, payload = (
                        fault,
                        ES_HEADERS,
                        json.dumps({"error": error, "status": fault}).encode(),
                    )
                elif fault == "items-429":
                    status, resp_headers, payload = proxy.reject_every_other_item(self.path, headers, body)
                else:
                    status, resp_headers, payload = proxy.forward(self.command, self.path, headers, body)
                try:
                    self.send_response(status)
                    for key, value in resp_headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting (hung node)
                    self.close_connection = True

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        return Handler
