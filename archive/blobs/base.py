"""What every blob store promises, whatever holds the bytes: originals kept under their SHA-256, written
once, verified on every read; and the errors each store raises alike."""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Literal

CHUNK_SIZE = 1024 * 1024
SHA256 = re.compile(r"[0-9a-f]{64}")
State = Literal["ok", "missing", "altered"]


@dataclass(frozen=True)
class StoredBlob:
    sha256: str
    size: int
    created: bool  # False when the same bytes were already stored


class BlobCorrupted(Exception):
    """The stored bytes no longer match their hash."""

    def __init__(self, sha256: str, where: str | Path, actual: str) -> None:
        super().__init__(f"blob {sha256} at {where} is corrupted: its content now hashes to {actual}")
        self.sha256 = sha256
        self.path = where
        self.actual = actual


class BlobMissing(Exception):
    def __init__(self, sha256: str, where: str | Path) -> None:
        super().__init__(f"blob {sha256} is missing: {where} does not exist")
        self.sha256 = sha256
        self.path = where


class BlobTooLarge(Exception):
    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"upload exceeds the limit of {max_bytes} bytes; nothing was kept")
        self.max_bytes = max_bytes


class BlobStoreFull(Exception):
    """The disk of the blob store has no room left (or the quota is used up); nothing was kept."""

    def __init__(self, error: OSError) -> None:
        super().__init__(f"the blob store's disk is full ({error.strerror}); nothing of the file was kept")


class BlobStoreUnavailable(RuntimeError):
    """The blob store cannot be opened as configured (an unknown URL, a missing client library)."""


def check_sha256(sha256: str) -> str:
    if not isinstance(sha256, str) or not SHA256.fullmatch(sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return sha256


def read_chunks(stream: BinaryIO) -> Iterator[bytes]:
    while True:
        chunk = stream.read(CHUNK_SIZE)
        if not chunk:
            return
        yield chunk


def copy_hashed(stream: BinaryIO, out: BinaryIO, max_bytes: int | None) -> tuple[str, int]:
    """Copies ``stream`` to ``out`` while hashing it: (SHA-256, size). Raises BlobTooLarge as soon as
    more than ``max_bytes`` came, so that an oversized upload is not read to its end."""
    digest = hashlib.sha256()
    size = 0
    for chunk in read_chunks(stream):
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise BlobTooLarge(max_bytes)
        digest.update(chunk)
        out.write(chunk)
    return digest.hexdigest(), size


def verified_chunks(chunks: Iterator[bytes], sha256: str, where: str | Path) -> Iterator[bytes]:
    """Passes the chunks on; raises BlobCorrupted after the last one if they do not hash to `sha256`."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
        yield chunk
    actual = digest.hexdigest()
    if actual != sha256:
        raise BlobCorrupted(sha256, where, actual)


class BlobStore(ABC):
    """Content-addressed, write-once storage of originals.

    A store never overwrites good bytes: a second write of the same content answers `created=False`;
    only a blob whose stored bytes no longer match their hash is replaced, which is how a damaged
    original is repaired (uploading it again, or `archive verify` from a good copy).
    """

    name = "blobs"  # how verify and the custody log call this store (a copy is named "copy")

    @abstractmethod
    def put_stream(self, stream: BinaryIO, max_bytes: int | None = None) -> StoredBlob:
        """Stores everything `stream` yields, read in chunks, never held whole in memory.

        Raises BlobTooLarge (keeping nothing) past `max_bytes`, BlobStoreFull when there is no room."""

    @abstractmethod
    def open_verified(self, sha256: str) -> Iterator[bytes]:
        """The blob in chunks; raises BlobCorrupted after the last chunk if the hash differs, and
        BlobMissing at call time (before anything is sent) when there is no such blob."""

    @abstractmethod
    def exists(self, sha256: str) -> bool: ...

    @abstractmethod
    def size_of(self, sha256: str) -> int:
        """The size of a kept blob in bytes; 0 when it is not there."""

    @abstractmethod
    def purge(self, sha256: str) -> bool:
        """Deletes a blob for good (an admin's decision, recorded in the custody log first)."""

    @abstractmethod
    def iter_shas(self) -> Iterator[str]:
        """Every stored blob's hash, in sorted order."""

    @abstractmethod
    def location(self, sha256: str) -> str:
        """Where the blob is kept, for people: a path or an s3:// URL."""

    @abstractmethod
    def ping(self) -> None:
        """Raises unless the store is there and writable."""

    @abstractmethod
    def local_file(self, sha256: str) -> contextlib.AbstractContextManager[Path]:
        """A file on the local disk with the blob's bytes, for the extractors, which read files."""

    def clean_temp(self, older_than_s: float = 3600) -> int:
        """Removes leftovers of interrupted writes older than `older_than_s`; returns how many."""
        return 0

    def stores(self) -> list[BlobStore]:
        """The stores that each keep every blob: this one, or every copy of a mirrored store."""
        return [self]

    def put_files(self, paths: Sequence[Path], max_bytes: int | None = None) -> list[StoredBlob | Exception]:
        """Stores several files as `put_stream` would, each kept or failed on its own (the exception it
        raised in its place). A store that can make them durable together does so."""
        stored: list[StoredBlob | Exception] = []
        for path in paths:
            try:
                with open(path, "rb") as stream:
                    stored.append(self.put_stream(stream, max_bytes))
            except (OSError, BlobTooLarge, BlobStoreFull) as error:
                stored.append(error)
        return stored

    def put_bytes(self, data: bytes) -> StoredBlob:
        return self.put_stream(io.BytesIO(data))

    def read_verified(self, sha256: str) -> bytes:
        return b"".join(self.open_verified(sha256))

    def check(self, sha256: str) -> State:
        """Re-hashes the stored bytes."""
        try:
            for _ in self.open_verified(sha256):
                pass
        except BlobMissing:
            return "missing"
        except BlobCorrupted:
            return "altered"
        return "ok"
