"""Lots of copies: every original kept in two blob stores (another disk, another bucket).

A write goes to the first store, then to the copy, from the first store's verified bytes; a read is
served by a store whose bytes check out; `archive verify` checks each store and repairs a bad or missing
blob from a good one (archive/verify.py).
"""

from __future__ import annotations

import contextlib
import heapq
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from archive.blobs.base import BlobStore, State, StoredBlob


class ChunkReader:
    """A binary stream over an iterator of chunks, so one store's verified read feeds another's write."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks = chunks
        self._buffer = b""

    def read(self, n: int = -1) -> bytes:
        while n < 0 or len(self._buffer) < n:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        if n < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:n], self._buffer[n:]
        return data


def copy_blob(sha256: str, source: BlobStore, target: BlobStore) -> StoredBlob:
    """Writes `source`'s verified bytes of a blob into `target` (which replaces a damaged one)."""
    return target.put_stream(ChunkReader(source.open_verified(sha256)))


class MirroredBlobStore(BlobStore):
    def __init__(self, first: BlobStore, copy: BlobStore) -> None:
        self.first = first
        self.copy = copy
        first.name, copy.name = "blobs", "copy"

    def stores(self) -> list[BlobStore]:
        return [self.first, self.copy]

    def put_stream(self, stream: BinaryIO, max_bytes: int | None = None) -> StoredBlob:
        stored = self.first.put_stream(stream, max_bytes)
        if stored.created or not self.copy.exists(stored.sha256):
            copy_blob(stored.sha256, self.first, self.copy)
        return stored

    def _good(self, sha256: str) -> BlobStore | None:
        return next((s for s in self.stores() if s.check(sha256) == "ok"), None)

    def check(self, sha256: str) -> State:
        """"ok" while one store holds the right bytes: that store serves them."""
        states = [s.check(sha256) for s in self.stores()]
        if "ok" in states:
            return "ok"
        return "altered" if "altered" in states else "missing"

    def open_verified(self, sha256: str) -> Iterator[bytes]:
        if self.first.check(sha256) == "ok" or not self.copy.exists(sha256):
            return self.first.open_verified(sha256)
        return self.copy.open_verified(sha256)

    @contextlib.contextmanager
    def local_file(self, sha256: str) -> Iterator[Path]:
        with (self._good(sha256) or self.first).local_file(sha256) as path:
            yield path

    def exists(self, sha256: str) -> bool:
        return any(s.exists(sha256) for s in self.stores())

    def size_of(self, sha256: str) -> int:
        return max(s.size_of(sha256) for s in self.stores())

    def purge(self, sha256: str) -> bool:
        purged = [s.purge(sha256) for s in self.stores()]
        return any(purged)

    def iter_shas(self) -> Iterator[str]:
        last = None
        for sha256 in heapq.merge(self.first.iter_shas(), self.copy.iter_shas()):
            if sha256 != last:
                yield sha256
            last = sha256

    def location(self, sha256: str) -> str:
        return self.first.location(sha256)

    def ping(self) -> None:
        for store in self.stores():
            store.ping()

    def clean_temp(self, older_than_s: float = 3600) -> int:
        return sum(s.clean_temp(older_than_s) for s in self.stores())
