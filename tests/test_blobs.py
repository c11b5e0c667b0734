"""The blob store keeps originals byte-for-byte, once, and notices when they change or vanish: in a folder
and in a bucket of a real S3-compatible server (tests/s3_fixture.py), every test on both."""

from __future__ import annotations

import hashlib
import io
import multiprocessing
import os
import stat
import threading
import time
import tracemalloc
from pathlib import Path

import pytest

from archive.blobs import BlobCorrupted, BlobMissing, BlobStore, BlobTooLarge, DirectoryBlobStore, StoredBlob
from archive.blobs.opening import open_blob_store
from archive.settings import load_settings
from tests.blob_places import damage, delete, kept_objects, leftovers, put_foreign, stored_bytes, temp_dir

MiB = 1024 * 1024


class PatternReader:
    """A binary stream of `size` bytes of a repeating pattern, produced on demand (never held whole)."""

    def __init__(self, size: int, block: bytes = bytes(range(256)) * 4096) -> None:
        self.remaining = size
        self.block = block
        self.reads = 0

    def read(self, n: int = -1) -> bytes:
        self.reads += 1
        if n < 0 or n > len(self.block):
            n = len(self.block)
        n = min(n, self.remaining)
        self.remaining -= n
        return self.block[:n]


class FailingReader(io.RawIOBase):
    """Yields some bytes, then fails like a dropped upload connection."""

    def __init__(self, good: int) -> None:
        self.good = good

    def read(self, n: int = -1) -> bytes:
        if self.good <= 0:
            raise ConnectionResetError("client went away")
        n = min(self.good, MiB if n < 0 else n)
        self.good -= n
        return b"x" * n


def open_store(home: Path, blob_settings: dict) -> BlobStore:
    return open_blob_store(load_settings(home=home, **blob_settings))


@pytest.fixture
def store(tmp_path: Path, blob_settings: dict) -> BlobStore:
    return open_store(tmp_path / "home", blob_settings)


def temp_prefix(store: BlobStore) -> str:
    return "put-" if isinstance(store, DirectoryBlobStore) else "s3-put-"


def test_round_trip(store: BlobStore) -> None:
    data = "Решение суда / Сот шешімі / court ruling".encode() * 1000
    blob = store.put_bytes(data)
    sha = hashlib.sha256(data).hexdigest()

    assert blob == StoredBlob(sha256=sha, size=len(data), created=True)
    if isinstance(store, DirectoryBlobStore):
        path = store.path_of(sha)
        assert path == store.root / sha[:2] / sha
        assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert stored_bytes(store, sha) == data
    assert sha[:2] + "/" + sha in store.location(sha)
    assert store.exists(sha) and store.size_of(sha) == len(data)
    assert store.read_verified(sha) == data
    assert b"".join(store.open_verified(sha)) == data
    assert store.check(sha) == "ok"
    assert list(store.iter_shas()) == [sha]
    with store.local_file(sha) as local:
        assert local.read_bytes() == data
    assert leftovers(store) == []


def test_a_file_streams_from_disk(store: BlobStore, tmp_path: Path) -> None:
    source = tmp_path / "report.pdf"
    source.write_bytes(b"%PDF-1.7 " + os.urandom(3 * MiB))
    with open(source, "rb") as stream:
        blob = store.put_stream(stream)
    assert blob.size == source.stat().st_size
    assert store.read_verified(blob.sha256) == source.read_bytes()


def test_same_bytes_twice_make_one_blob(store: BlobStore) -> None:
    first = store.put_bytes(b"the same original")
    second = store.put_stream(io.BytesIO(b"the same original"))
    assert first.created and not second.created
    assert (first.sha256, first.size) == (second.sha256, second.size)
    assert list(store.iter_shas()) == [first.sha256] and kept_objects(store) == 1


def test_empty_original(store: BlobStore) -> None:
    blob = store.put_bytes(b"")
    assert blob.sha256 == hashlib.sha256(b"").hexdigest() and blob.size == 0
    assert store.read_verified(blob.sha256) == b""


def test_same_bytes_from_eight_threads(store: BlobStore) -> None:
    data = os.urandom(3 * MiB + 17)
    barrier = threading.Barrier(8)
    results: list[StoredBlob] = []
    errors: list[BaseException] = []

    def put() -> None:
        try:
            barrier.wait()
            results.append(store.put_bytes(data))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=put) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    assert len(results) == 8
    assert sum(r.created for r in results) == 1
    assert {r.sha256 for r in results} == {hashlib.sha256(data).hexdigest()}
    assert kept_objects(store) == 1
    assert store.check(results[0].sha256) == "ok"


def _put_in_process(home: str, blob_settings: dict, seed: int, barrier: object, results: object) -> None:
    data = bytes(range(256)) * (seed * 4096)
    store = open_store(Path(home), blob_settings)
    barrier.wait()  # type: ignore[attr-defined]
    blob = store.put_stream(io.BytesIO(data))
    results.put((blob.sha256, blob.created))  # type: ignore[attr-defined]


def test_same_bytes_from_two_processes(store: BlobStore, tmp_path: Path, blob_settings: dict) -> None:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    results = ctx.Queue()
    processes = [
        ctx.Process(target=_put_in_process, args=(str(tmp_path / "home"), blob_settings, 5, barrier, results))
        for _ in "ab"
    ]
    for p in processes:
        p.start()
    outcomes = [results.get(timeout=60) for _ in processes]
    for p in processes:
        p.join(timeout=60)
        assert p.exitcode == 0

    assert len({sha for sha, _ in outcomes}) == 1
    assert True in (created for _, created in outcomes)  # S3: both may send it; the bytes are the same
    if isinstance(store, DirectoryBlobStore):
        assert sorted(created for _, created in outcomes) == [False, True]
    assert kept_objects(store) == 1
    assert store.check(outcomes[0][0]) == "ok"


