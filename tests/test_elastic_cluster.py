"""Elasticsearch on a local two-node cluster: replicas placed on the other node, term pruning over
several primary shards. (The query semantics run on the cluster too: tests/test_index_queries.py.)"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest
from elasticsearch import Elasticsearch

from archive.index.base import KEYS, WORDS, AnyOf, Filters, IndexDocument, Term
from archive.index.elastic import ElasticsearchBackend
from tests.es_fixture import PATIENT
from tests.test_elastic_backend import drop_alias_indices

pytestmark = pytest.mark.elasticsearch

DOCS = 60  # enough that every one of three shards holds some


def documents() -> list[IndexDocument]:
    return [
        IndexDocument(f"d{i:03}", "report", "ru", "public", datetime(2024, 1, 1),
                      {WORDS: f"word{i} common", KEYS: f"key{i}"})
        for i in range(DOCS)
    ]


@pytest.fixture(params=[1, 3], ids=["1-shard", "3-shards"])
def backend(request: pytest.FixtureRequest, es_cluster_url: str) -> Iterator[ElasticsearchBackend]:
    alias = f"c-{uuid.uuid4().hex[:12]}"
    opened = ElasticsearchBackend(
        es_cluster_url, alias, index_settings={"number_of_shards": request.param},
        **PATIENT,
    )
    try:
        yield opened
    finally:
        opened.close()
        drop_alias_indices(es_cluster_url, alias)


def test_each_primary_has_a_replica_on_the_other_node(backend: ElasticsearchBackend, es_cluster_url: str):
    backend.add(documents())
    with Elasticsearch(es_cluster_url) as client:
        index = backend.live_index()
        health = client.cluster.health(index=index, wait_for_status="green", timeout="60s")
        assert health["status"] == "green" and health["number_of_nodes"] == 2
        shards = client.cat.shards(index=index, format="json")
    by_shard: dict[str, set[str]] = {}
    for copy in shards:
        assert copy["state"] == "STARTED"
        by_shard.setdefault(copy["shard"], set()).add(copy["node"])
    assert all(len(nodes) == 2 for nodes in by_shard.values())  # primary and replica apart


def test_pruning_asks_every_shard(backend: ElasticsearchBackend) -> None:
    backend.add(documents())
    # Every document's own term is held, whichever shard holds the document; a term nobody holds is not.
    query = AnyOf((*(Term(WORDS, f"word{i}") for i in range(DOCS)), Term(WORDS, "nowhere")))
    held = backend._held_terms(query)
    assert all(held(WORDS, f"word{i}") for i in range(DOCS))
    assert not held(WORDS, "nowhere")
    assert backend.search(query, Filters(), 100).total == DOCS
    one = backend.search(AnyOf((Term(KEYS, "key59"), Term(KEYS, "absent"))), Filters(), 10)
    assert [hit.id for hit in one.hits] == ["d059"]


def test_the_shards_are_learnt_again_after_a_rebuild(backend: ElasticsearchBackend) -> None:
    backend.add(documents()[:10])
    assert backend.search(Term(WORDS, "word3"), Filters(), 10).total == 1
    first = backend.live_index()
    backend.rebuild(iter(documents()))
    assert backend.live_index() != first
    assert backend.search(Term(WORDS, "word42"), Filters(), 10).total == 1
    assert backend._routings[backend.alias][0] == backend.live_index()
