"""The store of record keeps every document's metadata faithfully, once per original, on real SQLite and
a real PostgreSQL server (tests/pg_fixture.py): every test that takes `database_url` runs on both."""

from __future__ import annotations

import hashlib
import multiprocessing
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from archive.custody import check_chain
from archive.domain import AccessLevel, Document, Kind, LanguageSpan, Provenance
from archive.store import DocumentStore, DuplicateDocument, NewDocument, new_document_id
from archive.store.models import Base
from archive.store.store import MIGRATIONS_DIR, SCHEMA_HEAD

ALMATY = timezone(timedelta(hours=5))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def sql(url: str, statement: str, **params: object) -> list[tuple]:
    """Runs one statement on the database behind the store's back (committed); the rows it returns."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(statement), params)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        engine.dispose()


@pytest.fixture
def store(database_url: str):
    s = DocumentStore(database_url)
    yield s
    s.close()


def make_doc(n: int = 0, **changes: object) -> Document:
    values: dict = {
        "id": new_document_id(),
        "kind": Kind.REPORT,
        "title": f"Report {n}",
        "language": "en",
        "text": f"text of report {n}",
        "sha256": hashlib.sha256(f"original {n}".encode()).hexdigest(),
        "size": 100 + n,
        "media_type": "application/pdf",
        "original_name": f"report-{n}.pdf",
        "ingested_at": datetime(2024, 3, 1, 12, 0, tzinfo=UTC) + timedelta(minutes=n),
    }
    values.update(changes)
    return Document(**values)


def ruling() -> Document:
    return make_doc(
        1,
        kind=Kind.RULING,
        title="Приговор по делу Жанболата Мамая",
        language="mixed",
        text="Приговор суда. " * 20000 + "Сот үкімі. " * 20000 + "The verdict.",
        media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        original_name="приговор №2-1234.docx",
        ingested_at=datetime(2024, 3, 1, 17, 30, 15, 123456, tzinfo=ALMATY),
        provenance=Provenance(source="https://sud.gov.kz/case/2-1234", ingested_by="айгерім", note="копия"),
        spans=[
            LanguageSpan(0, 300000, "ru"),
            LanguageSpan(300000, 520000, "kk"),
            LanguageSpan(520000, 520012, "en"),
        ],
        metadata={
            "court": "Специализированный межрайонный суд по уголовным делам г. Алматы",
            "case_number": "2-1234/2023",
            "decision_date": "2023-04-17",
            "articles": ["274 ч.4 п.2 УК РК", "405 ч.2"],
            "nested": {"ключ": [1, 2.5, None, True]},
        },
        access=AccessLevel.RESTRICTED,
    )


def test_round_trip_of_every_field(store: DocumentStore) -> None:
    doc = ruling()
    stored = store.add(doc)

    assert stored == doc  # aware datetimes compare by instant
    assert stored.ingested_at.tzinfo == UTC
    assert stored.ingested_at == datetime(2024, 3, 1, 12, 30, 15, 123456, tzinfo=UTC)
    assert isinstance(stored.kind, Kind) and isinstance(stored.access, AccessLevel)
    for got in (store.get(doc.id), store.get_by_sha256(doc.sha256), store.get_many([doc.id])[doc.id]):
        assert got == doc
        assert got is not None and got.ingested_at.tzinfo == UTC
        assert got.metadata["court"].startswith("Специализированный")
        assert got.spans[1] == LanguageSpan(300000, 520000, "kk")
    assert store.get("nope") is None
    assert store.get_by_sha256("0" * 64) is None
    assert store.count() == 1


def test_metadata_is_stored_readably(store: DocumentStore, database_url: str) -> None:
    doc = store.add(ruling())
    [(raw,)] = sql(database_url, "SELECT CAST(metadata AS TEXT) FROM documents WHERE id = :id", id=doc.id)
    assert "Специализированный" in raw  # UTF-8, not \\u escapes


def test_dates_in_metadata_become_iso_strings(store: DocumentStore) -> None:
    doc = make_doc(metadata={"published_date": datetime(2024, 1, 2, tzinfo=UTC).date()})
    assert store.add(doc).metadata == {"published_date": "2024-01-02"}


def test_empty_id_gets_a_fresh_one(store: DocumentStore) -> None:
    stored = store.add(make_doc(id=""))
    assert len(stored.id) == 16 and store.get(stored.id) == stored


def test_naive_datetime_and_bad_hash_refused(store: DocumentStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        store.add(make_doc(ingested_at=datetime(2024, 1, 1)))
    with pytest.raises(ValueError, match="SHA-256"):
        store.add(make_doc(sha256="ABC"))
    assert store.count() == 0


def test_get_many_skips_unknown_and_spans_many_chunks(store: DocumentStore) -> None:
    docs = [store.add(make_doc(n)) for n in range(510)]
    wanted = [d.id for d in docs] + ["missing-id"]
    found = store.get_many(wanted)
    assert set(found) == {d.id for d in docs}
    assert found[docs[509].id] == docs[509]
    assert store.get_many([]) == {}


def test_duplicate_sha256(store: DocumentStore) -> None:
    first = store.add(make_doc(1))
    with pytest.raises(DuplicateDocument) as err:
        store.add(make_doc(1, title="another upload of the same bytes"))
    assert err.value.existing == first
    assert store.count() == 1


def test_a_batch_is_stored_in_one_go_and_a_duplicate_in_it_comes_back_as_one(store: DocumentStore) -> None:
    first = store.add(make_doc(1), event_file="one.pdf")
    batch = [NewDocument(make_doc(n), event_file=f"{n}.pdf", actor="aigerim") for n in (2, 3, 1, 4)]
    added = store.add_many(batch)
    assert isinstance(added[2], DuplicateDocument) and added[2].existing == first
    assert [d.title for d in added if isinstance(d, Document)] == ["Report 2", "Report 3", "Report 4"]
    assert store.count() == 4
    created = [e for e in store.custody_by_action("ingest") if e.status == "created"]
    assert [e.subject for e in created] == ["one.pdf", "2.pdf", "3.pdf", "4.pdf"]
    assert [e.actor for e in created][1:] == ["aigerim"] * 3
    assert check_chain(list(store.iter_custody())).ok
    clean = store.add_many([NewDocument(make_doc(n), event_file=f"{n}.pdf") for n in (5, 6)])
    assert all(isinstance(d, Document) for d in clean) and store.count() == 6


@pytest.mark.parametrize("shared", [True, False], ids=["one-store", "store-per-thread"])
def test_duplicate_sha256_under_a_race(database_url: str, shared: bool) -> None:
    stores = [DocumentStore(database_url)]
    stores += stores * 7 if shared else [DocumentStore(database_url) for _ in range(7)]
    barrier = threading.Barrier(len(stores))
    added: list[Document] = []
    duplicates: list[Document] = []
    errors: list[BaseException] = []

    def add(s: DocumentStore, n: int) -> None:
        try:
            barrier.wait()
            added.append(s.add(make_doc(7, title=f"upload {n}")))
        except DuplicateDocument as exc:
            duplicates.append(exc.existing)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(s, n)) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in set(stores):
        s.close()

    assert errors == []
    assert len(added) == 1 and len(duplicates) == len(stores) - 1
    assert all(d == added[0] for d in duplicates)


def _open_and_add(url: str, n: int, barrier: object, results: object) -> None:
    barrier.wait()  # type: ignore[attr-defined]
    with DocumentStore(url) as s:
        for i in range(20):
            s.add(make_doc(n * 100 + i))
            s.record_event(sha256=None, file=f"{n}-{i}", status="created")
    results.put(n)  # type: ignore[attr-defined]


def test_processes_create_and_fill_one_database_at_once(database_url: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(3)
    results = ctx.Queue()
    url = database_url
    processes = [ctx.Process(target=_open_and_add, args=(url, n, barrier, results)) for n in range(3)]
    for p in processes:
        p.start()
    done = sorted(results.get(timeout=120) for _ in processes)
    for p in processes:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert done == [0, 1, 2]
    with DocumentStore(url) as s:
        assert s.count() == 60
        assert len(s.events(limit=1000)) == 60


def test_iter_documents_streams_in_stable_order(store: DocumentStore) -> None:
    ids = sorted(store.add(make_doc(n)).id for n in range(7))
    assert [d.id for d in store.iter_documents(batch_size=3)] == ids

    store.mark_indexed(ids[1:5])
    assert [d.id for d in store.iter_documents(batch_size=2, only_pending=True)] == [ids[0], *ids[5:]]

    # Lazy: marking documents indexed while walking the pending ones neither skips nor repeats any.
    seen = []
    for doc in store.iter_documents(batch_size=2, only_pending=True):
        seen.append(doc.id)
        store.mark_indexed([doc.id])
    assert seen == [ids[0], *ids[5:]]
    assert list(store.iter_documents(only_pending=True)) == []
    assert [i for i, _ in store.iter_shas()] == ids


def test_iter_documents_is_lazy(store: DocumentStore) -> None:
    first = store.add(make_doc(1, id="a" * 16))
    walk = store.iter_documents(batch_size=1)
    assert next(walk) == first
    later = store.add(make_doc(2, id="b" * 16))  # added after the walk began, sorts after it
    assert list(walk) == [later]


def test_index_state(store: DocumentStore) -> None:
    docs = [store.add(make_doc(n)) for n in range(4)]
    ids = [d.id for d in docs]
    assert store.pending_count() == 4 and not docs[0].indexed

    store.mark_indexed(ids[:3])
    assert store.pending_count() == 1
    assert store.get(ids[0]).indexed  # type: ignore[union-attr]
    assert store.index_error(ids[0]) is None

    store.mark_pending(ids[:2], "elasticsearch: connection refused")
    assert store.pending_count() == 3
    assert not store.get(ids[0]).indexed  # type: ignore[union-attr]
    assert store.index_error(ids[0]) == "elasticsearch: connection refused"

    store.mark_indexed(ids)
    assert store.pending_count() == 0 and store.index_error(ids[0]) is None
    store.mark_indexed([])  # nothing to do is fine


def test_iter_shas_pairs(store: DocumentStore) -> None:
    docs = [store.add(make_doc(n)) for n in range(5)]
    assert sorted(store.iter_shas()) == sorted((d.id, d.sha256) for d in docs)


def test_ingest_events(store: DocumentStore) -> None:
    doc = store.add(make_doc(1))
    store.record_event(sha256=doc.sha256, file="report-1.pdf", status="created", document_id=doc.id)
    store.record_event(sha256=doc.sha256, file="copy of report-1.pdf", status="duplicate", document_id=doc.id)
    store.record_event(sha256=None, file="broken.pdf", status="failed", error="pypdf: EOF marker not found")
    with pytest.raises(ValueError):
        store.record_event(sha256=None, file="x", status="ok")

    events = store.events()
    assert [e.status for e in events] == ["failed", "duplicate", "created"]
    assert events[0].error == "pypdf: EOF marker not found" and events[0].document_id is None
    assert events[2].document_id == doc.id and events[2].at.tzinfo == UTC
    assert [e.file for e in store.events(status="failed")] == ["broken.pdf"]


# --- migrations ------------------------------------------------------------------------------------


def alembic_config(url: str) -> Config:
    config = Config(str(MIGRATIONS_DIR.parent / "alembic.ini"))
    config.set_main_option("sqlalchemy.url", url)
    return config


def migrated_to(url: str, revision: str) -> None:
    """A database at an older revision of the schema, as an archive of that version left it."""
    if url.startswith("sqlite:///"):  # alembic, unlike the store, makes no folders
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), revision)


def stored_revision(url: str) -> list[str]:
    return [row[0] for row in sql(url, "SELECT version_num FROM alembic_version")]


def test_schema_head_matches_the_migrations() -> None:
    assert ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() == SCHEMA_HEAD


def test_fresh_database_is_migrated_and_matches_the_models(store: DocumentStore, database_url: str) -> None:
    assert stored_revision(database_url) == [SCHEMA_HEAD]
    if database_url.startswith("sqlite"):
        assert sql(database_url, "PRAGMA journal_mode") == [("wal",)]
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
    engine.dispose()


def test_reopen_keeps_data(database_url: str) -> None:
    url = database_url
    with DocumentStore(url) as s:
        doc = s.add(ruling())
        s.record_event(sha256=doc.sha256, file="f", status="created", document_id=doc.id)
    for _ in range(3):
        with DocumentStore(url) as s:
            assert s.get(doc.id) == doc
    assert stored_revision(url) == [SCHEMA_HEAD]


def test_migrations_rerun_from_the_command_line_config(database_url: str) -> None:
    url = database_url
    with DocumentStore(url) as s:
        doc = s.add(make_doc(1))
    config = alembic_config(url)
    command.upgrade(config, "head")  # already there: nothing happens
    with DocumentStore(url) as s:
        assert s.get(doc.id) == doc

    command.downgrade(config, "base")
    assert stored_revision(url) == []
    with DocumentStore(url) as s:  # an emptied database is migrated again on open
        assert s.count() == 0
        s.add(make_doc(1))
    assert stored_revision(url) == [SCHEMA_HEAD]


def test_grants_of_one_document_to_one_user_are_carried_into_grants_by_group_and_collection(
    database_url: str,
) -> None:
    migrated_to(database_url, "0005")
    sql(database_url, "INSERT INTO users (id, name, role, password_hash, disabled, created_at) "
                      "VALUES (7, 'dana', 'researcher', 'x', false, '2026-01-01 00:00:00')")
    sql(database_url, "INSERT INTO grants (user_id, document_id, created_at) "
                      "VALUES (7, 'doc1', '2026-01-01 00:00:00')")
    with DocumentStore(database_url) as store:
        grants = store.accounts.granted(7)
    assert grants.documents == {"doc1"} and grants.collections == frozenset()
    assert stored_revision(database_url) == [SCHEMA_HEAD]


def test_mentions_stored_one_row_each_are_folded_into_one_row_for_each_way_a_name_is_written(
    database_url: str,
) -> None:
    migrated_to(database_url, "0010")
    for start, surface in ((40, "Оспан"), (9, "Оспан"), (20, "Оспана")):
        sql(database_url, "INSERT INTO entity_mentions (document_id, start, \"end\", surface, key, kind, "
                          "language, entity_id) VALUES ('doc1', :start, :end, :surface, 'w:ospan', 'name', "
                          "'ru', 'e1')", start=start, end=start + len(surface), surface=surface)
    migrated_to(database_url, "0011")
    rows = sql(database_url, "SELECT surface, start, \"end\", occurrences, entity_id FROM entity_mentions "
                             "ORDER BY start")
    assert rows == [("Оспан", 9, 14, 2, "e1"), ("Оспана", 20, 26, 1, "e1")]


def test_each_mention_keys_entity_moves_to_one_row_and_its_spellings_are_counted(database_url: str) -> None:
    migrated_to(database_url, "0011")
    for document, surface, key, entity, n in (("doc1", "Оспан", "w:ospan", "e1", 2),
                                              ("doc2", "Оспан", "w:ospan", "e1", 3),
                                              ("doc2", "Оспана", "w:ospan", "e1", 1),
                                              ("doc2", "Zhukov", "w:zhukov", None, 1)):
        sql(database_url, "INSERT INTO entity_mentions (document_id, start, \"end\", surface, key, kind, "
                          "language, entity_id, occurrences) VALUES (:document, 0, 5, :surface, :key, "
                          "'name', 'ru', :entity, :n)",
            document=document, surface=surface, key=key, entity=entity, n=n)
    DocumentStore(database_url).close()
    spellings = sql(database_url, "SELECT * FROM mention_spellings ORDER BY surface")
    assert spellings == [
        ("w:zhukov", "name", "Zhukov", 1), ("w:ospan", "name", "Оспан", 5), ("w:ospan", "name", "Оспана", 1)]
    keys = sql(database_url, "SELECT key, entity_id FROM mention_keys")
    assert keys == [("w:ospan", "e1")]  # Zhukov's was not grouped yet
    assert stored_revision(database_url) == [SCHEMA_HEAD]
    command.downgrade(alembic_config(database_url), "0011")
    assert sql(database_url, "SELECT document_id, surface, entity_id FROM entity_mentions ORDER BY id") == [
        ("doc1", "Оспан", "e1"), ("doc2", "Оспан", "e1"), ("doc2", "Оспана", "e1"), ("doc2", "Zhukov", None)]


def test_unknown_newer_schema_is_refused(database_url: str) -> None:
    DocumentStore(database_url).close()
    sql(database_url, "UPDATE alembic_version SET version_num = '9999'")
    from archive.store import SchemaTooNew

    with pytest.raises(SchemaTooNew, match="9999"):
        DocumentStore(database_url)


def test_in_memory_database(tmp_path: Path) -> None:
    with DocumentStore("sqlite://") as s:
        s.add(make_doc(1))
        assert s.count() == 1


def test_new_document_id() -> None:
    ids = [new_document_id() for _ in range(10000)]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 16 and i.isalnum() and i == i.lower() for i in ids)
    earlier = new_document_id()
    time.sleep(0.002)
    assert new_document_id() > earlier  # time-sortable prefix
    assert ids == sorted(ids)  # within a millisecond too: in the order they were made


def test_a_database_without_its_driver_is_one_clear_line(tmp_path: Path, monkeypatch, capsys) -> None:
    from archive.cli import main

    monkeypatch.setenv("ARCHIVE_DATABASE_URL", "postgresql+psycopg2://archive@127.0.0.1/archive")
    assert main(["--home", str(tmp_path / "home"), "search", "Mamay"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "needs its driver" in error and "Traceback" not in error


def test_a_plain_postgresql_url_means_the_installed_driver() -> None:
    from archive.settings import database_url

    assert database_url("postgresql://a@h/db") == "postgresql+psycopg://a@h/db"
    assert database_url("postgres://a@h/db") == "postgresql+psycopg://a@h/db"
    assert database_url("postgresql+psycopg2://a@h/db") == "postgresql+psycopg2://a@h/db"
