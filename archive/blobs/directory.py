"""Originals in a folder of the local disk: every file kept byte-for-byte under its SHA-256.

Layout: ``root/ab/<sha256>`` (256 folders by the first two hex characters, as git keeps loose
objects: a million originals make about 4,000 files a folder), read-only once written.
Writes go to ``root/tmp/`` first, are fsynced and then hard-linked into place, so a blob path either
does not exist or holds the complete bytes; the link fails if the target exists, which makes storing
the same bytes from several threads or processes at once safe and yields exactly one blob.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

from archive.blobs.base import (
    SHA256,
    BlobMissing,
    BlobStore,
    BlobStoreFull,
    BlobTooLarge,
    StoredBlob,
    check_sha256,
    copy_hashed,
    read_chunks,
    verified_chunks,
)

TMP_PREFIX = "put-"
_SHARD = re.compile(r"[0-9a-f]{2}")
_FULL = (errno.ENOSPC, errno.EDQUOT)
SYNC_THREADS = 16  # fsyncs in flight at once: the file system commits them in one journal round


def _fsync(path: Path) -> None:
    """Makes a file's bytes or a folder's entries durable (on Linux, through a read-only descriptor)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class _Temp:
    """Bytes written to the store's temp folder, not yet in place."""

    path: Path
    sha256: str
    size: int


def _synced(temp: _Temp | Exception) -> _Temp | Exception:
    """A temp file fsynced, or the error that stopped it (raised by neither)."""
    if isinstance(temp, Exception):
        return temp
    try:
        _fsync(temp.path)
    except OSError as error:
        return _full_or(error)
    return temp


def _full_or(error: Exception) -> Exception:
    """A full disk as the store's own error, so that every caller tells it apart alike."""
    return BlobStoreFull(error) if isinstance(error, OSError) and error.errno in _FULL else error


