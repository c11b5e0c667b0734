"""Bulk writes through a fault-injecting proxy in front of a real node: 429s, 500s, dropped connections."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime
from http.client import HTTPConnection
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from elasticsearch import Elasticsearch

from archive.index.base import WORDS, BackendUnavailable, Filters, IndexDocument, Term
from archive.index.elastic import BulkRejected, ElasticsearchBackend

pytestmark = pytest.mark.elasticsearch

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
    """

    def __init__(self, upstream: str, fault: int | str, times: int | None) -> None:
        parts = urlsplit(upstream)
        self.upstream = (parts.hostname or "127.0.0.1", parts.port or 9200)
        self.fault = fault
        self.remaining = times
        self.bulk_requests = 0
        self.faults_injected = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FaultyProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
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
                self.send_response(status)
                for key, value in resp_headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

        return Handler


def docs(n: int) -> list[IndexDocument]:
    return [
        IndexDocument(f"d{i:03}", "report", "en", "public", datetime(2024, 1, 1), {WORDS: f"retry word{i}"})
        for i in range(n)
    ]


@pytest.fixture
def alias(es_url: str) -> Iterator[str]:
    name = f"f-{uuid.uuid4().hex[:12]}"
    yield name
    with Elasticsearch(es_url) as client:
        names = list(client.indices.get(index=f"{name}-v*").body)
        if names:
            client.indices.delete(index=",".join(names))


def faulty_backend(proxy: FaultyProxy, alias: str, **kwargs: object) -> ElasticsearchBackend:
    return ElasticsearchBackend(
        proxy.url, alias, initial_backoff=0.05, max_backoff=0.5, chunk_size=20, **kwargs
    )


@pytest.mark.parametrize("status", [429, 500, 503])
def test_rejected_bulk_requests_are_retried(es_url: str, alias: str, status: int) -> None:
    with FaultyProxy(es_url, status, times=2) as proxy:
        backend = faulty_backend(proxy, alias)
        backend.add(docs(50))  # three chunks; the first is refused twice
        assert proxy.faults_injected == 2 and proxy.bulk_requests == 5
        assert backend.count() == 50
        assert backend.search(Term(WORDS, "retry"), Filters(), 100).total == 50
        backend.close()


def test_items_rejected_inside_a_bulk_response_are_retried(es_url: str, alias: str) -> None:
    with FaultyProxy(es_url, "items-429", times=3) as proxy:
        backend = faulty_backend(proxy, alias)
        backend.add(docs(40))
        assert proxy.faults_injected == 3
        assert backend.count() == 40
        backend.close()


def test_dropped_connections_are_retried(es_url: str, alias: str) -> None:
    with FaultyProxy(es_url, "drop", times=2) as proxy:
        backend = faulty_backend(proxy, alias)
        backend.add(docs(30))
        assert proxy.faults_injected == 2
        assert backend.count() == 30
        backend.close()


def test_persistent_failure_ends_in_backend_unavailable(es_url: str, alias: str) -> None:
    with FaultyProxy(es_url, 500, times=None) as proxy:
        backend = faulty_backend(proxy, alias, max_retries=3)
        with pytest.raises(BulkRejected) as info:
            backend.add(docs(5))
        assert isinstance(info.value, BackendUnavailable)
        assert sorted(info.value.ids) == [f"d{i:03}" for i in range(5)]
        message = str(info.value)
        assert "could not index 5 of 5" in message and "d000" in message and "HTTP 500" in message
        assert info.value.__cause__ is None
        assert proxy.bulk_requests == 4  # the first try and three retries
        backend.close()


def test_persistent_connection_drop_ends_in_backend_unavailable(es_url: str, alias: str) -> None:
    with FaultyProxy(es_url, "drop", times=None) as proxy:
        backend = faulty_backend(proxy, alias, max_retries=2)
        with pytest.raises(BackendUnavailable, match="unreachable"):
            backend.add(docs(5))
        backend.close()
