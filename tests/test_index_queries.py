"""What the index interface's queries mean, checked on both backends with the same assertions.

The query tree is built once in Python (archive/search/planner.py); each backend translates it. These
tests pin the meaning of every node so that the embedded engine and Elasticsearch answer alike.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from archive.index.base import (
    KEYS,
    NEWEST,
    RELEVANCE,
    STEMS,
    TITLE_WORDS,
    WORDS,
    AnyOf,
    Bool,
    Constant,
    Filters,
    IndexBackend,
    Phrase,
    Prefix,
    Term,
)
from tests.index_corpus import NO_FILTERS, corpus, doc, ids, long_doc

# Elasticsearch on one node, and on a local two-node cluster: an index of one primary shard with its
# replica on the other node, and an index of three primary shards (each with a replica).
LAYOUTS = {
    "elasticsearch": ("es_url", {}),
    "cluster-replicated": ("es_cluster_url", {}),
    "cluster-3-shards": ("es_cluster_url", {"number_of_shards": 3}),
}


@pytest.fixture(params=["embedded", *LAYOUTS])
def backend_name(request: pytest.FixtureRequest) -> str:
    if request.param != "embedded":
        request.applymarker(pytest.mark.elasticsearch)
    return request.param


@pytest.fixture
def backend(backend_name: str, tmp_path, request: pytest.FixtureRequest) -> Iterator[IndexBackend]:
    if backend_name == "embedded":
        from archive.index.embedded import EmbeddedBackend

        opened: IndexBackend = EmbeddedBackend(tmp_path / "index")
        yield opened
        opened.close()
        return
    from archive.index.elastic import ElasticsearchBackend
    from tests.es_fixture import PATIENT
    from tests.test_elastic_backend import drop_alias_indices

    url_fixture, index_settings = LAYOUTS[backend_name]
    url = request.getfixturevalue(url_fixture)
    alias = f"t-{uuid.uuid4().hex[:12]}"
    opened = ElasticsearchBackend(url, alias, index_settings=index_settings, **PATIENT)
    try:
        yield opened
    finally:
        opened.close()
        drop_alias_indices(url, alias)


@pytest.fixture
def filled(backend: IndexBackend) -> IndexBackend:
    backend.add(corpus())
    return backend


def test_term_matches_terms_verbatim(filled: IndexBackend) -> None:
    # The analysis happened in Python: no lower-casing or folding may happen in the index.
    assert ids(filled.search(Term(WORDS, "Oskemen"), NO_FILTERS, 10)) == {"ru-1"}
    assert ids(filled.search(Term(WORDS, "oskemen"), NO_FILTERS, 10)) == {"en-1"}
    assert ids(filled.search(Term(WORDS, "өскемен"), NO_FILTERS, 10)) == {"kk-1"}
    assert ids(filled.search(Term(KEYS, "oskemen"), NO_FILTERS, 10)) == {"ru-1", "kk-1"}
    assert ids(filled.search(Term(TITLE_WORDS, "weather"), NO_FILTERS, 10)) == {"en-3"}
    assert filled.search(Term(STEMS, "oskemen"), NO_FILTERS, 10).total == 0


def test_phrase_with_slop(filled: IndexBackend) -> None:
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


def test_any_of_scores_as_best_clause(filled: IndexBackend) -> None:
    query = AnyOf((Term(WORDS, "weather", boost=10.0), Term(WORDS, "petrov")))
    page = filled.search(query, NO_FILTERS, 10)
    assert ids(page) == {"en-1", "en-2", "en-3"}
    assert page.hits[0].id == "en-3"  # the boosted clause wins
    assert filled.search(AnyOf(()), NO_FILTERS, 10).total == 0


def test_prefix_matches_the_terms_that_begin_with_it(filled: IndexBackend) -> None:
    assert ids(filled.search(Prefix(KEYS, "oske"), NO_FILTERS, 10)) == {"ru-1", "kk-1"}
    assert ids(filled.search(Prefix(KEYS, "oskemen"), NO_FILTERS, 10)) == {"ru-1", "kk-1"}  # the term itself
    assert filled.search(Prefix(KEYS, "oskemenn"), NO_FILTERS, 10).total == 0
    assert filled.search(Prefix(KEYS, "skemen"), NO_FILTERS, 10).total == 0  # a beginning, not a part
    page = filled.search(Constant(Prefix(KEYS, "oske"), 2.5), NO_FILTERS, 10)
    assert {hit.score for hit in page.hits} == {2.5}


def test_bool_must_should_must_not(filled: IndexBackend) -> None:
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
    nested = Bool(must=(AnyOf((Term(WORDS, "суд"), Term(WORDS, "сот"))), Term(WORDS, "иванов")))
    assert ids(filled.search(nested, NO_FILTERS, 10)) == {"ru-1", "kk-1"}


def test_filters(filled: IndexBackend) -> None:
    ivanov = Term(WORDS, "иванов")
    assert ids(filled.search(ivanov, Filters(languages=("kk",)), 10)) == {"kk-1"}
    assert ids(filled.search(ivanov, Filters(languages=("kk", "ru")), 10)) == {"ru-1", "kk-1"}
    court = Term(WORDS, "court")
    assert ids(filled.search(court, Filters(kinds=("media",)), 10)) == {"en-2"}
    assert filled.search(court, Filters(languages=("en",), kinds=("report",)), 10).total == 0


def test_paging_reports_total_and_stable_order(backend: IndexBackend) -> None:
    backend.add(doc(f"d{i:02}", "same words here") for i in range(25))
    first = backend.search(Term(WORDS, "same"), NO_FILTERS, 10)
    second = backend.search(Term(WORDS, "same"), NO_FILTERS, 10, offset=10)
    assert first.total == second.total == 25
    assert [h.id for h in first.hits] == [f"d{i:02}" for i in range(10)]  # equal scores: by id
    assert [h.id for h in second.hits] == [f"d{i:02}" for i in range(10, 20)]
    assert all(h.score > 0 for h in first.hits)


def test_equal_scores_come_by_id_however_the_index_was_filled(backend: IndexBackend) -> None:
    """Ties are ordered by id (the order documents were archived in) on every page and in both sorts,
    whatever the order and the batches (segments) they were indexed in."""
    plain = [f"d{n:02}" for n in range(30)]
    stronger = [f"z{n}" for n in range(4)]  # score higher: they lead, in id order among themselves
    shuffled = [*plain, *stronger]
    random.Random(7).shuffle(shuffled)
    for start in range(0, len(shuffled), 6):
        backend.add(doc(name, "same same words" if name in stronger else "same words here")
                    for name in shuffled[start:start + 6])
    query = Term(WORDS, "same")
    for sort, expected in ((RELEVANCE, stronger + plain), (NEWEST, sorted(plain + stronger))):
        pages = [backend.search(query, NO_FILTERS, 7, offset, sort=sort) for offset in range(0, 34, 7)]
        assert [hit.id for page in pages for hit in page.hits] == expected, sort
        assert {page.total for page in pages} == {34}


def test_documents_archived_within_one_second_come_by_id_newest_first(backend: IndexBackend) -> None:
    second = datetime(2024, 5, 1, 12, 0, 7, tzinfo=UTC)
    backend.add(replace(doc(name, "same words"), ingested_at=second + timedelta(milliseconds=ms))
                for name, ms in (("a", 100), ("b", 500), ("c", 900)))
    backend.add([replace(doc("z", "same words"), ingested_at=second + timedelta(seconds=1))])
    page = backend.search(Term(WORDS, "same"), NO_FILTERS, 10, sort=NEWEST)
    assert [hit.id for hit in page.hits] == ["z", "a", "b", "c"]


def test_add_replaces_by_id_and_delete(filled: IndexBackend) -> None:
    filled.add([doc("en-3", "a new text")])
    assert filled.count() == 5
    assert filled.search(Term(WORDS, "weather"), NO_FILTERS, 10).total == 0
    assert ids(filled.search(Term(WORDS, "new"), NO_FILTERS, 10)) == {"en-3"}
    filled.delete(["en-3", "en-2", "never-indexed"])
    assert filled.count() == 3
    assert ids(filled.search(Term(WORDS, "court"), NO_FILTERS, 10)) == {"en-1"}


def test_terms_no_document_holds_change_nothing(filled: IndexBackend) -> None:
    """Most near keys of a word occur nowhere; whether an engine skips them or not, answers and
    scores are those of the query without them."""
    absent = Term(KEYS, "zzzqqq", boost=50.0)
    plain = filled.search(Term(WORDS, "petrov"), NO_FILTERS, 10)
    with_absent = filled.search(AnyOf((Term(WORDS, "petrov"), absent)), NO_FILTERS, 10)
    assert [(h.id, h.score) for h in with_absent.hits] == [(h.id, pytest.approx(h.score)) for h in plain.hits]
    should = filled.search(Bool(should=(Term(WORDS, "petrov"), absent)), NO_FILTERS, 10)
    assert [(h.id, h.score) for h in should.hits] == [(h.id, pytest.approx(h.score)) for h in plain.hits]
    assert filled.search(absent, NO_FILTERS, 10).total == 0
    assert filled.search(AnyOf((absent, Term(WORDS, "nowhere"))), NO_FILTERS, 10).total == 0
    assert filled.search(Bool(must=(Term(WORDS, "petrov"), absent)), NO_FILTERS, 10).total == 0
    assert filled.search(Phrase(WORDS, ("petrov", "zzzqqq")), NO_FILTERS, 10).total == 0
    assert ids(filled.search(Bool(must=(Term(WORDS, "petrov"),), must_not=(absent,)), NO_FILTERS, 10)) == {
        "en-1",
        "en-2",
    }
    assert filled.search(Bool(should=(absent,), must_not=(Term(WORDS, "met"),)), NO_FILTERS, 10).total == 0


SUD_OR_IVANOV = Bool(should=(Term(WORDS, "иванов"), Term(WORDS, "суд")))


@pytest.fixture
def with_passages(backend: IndexBackend) -> IndexBackend:
    backend.add(
        [
            long_doc("a", ["суд вызвал свидетелей", "погода была ясной", "иванов и суд иванов"]),
            long_doc("b", ["отчёт о погоде", "показания иванов дал"]),
            long_doc("c", ["суд отложил заседание"]),
            doc("short", "суд иванов"),
        ]
    )
    return backend


def test_best_passages_gives_each_documents_best_passage(with_passages: IndexBackend) -> None:
    found = with_passages.best_passages(SUD_OR_IVANOV, ["a", "b", "c", "short", "never-indexed"])
    assert set(found) == {"a", "b", "c"}  # a document without passages has none to give
    assert found["a"].text == "иванов и суд иванов" and found["a"].last
    assert (found["a"].start, found["a"].end) == (40, 59)
    assert found["b"].text == "показания иванов дал"
    assert found["c"].text == "суд отложил заседание" and found["c"].start == 0
    assert found["a"].score > found["c"].score > 0
    assert set(with_passages.best_passages(SUD_OR_IVANOV, ["c"])) == {"c"}
    assert with_passages.best_passages(Term(WORDS, "погода"), ["a", "b"]).keys() == {"a"}


def test_a_documents_passages_go_with_it(with_passages: IndexBackend) -> None:
    with_passages.delete(["a"])
    assert set(with_passages.best_passages(SUD_OR_IVANOV, ["a", "b", "c"])) == {"b", "c"}
    with_passages.add([doc("b", "now short, no passages")])  # replaced
    assert set(with_passages.best_passages(SUD_OR_IVANOV, ["a", "b", "c"])) == {"c"}
    with_passages.add([long_doc("c", ["новый текст", "суд снова"])])
    assert with_passages.best_passages(SUD_OR_IVANOV, ["c"])["c"].text == "суд снова"


def test_rebuild_brings_the_passages_along(with_passages: IndexBackend) -> None:
    with_passages.rebuild([long_doc("d", ["суд", "иванов"]), doc("short", "суд")])
    assert set(with_passages.best_passages(SUD_OR_IVANOV, ["a", "b", "c", "d", "short"])) == {"d"}


def test_rebuild_without_long_documents_leaves_no_passages(with_passages: IndexBackend) -> None:
    with_passages.rebuild([doc("short", "суд")])
    assert with_passages.best_passages(SUD_OR_IVANOV, ["a", "b", "c"]) == {}


def test_no_passages_yet_answers_empty(backend: IndexBackend) -> None:
    assert backend.best_passages(SUD_OR_IVANOV, ["a"]) == {}
    backend.add([doc("short", "суд иванов")])
    assert backend.best_passages(SUD_OR_IVANOV, ["short"]) == {}
