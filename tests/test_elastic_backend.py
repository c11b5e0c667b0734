"""The Elasticsearch backend against a real node: query translation, writes, rebuilds, failures."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest
from elasticsearch import Elasticsearch

from archive.index import elastic_mapping
from archive.index.base import (
    WORDS,
    AnyOf,
    BackendUnavailable,
    IndexDocument,
    Term,
)
from archive.index.elastic import ElasticsearchBackend
from tests.es_fixture import PATIENT
from tests.index_corpus import NO_FILTERS, corpus, doc, ids

pytestmark = pytest.mark.elasticsearch



def drop_alias_indices(url: str, alias: str) -> None:
    with Elasticsearch(url) as client:
        names = [n for n in client.indices.get(index=f"{alias}-v*", expand_wildcards="all").body]
        if names:
            client.indices.delete(index=",".join(names))


@pytest.fixture
def alias(es_url: str) -> Iterator[str]:
    name = f"t-{uuid.uuid4().hex[:12]}"
    yield name
    drop_alias_indices(es_url, name)


@pytest.fixture
def backend(es_url: str, alias: str) -> Iterator[ElasticsearchBackend]:
    backend = ElasticsearchBackend(es_url, alias, **PATIENT)
    yield backend
    backend.close()


@pytest.fixture
def filled(backend: ElasticsearchBackend) -> ElasticsearchBackend:
    backend.add(corpus())
    return backend


def test_empty_alias_answers_empty(backend: ElasticsearchBackend) -> None:
    assert backend.count() == 0
    assert backend.search(Term(WORDS, "court"), NO_FILTERS, 10).total == 0
    assert backend.live_index() is None
    backend.delete(["nothing"])  # no index yet: nothing to do


def test_add_creates_versioned_index_behind_alias(filled: ElasticsearchBackend, alias: str) -> None:
    assert filled.count() == 5
    live = filled.live_index()
    assert live is not None and live.startswith(f"{alias}-v{elastic_mapping.MAPPING_VERSION}-")
    assert not filled.outdated()
    assert filled.health() in ("green", "yellow")


def test_rebuild_swaps_alias_without_empty_answers(filled: ElasticsearchBackend, es_url: str) -> None:
    old = filled.live_index()
    seen: list[int] = []
    errors: list[Exception] = []
    stop = threading.Event()

    def search_loop() -> None:
        while not stop.is_set():
            try:
                seen.append(filled.search(Term(WORDS, "ivanov"), NO_FILTERS, 5).total)
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

    fresh = [doc(f"r{i:04}", f"ivanov case {i}", language="en") for i in range(3000)]
    thread = threading.Thread(target=search_loop)
    thread.start()
    try:
        indexed = filled.rebuild(fresh)
        for _ in range(30):  # keep searching a little after the swap and old-index deletion
            seen.append(filled.search(Term(WORDS, "ivanov"), NO_FILTERS, 5).total)
    finally:
        stop.set()
        thread.join()
    assert not errors, errors[:3]
    assert indexed == 3000
    assert len(seen) > 30 and 0 not in seen
    assert set(seen) <= {2, 3000}  # the old answer (en-1, en-2 match "ivanov"), then the new one
    assert filled.count() == 3000
    live = filled.live_index()
    assert live != old
    with Elasticsearch(es_url) as client:
        assert not client.indices.exists(index=old)


def test_the_live_index_gets_its_settings_back_after_a_rebuild(
    filled: ElasticsearchBackend, es_url: str
) -> None:
    # While filled, the new index has no refreshes, no replicas and a translog synced in the background.
    filled.rebuild([doc(f"s{i:03}", f"ivanov case {i}", language="en") for i in range(50)])
    live = filled.live_index()
    with Elasticsearch(es_url) as client:
        index = client.indices.get_settings(index=live, include_defaults=True)[live]
    given, defaults = index["settings"]["index"], index["defaults"]["index"]
    assert given.get("auto_expand_replicas") == elastic_mapping.SETTINGS["auto_expand_replicas"]
    assert given.get("refresh_interval", defaults.get("refresh_interval")) == "1s"
    assert {**defaults.get("translog", {}), **given.get("translog", {})}["durability"].lower() == "request"
    assert filled.search(Term(WORDS, "ivanov"), NO_FILTERS, 5).total == 50


def test_a_term_another_process_indexes_is_found_once_its_absence_is_stale(es_url: str, alias: str) -> None:
    reader = ElasticsearchBackend(es_url, alias, term_cache_seconds=0.2, **PATIENT)
    writer = ElasticsearchBackend(es_url, alias, **PATIENT)
    try:
        writer.add(corpus())
        either = AnyOf((Term(WORDS, "ivanov"), Term(WORDS, "nobody")))
        assert ids(reader.search(either, NO_FILTERS, 10)) == {"en-1", "en-2"}  # "nobody" found absent
        assert reader.search(Term(WORDS, "newcomer"), NO_FILTERS, 10).total == 0
        writer.add([doc("late-1", "a newcomer arrives", language="en")])
        time.sleep(0.3)
        # A stale term is left out while the index is asked about it again; one held now is searched
        # again with it.
        assert ids(reader.search(either, NO_FILTERS, 10)) == {"en-1", "en-2"}
        assert ids(reader.search(Term(WORDS, "newcomer"), NO_FILTERS, 10)) == {"late-1"}
    finally:
        reader.close()
        writer.close()


def test_a_term_another_process_indexes_is_found_at_once_when_the_mark_has_moved(
    es_url: str, alias: str
) -> None:
    reader = ElasticsearchBackend(es_url, alias, term_cache_seconds=3600, **PATIENT)
    writer = ElasticsearchBackend(es_url, alias, **PATIENT)
    try:
        writer.add(corpus())
        before = reader.change_mark()
        assert reader.search(Term(WORDS, "newcomer"), NO_FILTERS, 10).total == 0  # found absent
        writer.add([doc("late-1", "a newcomer arrives", language="en")])
        assert reader.change_mark() != before  # what a search asks before it keeps its answer
        assert ids(reader.search(Term(WORDS, "newcomer"), NO_FILTERS, 10)) == {"late-1"}
    finally:
        reader.close()
        writer.close()


def test_mapping_change_goes_through_rebuild(filled: ElasticsearchBackend, es_url: str, alias: str) -> None:
    old = filled.live_index()
    mappings = {
        **elastic_mapping.MAPPINGS,
        "properties": {**elastic_mapping.MAPPINGS["properties"], "source_domain": {"type": "keyword"}},
    }
    version = elastic_mapping.MAPPING_VERSION + 1
    newer = ElasticsearchBackend(
        es_url, alias, mapping_version=version, mappings=mappings, **PATIENT
    )
    try:
        assert newer.outdated()
        assert newer.rebuild(corpus()) == 5
        live = newer.live_index()
        assert live is not None and live.startswith(f"{alias}-v{version}-")
        assert not newer.outdated() and filled.outdated()
        with Elasticsearch(es_url) as client:
            assert not client.indices.exists(index=old)
            assert [n for n in client.indices.get(index=f"{alias}-v*").body] == [live]
            props = client.indices.get_mapping(index=live)[live]["mappings"]["properties"]
            assert props["source_domain"] == {"type": "keyword"}
        assert ids(newer.search(Term(WORDS, "Oskemen"), NO_FILTERS, 10)) == {"ru-1"}
    finally:
        newer.close()


def test_rejected_document_is_named_and_the_rest_indexed(backend: ElasticsearchBackend) -> None:
    bad = IndexDocument("bad-1", "report", "en", "public", datetime(2024, 1, 1), {"no_such_field": "x"})
    with pytest.raises(BackendUnavailable, match="bad-1") as info:
        backend.add([doc("good-1", "fine"), bad, doc("good-2", "fine")])
    assert info.value.ids == ["bad-1"]  # type: ignore[attr-defined]
    assert backend.count() == 2


def test_failed_rebuild_keeps_the_live_index(filled: ElasticsearchBackend, es_url: str, alias: str) -> None:
    old = filled.live_index()
    bad = IndexDocument("bad-1", "report", "en", "public", datetime(2024, 1, 1), {"no_such_field": "x"})
    with pytest.raises(BackendUnavailable, match="live index is unchanged"):
        filled.rebuild([doc("x-1", "x"), bad])
    assert filled.live_index() == old and filled.count() == 5
    with Elasticsearch(es_url) as client:
        assert [n for n in client.indices.get(index=f"{alias}-v*").body] == [old]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_node_raises_backend_unavailable() -> None:
    port = closed_port()
    url = f"http://elastic:s3cret@127.0.0.1:{port}"
    backend = ElasticsearchBackend(url, "archive", initial_backoff=0.01, cooldown=0)  # ask every time
    calls = {
        "add": lambda: backend.add([doc("a", "b")]),
        "search": lambda: backend.search(Term(WORDS, "b"), NO_FILTERS, 10),
        "count": backend.count,
        "delete": lambda: backend.delete(["a"]),
        "rebuild": lambda: backend.rebuild([doc("a", "b")]),
        "health": backend.health,
    }
    for name, call in calls.items():
        with pytest.raises(BackendUnavailable) as info:
            call()
        message = str(info.value)
        assert f"127.0.0.1:{port} is unreachable" in message, name
        assert "Connection refused" in message, name
        assert "s3cret" not in message, name
        assert info.value.__cause__ is None and info.value.__suppress_context__, name
    # With a cool-down, a node that failed is not asked again until it ends: calls fail at once.
    breaking = ElasticsearchBackend(url, "archive", cooldown=60)
    with pytest.raises(BackendUnavailable, match="unreachable"):
        breaking.count()
    with pytest.raises(BackendUnavailable, match=r"is not asked \(searching\): it did not answer lately"):
        breaking.search(Term(WORDS, "b"), NO_FILTERS, 10)