def test_large_stream_uses_bounded_memory(store: BlobStore) -> None:
    size = 200 * MiB
    expected = hashlib.sha256()
    block = bytes(range(256)) * 4096
    for _ in range(size // len(block)):
        expected.update(block)

    tracemalloc.start()
    try:
        blob = store.put_stream(PatternReader(size, block))  # type: ignore[arg-type]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < 20 * MiB
    assert blob.size == size and blob.sha256 == expected.hexdigest()
    assert store.size_of(blob.sha256) == size

    tracemalloc.start()
    try:
        served = sum(len(chunk) for chunk in store.open_verified(blob.sha256))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert served == size and peak < 20 * MiB


def test_over_the_limit_keeps_nothing(store: BlobStore) -> None:
    endless = PatternReader(10**15)
    with pytest.raises(BlobTooLarge):
        store.put_stream(endless, max_bytes=5 * MiB)  # type: ignore[arg-type]
    assert endless.reads <= 7  # stopped reading right after crossing the limit
    assert kept_objects(store) == 0 and leftovers(store) == []

    assert store.put_stream(io.BytesIO(b"x" * 1000), max_bytes=1000).size == 1000  # the limit is inclusive
    with pytest.raises(BlobTooLarge):
        store.put_stream(io.BytesIO(b"y" * 1001), max_bytes=1000)
    assert kept_objects(store) == 1


def test_flipped_byte_is_detected(store: BlobStore) -> None:
    data = os.urandom(2 * MiB + 5)
    sha = store.put_bytes(data).sha256
    flipped = bytearray(data)
    flipped[MiB + 1] ^= 0x01
    damage(store, sha, bytes(flipped))

    assert store.check(sha) == "altered"
    chunks = []
    with pytest.raises(BlobCorrupted) as err:
        for chunk in store.open_verified(sha):
            chunks.append(chunk)
    assert sum(map(len, chunks)) == len(data)  # every chunk came out before the verdict
    assert sha in str(err.value) and store.location(sha) in str(err.value)
    with pytest.raises(BlobCorrupted):
        store.read_verified(sha)

    repaired = store.put_bytes(data)  # uploading the original again restores it
    assert repaired.created
    assert store.check(sha) == "ok" and stored_bytes(store, sha) == data
    if isinstance(store, DirectoryBlobStore):
        assert stat.S_IMODE(store.path_of(sha).stat().st_mode) == 0o444


def test_an_original_is_never_overwritten(store: BlobStore) -> None:
    """The second writer of a key finds it taken, even when the server ignores If-None-Match."""
    first = store.put_bytes(b"the original as it came")
    again = store.put_bytes(b"the original as it came")
    assert first.created and not again.created
    assert stored_bytes(store, first.sha256) == b"the original as it came"


def test_a_purged_blob_is_gone(store: BlobStore) -> None:
    sha = store.put_bytes(b"an admin's decision").sha256
    assert store.purge(sha) and not store.exists(sha) and store.size_of(sha) == 0
    assert not store.purge(sha)


def test_deleted_blob_is_missing(store: BlobStore) -> None:
    sha = store.put_bytes(b"gone tomorrow").sha256
    delete(store, sha)
    assert store.check(sha) == "missing"
    assert not store.exists(sha)
    with pytest.raises(BlobMissing):
        store.open_verified(sha)  # raised before anything would be sent
    with pytest.raises(BlobMissing):
        store.read_verified(sha)
    assert list(store.iter_shas()) == []


@pytest.mark.parametrize(
    "bad",
    [
        "../../etc/passwd",
        "../" + "a" * 61,
        "A" * 64,
        "a" * 63,
        "a" * 65,
        "a" * 64 + "\n",
        "/" + "a" * 63,
        "g" * 64,
        "",
    ],
)
def test_path_traversal_rejected(store: BlobStore, bad: str) -> None:
    for method in (store.location, store.exists, store.check, store.open_verified, store.size_of):
        with pytest.raises(ValueError):
            method(bad)


def test_interrupted_writes_are_cleaned(store: BlobStore) -> None:
    kept = store.put_bytes(b"a good original").sha256
    with pytest.raises(ConnectionResetError):
        store.put_stream(FailingReader(3 * MiB))  # type: ignore[arg-type]
    assert leftovers(store) == []  # a failing stream leaves nothing behind

    # A process killed mid-write leaves its temp file behind.
    stale = temp_dir(store) / f"{temp_prefix(store)}stale"
    stale.write_bytes(b"half an upload")
    old = time.time() - 7200
    os.utime(stale, (old, old))
    fresh = temp_dir(store) / f"{temp_prefix(store)}fresh"
    fresh.write_bytes(b"an upload in progress")

    assert store.clean_temp() == 1
    assert not stale.exists() and fresh.exists()
    assert store.clean_temp(older_than_s=0) == 1
    assert leftovers(store) == []
    assert list(store.iter_shas()) == [kept]
    assert store.check(kept) == "ok"


def test_iter_shas_ignores_foreign_files(store: BlobStore) -> None:
    shas = sorted(store.put_bytes(bytes([i])).sha256 for i in range(20))
    put_foreign(store, "README", shas[0][:2])
    assert list(store.iter_shas()) == shas


@pytest.mark.parametrize("url", ["ftp://host/originals", "s3://", "s3:///no-bucket"])
def test_an_unknown_blob_store_is_one_clear_line(tmp_path: Path, url: str, monkeypatch, capsys) -> None:
    from archive.cli import main

    monkeypatch.setenv("ARCHIVE_BLOBS_URL", url)
    assert main(["--home", str(tmp_path / "home"), "verify"]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "Traceback" not in error and url.split(":")[0] in error
