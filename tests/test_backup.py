"""Lots of copies: a backup taken while an ingest runs, restored on a fresh data directory; a blob damaged
in one of two stores repaired from the other; a store moved from SQLite to PostgreSQL. On a folder and a
SQLite file, and on a bucket and a PostgreSQL server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from archive.cli import main
from archive.domain import Provenance
from archive.service import Archive, IngestRequest
from archive.settings import load_settings
from tests.blob_places import damage, delete, stored_bytes
from tests.conftest import s3_settings
from tests.pg_fixture import fresh_database

QUERIES = ["Mamay", "Жанболат", "Tokayev", '"hunger strike"', "Almaty -Astana", "Мамаю"]
PLACES = ["sqlite+directory", "postgresql+s3"]


def report(n: int) -> bytes:
    people = ["Жанболат Мамай", "Zhanbolat Mamay", "Тоқаев", "Tokayev", "Мамаю"]
    cities = ["Almaty", "Astana", "Алматы", "Oskemen"]
    return (f"Report {n}: {people[n % len(people)]} in {cities[n % len(cities)]}; a hunger strike on day "
            f"{n}. The court of {cities[(n + 1) % len(cities)]} heard case {n * 7}.").encode()


@pytest.fixture(params=PLACES)
def place(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict]:
    """`fresh()` gives the settings of a new, empty archive of one kind: its own home, database and blobs."""
    database, blobs = request.param.split("+")
    homes = iter(range(100))
    with ExitStack() as databases:

        def fresh() -> dict:
            overrides: dict = {"home": tmp_path / f"home-{next(homes)}", "backend": "embedded"}
            if database == "postgresql":
                server = request.getfixturevalue("pg_server")
                overrides["database_url"] = databases.enter_context(fresh_database(server))
            if blobs == "s3":
                overrides.update(s3_settings(request.getfixturevalue("s3_server")))
            return overrides

        yield {"fresh": fresh}


def answers(archive: Archive) -> list[tuple]:
    """Each query's total and hits (score, id, snippet), in their order: ties come by id, so a rebuilt
    index orders them as the one grown document by document did."""
    found = []
    for query in QUERIES:
        result = archive.search(query, limit=100)
        hits = [(hit.score, hit.id, hit.snippet) for hit in result.hits]
        found.append((query, result.total, hits))
    return found


def documents(archive: Archive) -> dict[str, object]:
    return {doc.id: doc for doc in archive.store.iter_documents()}


def ingest_files(archive: Archive, folder: Path, numbers: range) -> list:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in numbers:
        path = folder / f"report-{n:03}.txt"
        path.write_bytes(report(n))
        paths.append(path)
    request = IngestRequest(provenance=Provenance("field notes", "aigerim", ""))
    return list(archive.ingest_paths(paths, request))


def test_a_backup_taken_during_an_ingest_restores_whole(place: dict, tmp_path: Path) -> None:
    source = Archive(load_settings(**place["fresh"]()))
    try:
        ingest_files(source, tmp_path / "first", range(10))
        started, go = threading.Event(), threading.Event()
        results: list = []
        paths = [tmp_path / "more" / f"report-{n:03}.txt" for n in range(10, 60)]
        (tmp_path / "more").mkdir()
        for n, path in zip(range(10, 60), paths, strict=True):
            path.write_bytes(report(n))

        def ingest() -> None:
            request = IngestRequest(provenance=Provenance("field notes", "aigerim", ""))
            for result in source.ingest_paths(paths, request):
                results.append(result)
                if not started.is_set():
                    started.set()  # one of the batch is in; the rest go on while the backup runs
                    go.wait()

        writer = threading.Thread(target=ingest)
        writer.start()
        started.wait()
        go.set()
        during = source.backup(tmp_path / "backup-during")
        ingested_meanwhile = len(results)
        writer.join()
        assert len(results) == 50 and all(r.status == "created" for r in results) and not during.problems
        assert 11 <= during.documents <= 60
        print(f"backup during the ingest: {during.documents} documents of 60, ingest at {ingested_meanwhile}")

        restored = Archive(load_settings(**place["fresh"]()))
        try:
            restored.restore(tmp_path / "backup-during")
            assert restored.verify().ok
            kept, original = documents(restored), documents(source)
            assert len(kept) == during.documents
            assert all(original[i] == doc for i, doc in kept.items())  # a moment of the source, exactly
            head = restored.store.custody_head()
            assert head is not None and source.store.custody_entries([head.seq])[head.seq].hash == head.hash
            for doc in kept.values():
                assert restored.blobs.read_verified(doc.sha256) == source.blobs.read_verified(doc.sha256)
        finally:
            restored.close()

        after = source.backup(tmp_path / "backup-during")  # the same folder again: only what is new
        assert after.documents == 60 and after.blobs_already_there == during.blobs_copied
        again = Archive(load_settings(**place["fresh"]()))
        try:
            again.restore(tmp_path / "backup-during")
            assert again.verify().ok
            assert documents(again) == documents(source)
            assert answers(again) == answers(source)
        finally:
            again.close()
    finally:
        source.close()


def test_restore_refuses_what_is_not_a_backup_and_a_home_that_is_not_empty(tmp_path: Path, capsys) -> None:
    home = tmp_path / "home"
    source = Archive(load_settings(home=home, backend="embedded"))
    ingest_files(source, tmp_path / "in", range(2))
    source.close()
    assert main(["--home", str(home), "backup", str(tmp_path / "in")]) == 1  # a folder with files in it
    assert "neither empty nor a backup" in capsys.readouterr().err
    assert main(["--home", str(tmp_path / "new"), "restore", str(tmp_path / "in")]) == 1
    assert "not a finished backup" in capsys.readouterr().err
    assert main(["--home", str(home), "backup", str(tmp_path / "b")]) == 0
    (tmp_path / "b" / "backup.json").unlink()  # as if interrupted: the same folder takes it again
    assert main(["--home", str(home), "backup", str(tmp_path / "b")]) == 0
    settings = json.loads((tmp_path / "b" / "settings.json").read_text())
    assert settings["backend"] == "embedded" and "s3_secret_access_key" not in settings
    assert main(["--home", str(home), "restore", str(tmp_path / "b")]) == 1  # it has documents already
    assert "not empty" in capsys.readouterr().err
    assert main(["--home", str(tmp_path / "new"), "restore", str(tmp_path / "b")]) == 0
    assert main(["--home", str(tmp_path / "new"), "verify"]) == 0


def test_a_damaged_copy_is_repaired_from_the_other_with_a_custody_entry(tmp_path: Path, blob_settings: dict):
    """The first store on a folder or a bucket, the copy in a folder of another disk."""
    copy_dir = tmp_path / "other-disk" / "blobs"
    settings = load_settings(home=tmp_path / "home", backend="embedded", blobs_copy_url=str(copy_dir),
                             **blob_settings)
    archive = Archive(settings)
    try:
        results = ingest_files(archive, tmp_path / "in", range(3))
        first, copy = archive.blobs.stores()
        flipped, gone = results[0].sha256, results[1].sha256
        for sha256 in (flipped, gone):
            assert stored_bytes(first, sha256) == stored_bytes(copy, sha256)
        good = stored_bytes(copy, flipped)
        damage(copy, flipped, bytes([good[0] ^ 1]) + good[1:])
        delete(first, gone)
        assert archive.original_state(archive.store.get(results[0].id)) == "ok"  # served from a good copy
        assert b"".join(archive.blobs.open_verified(gone)) == report(1)

        checked = archive.verify()
        assert checked.ok and not checked.missing and not checked.altered
        assert sorted((r["sha256"], r["copy"], r["was"], r["from"]) for r in checked.repaired) == sorted([
            (flipped, "copy", "altered", "blobs"), (gone, "blobs", "missing", "copy")])
        assert stored_bytes(copy, flipped) == good and stored_bytes(first, gone) == report(1)
        repairs = [e for e in archive.store.iter_custody() if e.action == "repair"]
        assert sorted((e.sha256, e.details["was"]) for e in repairs) == sorted(
            [(flipped, "altered"), (gone, "missing")])
        assert all(e.actor == "archive verify" and e.subject == e.details["location"] for e in repairs)
        assert archive.verify().repaired == []  # whole again: nothing left to repair
    finally:
        archive.close()


def test_a_blob_bad_in_every_copy_is_reported_not_repaired(tmp_path: Path) -> None:
    copy = str(tmp_path / "copy")
    settings = load_settings(home=tmp_path / "home", backend="embedded", blobs_copy_url=copy)
    archive = Archive(settings)
    try:
        [result] = ingest_files(archive, tmp_path / "in", range(1))
        for store in archive.blobs.stores():
            delete(store, result.sha256)
        checked = archive.verify()
        assert not checked.ok and [m["sha256"] for m in checked.missing] == [result.sha256]
        assert checked.repaired == []
    finally:
        archive.close()


def test_an_embedded_archive_moves_its_store_to_postgresql(tmp_path: Path, pg_server: str, monkeypatch,
                                                           capsys) -> None:
    home = tmp_path / "home"
    source = Archive(load_settings(home=home, backend="embedded"))
    ingest_files(source, tmp_path / "in", range(12))
    before, searched = documents(source), answers(source)
    source.close()
    with fresh_database(pg_server) as url:
        plain = url.replace("postgresql+psycopg://", "postgresql://")  # what a user writes
        assert main(["--home", str(home), "migrate-store", plain]) == 0
        assert "now set ARCHIVE_DATABASE_URL" in capsys.readouterr().out
        assert main(["--home", str(home), "migrate-store", plain]) == 1  # not into a store with rows
        assert "already holds data" in capsys.readouterr().err
        monkeypatch.setenv("ARCHIVE_DATABASE_URL", plain)
        moved = Archive(load_settings(home=home, backend="embedded"))
        try:
            assert moved.store.url.startswith("postgresql+psycopg://")
            assert documents(moved) == before and answers(moved) == searched
            assert moved.verify().ok
            ingest_files(moved, tmp_path / "later", range(12, 14))  # ids and the chain go on
            assert moved.store.count() == 14 and moved.verify().ok
            moved.accounts.add_user("aigerim", "archivist")  # the accounts' own ids go on too
        finally:
            moved.close()


def test_an_archive_on_a_bucket_extracts_containers_and_serves_verified_originals(
    tmp_path: Path, s3_server
) -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("a/report.txt", report(1))
        bundle.writestr("b/ruling.txt", report(2))
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "bundle.zip").write_bytes(buffer.getvalue())
    archive = Archive(load_settings(home=tmp_path / "home", backend="embedded", **s3_settings(s3_server)))
    try:
        [result] = list(archive.ingest_paths([tmp_path / "in" / "bundle.zip"], IngestRequest()))
        assert result.status == "created" and [m.status for m in result.members] == ["created", "created"]
        assert archive.search("Mamay").total == 1
        document = archive.store.get(result.members[0].id)
        assert document is not None
        opened = archive.open_original(document.id)
        assert opened is not None
        _, chunks = opened
        assert b"".join(chunks) == report(1)
        assert archive.readiness()["blobs"] == "ok" and archive.verify().ok
        assert not any((tmp_path / "home" / "tmp").iterdir())  # spool and extraction copies are gone
    finally:
        archive.close()
