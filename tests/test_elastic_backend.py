"""The Elasticsearch backend against a real node: query translation, writes, rebuilds, failures."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime

import pytest
from elasticsearch import Elasticsearch

from archive.index import elastic_mapping
from archive.index.base import (
    KEYS,
    STEMS,
    TITLE_WORDS,
    WORDS,
    AnyOf,
    BackendUnavailable,
    Bool,
    Filters,
    Fuzzy,
    IndexDocument,
    Phrase,
    Term,
)
from archive.index.elastic import ElasticsearchBackend

pytestmark = pytest.mark.elasticsearch

NO_FILTERS = Filters()


def doc(
    doc_id: str, words: str, *, language: str = "ru", kind: str = "report", **fields: str
) -> IndexDocument:
    return IndexDocument(
        id=doc_id,
        kind=kind,
        language=language,
        access="public",
        ingested_at=datetime(2024, 5, 1, 12, 0),
        fields={WORDS: words, **fields},
    )


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
    backend = ElasticsearchBackend(es_url, alias)
    yield backend
    backend.close()


def corpus() -> list[IndexDocument]:
    return [
        doc("ru-1", "суд Oskemen решение иванов", language="ru", **{KEYS: "oskemen ivanov"}),
        doc("kk-1", "сот өскемен шешім иванов", language="kk", kind="ruling", **{KEYS: "oskemen ivanov"}),
        doc("en-1", "court ruling in oskemen about ivanov and petrov", language="en", kind="ruling"),
        doc("en-2", "petrov met ivanov in court", language="en", kind="media"),
        doc("en-3", "a report about the weather", language="en", **{TITLE_WORDS: "weather report"}),
    ]


@pytest.fixture
def filled(backend: ElasticsearchBackend) -> ElasticsearchBackend:
    backend.add(corpus())
    return backend


def ids(page) -> set[str]:
    return {hit.id for hit in page.hits}


def test_empty_alias_answers_empty(backend: ElasticsearchBackend) -> None:
    assert backend.count() == 0
    assert backend.search(Term(WORDS, "court"), NO_FILTERS, 10).total == 0
    assert backend.live_index() is None
    backend.delete(["nothing"])  # no index yet: nothing to do


def test_add_creates_versioned_index_behind_alias(filled: ElasticsearchBackend, alias: str) -> None:
    assert filled.count() == 5
    live = filled.live_index()
    assert live is not None and live.startswith(f"{alias}-v{elastic_mapping.MAPPING_VERSION}-")
    assert not filled.mapping_outdated()
    assert filled.health() in ("green", "yellow")


def test_term_matches_terms_verbatim(filled: ElasticsearchBackend) -> None:
    # The analysis happened in Python: no lower-casing or folding may happen in the index.
    assert ids(filled.search(Term(WORDS, "Oskemen"), NO_FILTERS, 10)) == {"ru-1"}
    assert ids(filled.search(Term(WORDS, "oskemen"), NO_FILTERS, 10)) == {"en-1"}
    assert ids(filled.search(Term(WORDS, "өскемен"), NO_FILTERS, 10)) == {"kk-1"}
    assert ids(filled.search(Term(KEYS, "oskemen"), NO_FILTERS, 10)) == {"ru-1", "kk-1"}
    assert ids(filled.search(Term(TITLE_WORDS, "weather"), NO_FILTERS, 10)) == {"en-3"}
    assert filled.search(Term(STEMS, "oskemen"), NO_FILTERS, 10).total == 0


def test_fuzzy_within_one_edit(filled: ElasticsearchBackend) -> None:
    assert ids(filled.search(Fuzzy(WORDS, "petrof"), NO_FILTERS, 10)) == {"en-1", "en-2"}  # substitution
    assert ids(filled.search(Fuzzy(WORDS, "ivnaov"), NO_FILTERS, 10)) == {"en-1", "en-2"}  # transposition
    assert ids(filled.search(Fuzzy(WORDS, "иванв"), NO_FILTERS, 10)) == {"ru-1", "kk-1"}  # deletion
    assert filled.search(Fuzzy(WORDS, "pterof"), NO_FILTERS, 10).total == 0  # two edits
    assert (
        filled.search(Fuzzy(WORDS, "fetrov", prefix_length=1), NO_FILTERS, 10).total == 0
    )  # first letter kept
    assert ids(filled.search(Fuzzy(WORDS, "fetrov", prefix_length=0), NO_FILTERS, 10)) == {"en-1", "en-2"}
    # Like the embedded engine: a fuzzy match scores its boost, however often the term occurs.
    page = filled.search(Fuzzy(WORDS, "ivanof", boost=0.8), NO_FILTERS, 10)
    assert [hit.score for hit in page.hits] == pytest.approx([0.8, 0.8])


def test_phrase_with_slop(filled: ElasticsearchBackend) -> None:
    assert ids(filled.search(Phrase(WORDS, ("petrov", "met")), NO_FILTERS, 10)) == {"en-2"}
    assert filled.search(Phrase(WORDS, ("petrov", "ivanov")), NO_FILTERS, 10).total == 0
    assert ids(filled.search(Phrase(WORDS, ("petrov", "ivanov"), slop=1), NO_FILTERS, 10)) == {"en-2"}
    assert ids(filled.search(Phrase(WORDS, ("court",)), NO_FILTERS, 10)) == {"en-1", "en-2"}
    # The slop counts in total, as in the embedded engine: gaps of one and one need a slop of two.
    three = ("petrov", "ivanov", "court")
    assert filled.search(Phrase(WORDS, three, slop=1), NO_FILTERS, 10).total == 0
    assert ids(filled.search(Phrase(WORDS, three, slop=2), NO_FILTERS, 10)) == {"en-2"}
    # Swapping two neighbours costs two moves; "in court" is reached from ("court", "in") so.
    assert filled.search(Phrase(WORDS, ("met", "petrov"), slop=1), NO_FILTERS, 10).total == 0
    assert ids(filled.search(Phrase(WORDS, ("met", "petrov"), slop=2), NO_FILTERS, 10)) == {"en-2"}
    assert ids(filled.search(Phrase(WORDS, ("court", "in"), slop=2), NO_FILTERS, 10)) == {"en-1", "en-2"}
    # "ivanov and petrov" in en-1: one term between; "petrov met ivanov" in en-2: swapped, one between.
    assert ids(filled.search(Phrase(WORDS, ("ivanov", "petrov"), slop=1), NO_FILTERS, 10)) == {"en-1"}
    assert ids(filled.search(Phrase(WORDS, ("ivanov", "petrov"), slop=2), NO_FILTERS, 10)) == {"en-1"}
    assert ids(filled.search(Phrase(WORDS, ("ivanov", "petrov"), slop=3), NO_FILTERS, 10)) == {"en-1", "en-2"}


def test_any_of_scores_as_best_clause(filled: ElasticsearchBackend) -> None:
    query = AnyOf((Term(WORDS, "weather", boost=10.0), Term(WORDS, "petrov")))
    page = filled.search(query, NO_FILTERS, 10)
    assert ids(page) == {"en-1", "en-2", "en-3"}
    assert page.hits[0].id == "en-3"  # the boosted clause wins
    assert filled.search(AnyOf(()), NO_FILTERS, 10).total == 0


def test_bool_must_should_must_not(filled: ElasticsearchBackend) -> None:
    should_only = Bool(should=(Term(WORDS, "petrov"), Term(WORDS, "weather")))
    assert ids(filled.search(should_only, NO_FILTERS, 10)) == {"en-1", "en-2", "en-3"}
    must_not = Bool(must=(Term(KEYS, "ivanov"),), must_not=(Term(WORDS, "сот"),))
    assert ids(filled.search(must_not, NO_FILTERS, 10)) == {"ru-1"}
    should_and_must_not = Bool(should=(Term(WORDS, "court"),), must_not=(Term(WORDS, "met"),))
    assert ids(filled.search(should_and_must_not, NO_FILTERS, 10)) == {"en-1"}
    # With a must, should clauses only add to the score.
    with_must = Bool(must=(Term(WORDS, "ivanov"),), should=(Term(WORDS, "court", boost=5.0),))
    page = filled.search(with_must, Filters(languages=("en",)), 10)
    assert ids(page) == {"en-1", "en-2"}
    # Nothing to match: nothing, not "everything but".
    assert filled.search(Bool(must_not=(Term(WORDS, "petrov"),)), NO_FILTERS, 10).total == 0
    nested = Bool(must=(AnyOf((Term(WORDS, "суд"), Term(WORDS, "сот"))), Fuzzy(WORDS, "иванов")))
    assert ids(filled.search(nested, NO_FILTERS, 10)) == {"ru-1", "kk-1"}


def test_filters(filled: ElasticsearchBackend) -> None:
    ivanov = Term(WORDS, "иванов")
    assert ids(filled.search(ivanov, Filters(languages=("kk",)), 10)) == {"kk-1"}
    assert ids(filled.search(ivanov, Filters(languages=("kk", "ru")), 10)) == {"ru-1", "kk-1"}
    court = Term(WORDS, "court")
    assert ids(filled.search(court, Filters(kinds=("media",)), 10)) == {"en-2"}
    assert filled.search(court, Filters(languages=("en",), kinds=("report",)), 10).total == 0


def test_paging_reports_total_and_stable_order(backend: ElasticsearchBackend) -> None:
    backend.add(doc(f"d{i:02}", "same words here") for i in range(25))
    first = backend.search(Term(WORDS, "same"), NO_FILTERS, 10)
    second = backend.search(Term(WORDS, "same"), NO_FILTERS, 10, offset=10)
    assert first.total == second.total == 25
    assert [h.id for h in first.hits] == [f"d{i:02}" for i in range(10)]  # equal scores: by id
    assert [h.id for h in second.hits] == [f"d{i:02}" for i in range(10, 20)]
    assert all(h.score > 0 for h in first.hits)


def test_add_replaces_by_id_and_delete(filled: ElasticsearchBackend) -> None:
    filled.add([doc("en-3", "a new text")])
    assert filled.count() == 5
    assert filled.search(Term(WORDS, "weather"), NO_FILTERS, 10).total == 0
    assert ids(filled.search(Term(WORDS, "new"), NO_FILTERS, 10)) == {"en-3"}
    filled.delete(["en-3", "en-2", "never-indexed"])
    assert filled.count() == 3
    assert ids(filled.search(Term(WORDS, "court"), NO_FILTERS, 10)) == {"en-1"}


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


def test_mapping_change_goes_through_rebuild(filled: ElasticsearchBackend, es_url: str, alias: str) -> None:
    old = filled.live_index()
    mappings = {
        **elastic_mapping.MAPPINGS,
        "properties": {**elastic_mapping.MAPPINGS["properties"], "source_domain": {"type": "keyword"}},
    }
    version = elastic_mapping.MAPPING_VERSION + 1
    newer = ElasticsearchBackend(es_url, alias, mapping_version=version, mappings=mappings)
    try:
        assert newer.mapping_outdated()
        assert newer.rebuild(corpus()) == 5
        live = newer.live_index()
        assert live is not None and live.startswith(f"{alias}-v{version}-")
        assert not newer.mapping_outdated() and filled.mapping_outdated()
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
    backend = ElasticsearchBackend(f"http://elastic:s3cret@127.0.0.1:{port}", "archive", initial_backoff=0.01)
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
