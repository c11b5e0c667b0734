"""Through a fault-injecting proxy in front of a real node: bulk writes meeting 429s, 500s and dropped
connections, and the whole application in front of a node that hangs."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

import httpx
import pytest
from elasticsearch import Elasticsearch

from archive.index.base import WORDS, BackendUnavailable, Filters, IndexDocument, Term
from archive.index.elastic import BulkRejected, ElasticsearchBackend
from archive.settings import load_settings
from tests.browser import serve
from tests.clients import token_headers
from tests.es_fixture import PATIENT, drop_test_indices
from tests.es_proxy import FaultyProxy
from web.app import create_app

pytestmark = pytest.mark.elasticsearch

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
        proxy.url, alias, initial_backoff=0.05, max_backoff=0.5, chunk_size=20,
        **PATIENT, **kwargs,
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


# --- a hung node, behind the whole application ------------------------------------------------

ANSWER_WITHIN = 2.0  # seconds: what a reader may wait for any answer while the index is hung


def _timed(call: Callable[[], httpx.Response]) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = call()
    return response, time.monotonic() - started


def _upload(http: httpx.Client, name: str, text: str) -> httpx.Response:
    return http.post("/api/documents", files={"file": (name, text.encode(), "text/plain")})


def _wait_until_indexed(http: httpx.Client, doc_id: str) -> None:
    deadline = time.monotonic() + 60
    while http.get(f"/api/documents/{doc_id}").json()["indexed"] is False:
        assert time.monotonic() < deadline, f"{doc_id} was never indexed"
        time.sleep(0.1)


def test_a_hung_node_stalls_nothing_and_its_documents_are_caught_up(tmp_path, es_url: str) -> None:
    with FaultyProxy(es_url, fault=503, times=0) as proxy:
        settings = load_settings(
            home=tmp_path / "home", backend="elasticsearch", elasticsearch_url=proxy.url,
            elasticsearch_index=f"test-hung-{uuid.uuid4().hex[:8]}",
            index_retry_seconds=0.5, index_cooldown_seconds=1.0, index_wait_seconds=1.0,
            index_timeout_seconds=1.5, index_write_timeout_seconds=10.0,
        )
        app = create_app(settings)
        headers = token_headers(app)
        try:
            with serve(app) as base, httpx.Client(base_url=base, headers=headers, timeout=60) as http:
                before = _upload(http, "oral.txt", "The court in Oral fined Aigerim Tleuzhan for a picket.")
                assert before.status_code == 201
                first = before.json()["id"]
                _wait_until_indexed(http, first)  # the first write creates the index: slower than a second
                found = http.get("/api/search", params={"q": "Tleuzhan"}).json()
                assert [h["id"] for h in found["hits"]] == [first] and found["pending"] == 0

                proxy.hang()
                search, took = _timed(lambda: http.get("/api/search", params={"q": "Tleuzhan"}))
                assert search.status_code == 503 and took <= ANSWER_WITHIN, took
                page, took = _timed(lambda: http.get("/", params={"q": "Tleuzhan"}))
                assert page.status_code == 503 and took <= ANSWER_WITHIN, took

                stored = []
                for n in range(3):
                    text = f"Picket number {n} in Uralsk: Marat Zhylanbayev detained again."
                    upload, took = _timed(lambda text=text, n=n: _upload(http, f"uralsk-{n}.txt", text))
                    assert upload.status_code == 201 and took <= ANSWER_WITHIN, (upload.text, took)
                    stored.append(upload.json()["id"])

                def reads(doc_id: str) -> list[Callable[[], httpx.Response]]:
                    return [
                        lambda: http.get(f"/api/documents/{doc_id}"),
                        lambda: http.get(f"/d/{doc_id}"),
                        lambda: http.get(f"/api/documents/{doc_id}/original"),
                        lambda: http.get("/healthz"),
                        lambda: http.get("/api/search", params={"q": "Zhylanbayev"}),
                    ]

                # Many readers at once while the node is hung: none waits on it.
                calls = [call for doc_id in [first, *stored] * 4 for call in reads(doc_id)]
                with ThreadPoolExecutor(max_workers=20) as pool:
                    answers = list(pool.map(_timed, calls))
                for response, took in answers:
                    assert took <= ANSWER_WITHIN, (response.request.url, took)
                    expected = 503 if response.request.url.path == "/api/search" else 200
                    assert response.status_code == expected, (response.request.url, response.text)
                assert http.get(f"/api/documents/{stored[0]}").json()["indexed"] is False
                assert proxy.held > 0

                proxy.resume()
                deadline = time.monotonic() + 60
                while True:
                    answer = http.get("/api/search", params={"q": "Zhylanbayev"})
                    if answer.status_code == 200:
                        body = answer.json()
                        found_ids = {h["id"] for h in body["hits"]}
                        # Until every document is searchable, the answer says how many are not yet.
                        assert body["pending"] >= len(set(stored) - found_ids)
                        if found_ids == set(stored) and body["pending"] == 0:
                            break
                    assert time.monotonic() < deadline, f"never caught up: {answer.text}"
                    time.sleep(0.3)
        finally:
            drop_test_indices(settings.with_overrides(elasticsearch_url=es_url))
