"""The chain of custody: every ingest is an entry, the store refuses changes, verify finds tampering; on
SQLite and on a real PostgreSQL server, triggers and migrations included."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from itertools import pairwise
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError

from archive.custody import GENESIS, check_chain
from archive.service import Archive, IngestRequest
from archive.settings import load_settings
from archive.store import DocumentStore
from tests.test_store import alembic_config, make_doc, sql


@pytest.fixture
def archive(tmp_path: Path, database_url: str):
    opened = Archive(load_settings(home=tmp_path / "home", backend="embedded", database_url=database_url))
    yield opened
    opened.close()


def ingest(archive: Archive, folder: Path, files: dict[str, bytes], by: str = "aigerim") -> list:
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    from archive.domain import Provenance

    request = IngestRequest(provenance=Provenance("field notes", by, ""))
    return list(archive.ingest_paths(sorted(folder.iterdir()), request))


@contextmanager
def database(archive: Archive) -> Iterator[Connection]:
    """A connection behind the store's back, each statement committed on its own."""
    engine = create_engine(archive.store.url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            yield conn
    finally:
        engine.dispose()


def drop_triggers(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("DROP TRIGGER custody_log_no_change ON custody_log"))
        conn.execute(text("DROP TRIGGER custody_log_no_truncate ON custody_log"))
    else:
        conn.execute(text("DROP TRIGGER custody_log_no_update"))
        conn.execute(text("DROP TRIGGER custody_log_no_delete"))


def test_every_ingest_outcome_is_a_linked_entry(archive: Archive, tmp_path: Path) -> None:
    results = ingest(archive, tmp_path / "in", {
        "a.txt": "Суд оштрафовал активиста в Алматы за одиночный пикет.".encode(),
        "b.txt": "Суд оштрафовал активиста в Алматы за одиночный пикет.".encode(),
        "broken.pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog",
    })
    assert [r.status for r in results] == ["created", "duplicate", "failed"]
    entries = list(archive.store.iter_custody())
    assert [(e.seq, e.action, e.status, e.actor) for e in entries] == [
        (1, "ingest", "created", "aigerim"), (2, "ingest", "duplicate", "aigerim"),
        (3, "ingest", "failed", "aigerim"),
    ]
    assert entries[0].prev_hash == GENESIS
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(entries))
    assert entries[0].document_id == entries[1].document_id == results[0].id
    assert entries[2].sha256 == results[2].sha256 and entries[2].error
    assert check_chain(entries).ok and archive.verify().ok
    assert [e.seq for e in archive.store.custody_of(results[0].id)] == [1, 2]


def test_the_store_refuses_to_change_or_delete_entries(archive: Archive, tmp_path: Path) -> None:
    ingest(archive, tmp_path / "in", {"a.txt": b"Report on the trial of a journalist in Astana."})
    with database(archive) as conn:
        with pytest.raises(DBAPIError, match="cannot be changed"):
            conn.execute(text("UPDATE custody_log SET actor = 'someone else'"))
        with pytest.raises(DBAPIError, match="cannot be changed"):
            conn.execute(text("DELETE FROM custody_log"))
        if conn.dialect.name == "postgresql":
            with pytest.raises(DBAPIError, match="cannot be changed"):
                conn.execute(text("TRUNCATE custody_log"))
    assert archive.verify().ok


def _three_entries(archive: Archive, tmp_path: Path) -> None:
    ingest(archive, tmp_path / "in", {
        f"{n}.txt": f"Report {n} on the trial of a journalist in Astana.".encode() for n in range(3)
    })


def test_verify_reports_an_edited_entry(archive: Archive, tmp_path: Path) -> None:
    _three_entries(archive, tmp_path)
    with database(archive) as conn:
        drop_triggers(conn)
        conn.execute(text("UPDATE custody_log SET actor = 'nobody' WHERE seq = 2"))
    report = archive.verify()
    assert not report.ok
    assert report.custody.broken is not None
    assert (report.custody.broken.seq, report.custody.broken.problem) == (2, "edited")


def test_verify_reports_an_entry_rewritten_with_a_fresh_hash(archive: Archive, tmp_path: Path) -> None:
    _three_entries(archive, tmp_path)
    entry = archive.store.custody_entries([2])[2]
    from dataclasses import replace

    forged = replace(entry, actor="nobody")
    with database(archive) as conn:
        drop_triggers(conn)
        conn.execute(text("UPDATE custody_log SET actor = :actor, hash = :hash WHERE seq = 2"),
                     {"actor": forged.actor, "hash": forged.computed_hash()})
    broken = archive.verify().custody.broken
    assert broken is not None and (broken.seq, broken.problem) == (2, "rewritten")


def test_verify_reports_a_deleted_entry(archive: Archive, tmp_path: Path, capsys, monkeypatch) -> None:
    _three_entries(archive, tmp_path)
    with database(archive) as conn:
        drop_triggers(conn)
        conn.execute(text("DELETE FROM custody_log WHERE seq = 2"))
    broken = archive.verify().custody.broken
    assert broken is not None and (broken.seq, broken.problem) == (2, "deleted")
    from archive.cli import main

    monkeypatch.setenv("ARCHIVE_DATABASE_URL", archive.store.url)
    assert main(["--home", str(archive.settings.home), "verify"]) == 1
    assert "entry 2 missing" in capsys.readouterr().out


def test_verify_checks_the_original_kept_from_a_failed_ingest(archive: Archive, tmp_path: Path) -> None:
    results = ingest(archive, tmp_path / "in", {"broken.pdf": b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog"})
    assert results[0].status == "failed" and results[0].sha256
    blob = archive.blobs.path_of(results[0].sha256)
    blob.chmod(0o644)
    blob.write_bytes(blob.read_bytes().replace(b"Catalog", b"Catalox"))
    report = archive.verify()
    assert [(e["sha256"], e["custody_seq"]) for e in report.altered] == [(results[0].sha256, 1)]
    blob.unlink()
    assert [e["sha256"] for e in archive.verify().missing] == [results[0].sha256]


def test_the_ingest_audit_trail_of_old_becomes_the_chain(database_url: str) -> None:
    url = database_url
    with DocumentStore(url) as store:
        doc = store.add(make_doc(1))
    command.downgrade(alembic_config(url), "0001")
    insert = ("INSERT INTO ingest_events (document_id, sha256, file, status, error, at)"
              " VALUES (:id, :sha256, :file, :status, :error, :at)")
    sql(url, insert, id=doc.id, sha256=doc.sha256, file="report-1.pdf", status="created", error=None,
        at=datetime(2024, 3, 1, 12, 0, 0, 123456))
    sql(url, insert, id=None, sha256=None, file="broken.pdf", status="failed", error="pypdf: EOF",
        at=datetime(2024, 3, 1, 12, 1))
    with DocumentStore(url) as store:
        entries = list(store.iter_custody())
        assert [(e.seq, e.status, e.subject) for e in entries] == [
            (1, "created", "report-1.pdf"), (2, "failed", "broken.pdf")
        ]
        assert check_chain(entries).ok
        appended = store.record_event(sha256=None, file="new.txt", status="failed", error="empty")
        assert appended.seq == 3 and appended.prev_hash == entries[-1].hash
        assert check_chain(store.iter_custody()).ok

