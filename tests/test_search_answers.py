"""Answers kept for searches asked again: found while nothing they depend on changed, never after."""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from archive.accounts import anonymous
from archive.analysis.entity_groups import CONFIRM, Decision
from archive.edits import DocumentChanges
from archive.index.base import IndexBackend, IndexDocument, Passage
from archive.index.elastic import ElasticsearchBackend
from archive.index.embedded import EmbeddedBackend
from archive.pipeline import IngestRequest
from archive.search.answers import Answers
from archive.service import Archive
from archive.settings import Settings, load_settings
from archive.store import DocumentStore
from tests.es_fixture import PATIENT, drop_test_indices
from tests.test_elastic_backend import drop_alias_indices

READER = anonymous(True)
REPORT = "Picket in Uralsk: Marat Zhylanbayev detained, fined {n} monthly indices."


def _upload(archive: Archive, n: int, **request: object) -> str:
    result = archive.ingest_upload(io.BytesIO(REPORT.format(n=n).encode()), f"report-{n}.txt",
                                   IngestRequest(**request))  # type: ignore[arg-type]
    assert result.status == "created" and result.id
    return result.id


def _found(archive: Archive, query: str = "Zhylanbayev") -> set[str]:
    return {hit.id for hit in archive.search(query, READER, limit=50).hits}


@pytest.fixture
def embedded(tmp_path: Path) -> Archive:
    opened = Archive(load_settings(home=tmp_path / "home", backend="embedded"))
    yield opened
    opened.close()


def test_a_search_asked_again_is_answered_from_what_was_kept(embedded: Archive) -> None:
    _upload(embedded, 1)
    first = embedded.search("Zhylanbayev", READER)
    assert embedded.search("Zhylanbayev", READER) is first
    assert embedded.search("Zhylanbayev", READER, limit=5) is not first  # another search
    assert embedded.search("Zhylanbayev") is not first  # another reader


def test_no_kept_answer_outlives_a_write_of_this_process(embedded: Archive) -> None:
    one = _upload(embedded, 1)
    assert _found(embedded) == {one}
    two = _upload(embedded, 2)
    assert _found(embedded) == {one, two}
    embedded.edit(two, DocumentChanges(access="restricted"))
    assert _found(embedded) == {one}
    embedded.edit(one, DocumentChanges(withdraw="a court order"))
    assert _found(embedded) == set()
    assert embedded.search("Zhylanbayev", READER).pending == 0


def _two_processes_keep_no_stale_answer(settings: Settings) -> None:
    server, other = Archive(settings), Archive(settings)  # two processes' views of one archive
    try:
        one = _upload(other, 1)
        assert _found(server) == {one}
        two = _upload(other, 2)
        assert _found(server) == {one, two}
        other.edit(one, DocumentChanges(access="restricted"))
        assert _found(server) == {two}
        assert server.search("Zhylanbayev", READER) is server.search("Zhylanbayev", READER)  # kept again
    finally:
        server.close()
        other.close()
        if settings.backend == "elasticsearch":
            drop_test_indices(settings)


def test_no_kept_answer_outlives_a_write_of_another_process(settings: Settings) -> None:
    _two_processes_keep_no_stale_answer(settings)


def test_no_kept_answer_outlives_a_write_of_another_process_on_either_database(
    tmp_path: Path, database_url: str
) -> None:
    _two_processes_keep_no_stale_answer(
        load_settings(home=tmp_path / "home", backend="embedded", database_url=database_url))


def test_the_store_mark_moves_with_every_commit_of_any_connection(database_url: str) -> None:
    reading, writing = DocumentStore(database_url), DocumentStore(database_url)  # as two processes
    try:
        before = reading.change_mark()
        assert before is not None and reading.change_mark() == before  # nothing committed
        writing.entities.add_decision(Decision(CONFIRM, "p:мамай жанболат"), "archivist")
        moved = reading.change_mark()
        assert moved != before
        reading.entities.add_decision(Decision(CONFIRM, "p:мамай жанболат"), "archivist")
        assert reading.change_mark() != moved  # the store's own writes come through another connection
    finally:
        reading.close()
        writing.close()


def test_reading_the_store_leaves_its_mark_where_it_was(database_url: str) -> None:
    store = DocumentStore(database_url)
    try:
        store.entities.add_decision(Decision(CONFIRM, "p:мамай жанболат"), "archivist")
        before = store.change_mark()
        assert store.entities.decisions() and store.count() == 0 and store.pending_count() == 0
        assert store.change_mark() == before
    finally:
        store.close()


def test_a_store_whose_server_dropped_the_connection_gives_no_mark_once_and_then_a_new_one(
    pg_server: str
) -> None:
    from tests.pg_fixture import fresh_database

    with fresh_database(pg_server) as url, DocumentStore(url) as store:
        assert store.change_mark() is not None
        with store._engine.connect() as admin:  # as a restarted server would, or an administrator
            admin.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                               "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
        assert store.change_mark() is None
        assert store.change_mark() is not None


def test_a_database_that_cannot_give_a_mark_keeps_no_answers() -> None:
    memory = DocumentStore("sqlite://")  # one shared connection: it would never see a change
    try:
        assert memory.change_mark() is None
    finally:
        memory.close()


@pytest.fixture
def index(backend_name: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[IndexBackend]:
    if backend_name == "embedded":
        opened: IndexBackend = EmbeddedBackend(tmp_path / "index")
    else:
        alias = f"t-{uuid.uuid4().hex[:12]}"
        url = request.getfixturevalue("es_url")
        opened = ElasticsearchBackend(url, alias, **PATIENT)
        request.addfinalizer(lambda: drop_alias_indices(url, alias))
    yield opened
    opened.close()


def test_the_index_mark_moves_with_every_commit(index: IndexBackend) -> None:
    first = index.change_mark()
    assert first is not None and index.change_mark() == first
    short = IndexDocument(id="d1", kind="report", language="en", access="public",
                          ingested_at=datetime(2026, 1, 5, tzinfo=UTC), fields={})
    index.add([short])
    second = index.change_mark()
    assert second != first and index.change_mark() == second
    passage = Passage(0, 5, "Marat", True, {})
    index.add([replace(short, id="d2", passages=(passage,))])  # the passages' index too
    third = index.change_mark()
    assert third not in (first, second)
    index.delete(["d1"])
    assert index.change_mark() not in (first, second, third)


def test_kept_answers_are_bounded_least_recently_asked_first_out() -> None:
    answers: Answers[str] = Answers(size=2)
    answers.put("a", "A")
    answers.put("b", "B")
    assert answers.get("a") == "A"  # "b" is now the least recently asked
    answers.put("c", "C")
    assert answers.get("b") is None
    assert (answers.get("a"), answers.get("c")) == ("A", "C")


def test_an_archive_set_to_keep_no_answers_works_each_search_out(tmp_path: Path) -> None:
    archive = Archive(load_settings(home=tmp_path / "home", backend="embedded", kept_answers=0))
    try:
        _upload(archive, 1)
        assert archive.search("Zhylanbayev", READER) is not archive.search("Zhylanbayev", READER)
    finally:
        archive.close()
