"""Bulk writes through a fault-injecting proxy in front of a real node: 429s, 500s, dropped connections."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest
from elasticsearch import Elasticsearch

from archive.index.base import WORDS, BackendUnavailable, Filters, IndexDocument, Term
from archive.index.elastic import BulkRejected, ElasticsearchBackend
from tests.es_proxy import FaultyProxy

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
