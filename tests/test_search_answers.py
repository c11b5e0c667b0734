"""Answers kept for searches asked again: found while nothing they depend on changed, never after."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.accounts import anonymous
from archive.analysis.entity_groups import CONFIRM, Decision
from archive.edits import DocumentChanges
from archive.index.base import IndexDocument
from archive.index.embedded import EmbeddedBackend
from archive.pipeline import IngestRequest
from archive.search.answers import Answers
from archive.service import Archive
from archive.settings import load_settings
from archive.store import DocumentStore

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


def test_no_kept_answer_outlives_a_write_of_another_process(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path / "home", backend="embedded")
    server, other = Archive(settings), Archive(settings)  # two processes' views of one data directory
    try:
        one = _upload(other, 1)
        assert _found(server) == {one}
        two = _upload(other, 2)
        assert _found(server) == {one, two}
        other.edit(one, DocumentChanges(access="restricted"))
        assert _found(server) == {two}
    finally:
        server.close()
        other.close()


def test_the_store_mark_moves_with_every_commit_of_any_connection(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    reading, writing = DocumentStore(url), DocumentStore(url)  # as two processes open one store
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


def test_a_database_that_cannot_give_a_mark_keeps_no_answers() -> None:
    memory = DocumentStore("sqlite://")  # one shared connection: it would never see a change
    try:
        assert memory.change_mark() is None
    finally:
        memory.close()


def test_the_embedded_index_mark_moves_with_every_commit(tmp_path: Path) -> None:
    backend = EmbeddedBackend(tmp_path / "index")
    first = backend.change_mark()
    assert backend.change_mark() == first
    entry = IndexDocument(id="d1", kind="report", language="en", access="public",
                          ingested_at=datetime(2026, 1, 5, tzinfo=UTC), fields={})
    backend.add([entry])
    second = backend.change_mark()
    assert second != first
    backend.delete(["d1"])
    assert backend.change_mark() not in (first, second)


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
