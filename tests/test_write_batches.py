"""Ingest keeps prepared files in batches: one round of fsyncs for their originals, one transaction for
their rows. What a batch keeps is what one file at a time keeps, and a file a batch cannot take goes
the one-at-a-time way without holding the others back (a full disk in a batch: test_contained_failures)."""

from __future__ import annotations

import warnings
from pathlib import Path

from archive.blobs import BlobTooLarge, StoredBlob
from archive.blobs.directory import DirectoryBlobStore
from archive.entities import regroup
from archive.pipeline import WRITE_BATCH, IngestRequest, write_groups
from archive.service import Archive
from archive.settings import load_settings
from archive.store import DocumentStore
from archive.workers import Ready, prepare_file


def texts(folder: Path, count: int, tag: str = "") -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"{tag}note-{n:03}.txt"
        path.write_text(f"Note {tag}{n}: Aigerim Tleuzhan was fined by the court of Oral, case {n}.", "utf-8")
        paths.append(path)
    return paths


def prepared(paths: list[Path]) -> list[tuple[Path, Ready]]:
    ready = [(path, prepare_file(path, None, None)) for path in paths]
    assert all(r is not None and r.kept_together for _, r in ready)
    return ready  # type: ignore[return-value]


def test_put_files_keeps_each_file_as_put_stream_does(tmp_path: Path) -> None:
    blobs = DirectoryBlobStore(tmp_path / "blobs")
    paths = texts(tmp_path / "in", 5)
    big = tmp_path / "in" / "big.bin"
    big.write_bytes(b"x" * 5000)
    missing = tmp_path / "in" / "gone.txt"
    stored = blobs.put_files([*paths, big, missing, paths[0]], max_bytes=4096)
    kept = stored[:5]
    assert all(isinstance(blob, StoredBlob) and blob.created for blob in kept)
    assert isinstance(stored[5], BlobTooLarge) and isinstance(stored[6], FileNotFoundError)
    assert isinstance(stored[7], StoredBlob) and not stored[7].created  # the same bytes again
    for path, blob in zip(paths, kept, strict=True):
        assert blobs.read_verified(blob.sha256) == path.read_bytes()  # type: ignore[union-attr]
        assert oct(blobs.path_of(blob.sha256).stat().st_mode & 0o777) == "0o444"  # type: ignore[union-attr]
    assert not list(blobs.tmp_dir.iterdir())  # no temp file left behind


def test_write_groups_batch_prepared_files_and_leave_the_rest_alone(tmp_path: Path) -> None:
    files = prepared(texts(tmp_path / "in", WRITE_BATCH + 3))
    refused = ("refused", None)
    failed = (tmp_path / "x", Ready("0" * 64, error=("empty", "the file is empty")))
    groups = list(write_groups([*files[:2], refused, *files[2:], failed]))
    assert groups[0] == files[:2] and groups[1] == refused
    assert groups[2] == files[2 : 2 + WRITE_BATCH] and groups[3] == files[2 + WRITE_BATCH :]
    assert groups[4] == failed


def test_a_batch_keeps_what_one_file_at_a_time_keeps(tmp_path: Path) -> None:
    paths = texts(tmp_path / "in", 12)
    (tmp_path / "in" / "again.txt").write_bytes(paths[3].read_bytes())  # the same bytes twice in a batch
    archive = Archive(load_settings(home=tmp_path / "home"))
    try:
        earlier = archive.ingestor.ingest_path(paths[5], IngestRequest())  # archived before the batch
        assert earlier.status == "created"
        files = prepared(sorted((tmp_path / "in").iterdir()))
        results = archive.ingestor.ingest_prepared(files, IngestRequest(metadata={"publisher": "KIBHR"}))
        archive.flush_index()
        by_name = {Path(r.file).name: r for r in results}
        assert [Path(r.file).name for r in results] == [path.name for path, _ in files]  # in order
        assert by_name["note-005.txt"].status == "duplicate" and by_name["note-005.txt"].id == earlier.id
        statuses = sorted(r.status for r in results)
        assert statuses.count("created") == 11 and statuses.count("duplicate") == 2
        assert by_name["again.txt"].id == by_name["note-003.txt"].id
        created = [r for r in results if r.status == "created"]
        entries = [e for e in archive.store.custody_by_action("ingest") if e.status == "created"]
        assert [e.document_id for e in entries][1:] == [r.id for r in created]  # one entry each, in order
        ids = [r.id for r in created]
        assert ids == sorted(ids)  # ids sort in the order the files came
        document = archive.document(created[0].id)
        assert document is not None and document.metadata["publisher"] == "KIBHR"
        assert document.original_name == created[0].file.rsplit("/", 1)[-1]
        assert archive.search("Tleuzhan", limit=50).total == 12
        assert archive.pending_count() == 0 and archive.verify().ok
        regroup(archive.store)
        assert archive.entities("Tleuzhan")  # the mentions were kept with the rows
    finally:
        archive.close()


def test_a_file_changed_after_its_worker_read_it_is_read_again(tmp_path: Path) -> None:
    paths = texts(tmp_path / "in", 3)
    files = prepared(paths)
    paths[1].write_text("Rewritten: Марат Жыланбаев was detained in Uralsk.", "utf-8")
    archive = Archive(load_settings(home=tmp_path / "home"))
    try:
        results = archive.ingestor.ingest_prepared(files, IngestRequest())
        archive.flush_index()
        assert [r.status for r in results] == ["created"] * 3
        assert archive.document(results[1].id).text.startswith("Rewritten")  # type: ignore[union-attr]
        assert archive.search("Жыланбаев").total == 1 and archive.verify().ok
    finally:
        archive.close()


def test_an_empty_batch_writes_nothing(tmp_path: Path) -> None:
    store = DocumentStore(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # an INSERT given no rows warns of a row without its id
            assert store.add_many([]) == []
        assert store.count() == 0
    finally:
        store.close()


def test_batches_whose_originals_are_kept_while_the_batch_before_is_written_lose_nothing(
    tmp_path: Path, monkeypatch
) -> None:
    """Small batches, so that many follow one another; a file repeated in the next batch or a later one
    is a duplicate of the first, found once the first's batch is written."""
    monkeypatch.setattr("archive.pipeline.WRITE_BATCH", 7)
    paths = texts(tmp_path / "docs", 60)
    (tmp_path / "docs" / "note-006b.txt").write_bytes(paths[6].read_bytes())  # first of the second batch
    for n in (10, 40):
        (tmp_path / "docs" / f"zz-again-{n:03}.txt").write_bytes(paths[n].read_bytes())
    archive = Archive(load_settings(home=tmp_path / "home"))
    try:
        results = list(archive.ingest_paths([tmp_path / "docs"], IngestRequest(), workers=2))
        assert [Path(r.file).name for r in results] == sorted(p.name for p in (tmp_path / "docs").iterdir())
        assert [r.status for r in results].count("created") == 60
        assert [r.status for r in results].count("duplicate") == 3
        assert archive.store.count() == 60 and archive.search("Tleuzhan", limit=1).total == 60
    finally:
        archive.close()