class DirectoryBlobStore(BlobStore):
    """Originals as read-only files of a folder on the local disk."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.tmp_dir = self.root / "tmp"
        self.tmp_dir.mkdir(parents=True, exist_ok=True)

    # --- writing ------------------------------------------------------------------------------

    def put_stream(self, stream: BinaryIO, max_bytes: int | None = None) -> StoredBlob:
        """Stores everything `stream` yields, reading it in chunks; never holds the whole file in memory.

        Raises BlobTooLarge (and keeps nothing) as soon as more than `max_bytes` have been read, and
        BlobStoreFull (keeping nothing either: the partial temp file is removed) when the disk fills up.
        """
        try:
            return self._put(stream, max_bytes)
        except OSError as error:
            if error.errno in _FULL:
                raise BlobStoreFull(error) from error
            raise

    def _put(self, stream: BinaryIO, max_bytes: int | None) -> StoredBlob:
        tmp, sha256, size = self._write_temp(stream, max_bytes, sync=True)
        try:
            created = self._install(tmp, sha256)
            return StoredBlob(sha256=sha256, size=size, created=created)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()

    def put_files(self, paths: Sequence[Path], max_bytes: int | None = None) -> list[StoredBlob | Exception]:
        """Stores several files with one round of fsyncs: every temp file synced at once (the file
        system commits them together), then each put in place, then each folder that gained one synced
        once. A blob path still either does not exist or holds the complete bytes."""
        written = [self._temp_of(path, max_bytes) for path in paths]
        try:
            synced = list(self._syncing.map(_synced, written))
            folders: set[Path] = set()
            stored = [self._installed(temp, folders) for temp in synced]
            list(self._syncing.map(_fsync, folders))
            return stored
        finally:
            for temp in written:
                if isinstance(temp, _Temp):
                    with contextlib.suppress(FileNotFoundError):
                        temp.path.unlink()

    @cached_property
    def _syncing(self) -> ThreadPoolExecutor:
        return ThreadPoolExecutor(SYNC_THREADS, thread_name_prefix="blob-fsync")

    def _temp_of(self, path: Path, max_bytes: int | None) -> _Temp | Exception:
        try:
            with open(path, "rb") as stream:
                return _Temp(*self._write_temp(stream, max_bytes, sync=False))
        except (OSError, BlobTooLarge) as error:
            return _full_or(error)

    def _installed(self, temp: _Temp | Exception, folders: set[Path]) -> StoredBlob | Exception:
        if isinstance(temp, Exception):
            return temp
        try:
            created = self._install(temp.path, temp.sha256, synced=folders)
        except OSError as error:
            return _full_or(error)
        return StoredBlob(sha256=temp.sha256, size=temp.size, created=created)

    def _write_temp(self, stream: BinaryIO, max_bytes: int | None, sync: bool) -> tuple[Path, str, int]:
        """The stream's bytes in a read-only temp file, fsynced when ``sync``: (its path, SHA-256, size)."""
        fd, tmp_name = tempfile.mkstemp(prefix=TMP_PREFIX, dir=self.tmp_dir)
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                sha256, size = copy_hashed(stream, out, max_bytes)
                out.flush()
                os.fchmod(out.fileno(), 0o444)
                if sync:
                    os.fsync(out.fileno())
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        return tmp, sha256, size

    def size_of(self, sha256: str) -> int:
        """The size of a kept blob in bytes; 0 when it is not there."""
        try:
            return self.path_of(sha256).stat().st_size
        except FileNotFoundError:
            return 0

    def purge(self, sha256: str) -> bool:
        """Deletes a blob for good (an admin's decision, recorded in the custody log first)."""
        path = self.path_of(sha256)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        _fsync(path.parent)
        return True

    def _install(self, tmp: Path, sha256: str, synced: set[Path] | None = None) -> bool:
        """Moves a complete, fsynced temp file into place; returns False if the blob already existed.

        An existing blob whose bytes no longer match is replaced by the fresh copy (and counts as
        created), so uploading an original again repairs a damaged one. With ``synced``, the folder
        that gained the blob is added to it for the caller to sync, rather than synced now.
        """
        target = self.path_of(sha256)
        self._make_dirs(target.parent)
        try:
            os.link(tmp, target)
        except FileExistsError:
            if self.check(sha256) == "ok":
                return False
            os.replace(tmp, target)
        except OSError as exc:
            # File systems without hard links: rename is still atomic, only the "who won" answer is weaker.
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            if target.exists() and self.check(sha256) == "ok":
                return False
            os.replace(tmp, target)
        if synced is None:
            _fsync(target.parent)
        else:
            synced.add(target.parent)
        return True

    def _make_dirs(self, shard: Path) -> None:
        """Creates root/ab, fsyncing the root when it gains the folder."""
        if not shard.is_dir():
            with contextlib.suppress(FileExistsError):
                shard.mkdir()
            _fsync(shard.parent)

    # --- reading ------------------------------------------------------------------------------

    def path_of(self, sha256: str) -> Path:
        check_sha256(sha256)
        return self.root / sha256[:2] / sha256

    def location(self, sha256: str) -> str:
        return str(self.path_of(sha256))

    @contextlib.contextmanager
    def local_file(self, sha256: str) -> Iterator[Path]:
        yield self.path_of(sha256)

    def exists(self, sha256: str) -> bool:
        return self.path_of(sha256).is_file()

    def open_verified(self, sha256: str) -> Iterator[bytes]:
        """Yields the blob in chunks; raises BlobCorrupted after the last chunk if the hash differs.

        The file is opened at call time, so a missing blob raises BlobMissing before anything is sent.
        """
        path = self.path_of(sha256)
        try:
            stream = open(path, "rb")  # noqa: SIM115 - closed by the generator below
        except FileNotFoundError:
            raise BlobMissing(sha256, path) from None
        return self._verified_chunks(stream, sha256, path)

    @staticmethod
    def _verified_chunks(stream: BinaryIO, sha256: str, path: Path) -> Iterator[bytes]:
        with stream:
            yield from verified_chunks(read_chunks(stream), sha256, path)

    def iter_shas(self) -> Iterator[str]:
        """Every stored blob's hash, in sorted order (temp files are not blobs)."""
        for first in sorted(_subdirs(self.root)):
            shard = self.root / first
            names = sorted(e.name for e in os.scandir(shard) if e.is_file(follow_symlinks=False))
            for name in names:
                if SHA256.fullmatch(name) and name.startswith(first):
                    yield name

    # --- housekeeping -------------------------------------------------------------------------

    def ping(self) -> None:
        """Raises unless the blob folder is there and writable."""
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise OSError(f"the blob folder {self.root} is missing or not writable")

    def clean_temp(self, older_than_s: float = 3600) -> int:
        """Removes leftovers of interrupted writes older than `older_than_s`; returns how many.

        Writes in progress touch their temp file with every chunk, so a generous age keeps them safe.
        """
        cutoff = time.time() - older_than_s
        removed = 0
        for entry in os.scandir(self.tmp_dir):
            try:
                if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime <= cutoff:
                    os.unlink(entry.path)
                    removed += 1
            except FileNotFoundError:
                continue  # finished or cleaned by someone else meanwhile
        return removed


def _subdirs(path: Path) -> Iterator[str]:
    try:
        entries = list(os.scandir(path))
    except FileNotFoundError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False) and _SHARD.fullmatch(entry.name):
            yield entry.name
