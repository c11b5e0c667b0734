"""Originals in an S3-compatible bucket (AWS S3, MinIO, Ceph, s3proxy): ``s3://bucket/prefix``.

Keys mirror the folder layout: ``prefix/ab/<sha256>``. A write streams the upload into a local spool
file while hashing it (the key is the hash, known only at the end), then sends that file with
``If-None-Match: *``, so the bucket refuses to overwrite an object that is already there. Servers that
ignore the condition (s3proxy 2.6.0 does, on its file-system backend) are covered as well: the writer
asks for the key first (HEAD) under a lock, and since a key is the SHA-256 of bytes hashed here before
they are sent, the one write a race between processes can still let through carries the same bytes.
Every read is verified against the key's hash while it streams.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from archive.blobs.base import (
    SHA256,
    BlobMissing,
    BlobStore,
    BlobStoreFull,
    BlobStoreUnavailable,
    BlobTooLarge,
    StoredBlob,
    check_sha256,
    copy_hashed,
    verified_chunks,
)

SPOOL_PREFIX = "s3-put-"
PART_SIZE = 64 * 1024**2  # larger originals go up in parts of this size (S3 allows 10,000 parts)
MAX_OBJECT = 10_000 * PART_SIZE
_MISSING = ("404", "NoSuchKey", "NotFound")
_EXISTS = ("412", "PreconditionFailed", "409", "ConditionalRequestConflict")


@dataclass(frozen=True)
class S3Options:
    """How to reach the object store; empty values leave boto3 its defaults (environment, profile)."""

    endpoint_url: str | None = None
    region: str | None = None
    access_key_id: str | None = None
    secret_access_key: str | None = field(default=None, repr=False)


def parse_s3_url(url: str) -> tuple[str, str]:
    """``s3://bucket/some/prefix`` -> ("bucket", "some/prefix")."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise BlobStoreUnavailable(f"not an S3 URL (s3://bucket/prefix): {url!r}")
    return parts.netloc, parts.path.strip("/")


def _client(options: S3Options) -> Any:
    try:
        import boto3
        from botocore.config import Config
    except ImportError:
        raise BlobStoreUnavailable(
            "originals on S3 need boto3: pip install 'evidence-archive[s3]'"
        ) from None
    config = Config(
        # S3-compatible servers answer NotImplemented to the newer default checksum headers.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        s3={"addressing_style": "path"} if options.endpoint_url else {},
        retries={"max_attempts": 5, "mode": "standard"},
        connect_timeout=10,
        read_timeout=60,
    )
    return boto3.client(
        "s3", endpoint_url=options.endpoint_url or None, region_name=options.region or None,
        aws_access_key_id=options.access_key_id or None,
        aws_secret_access_key=options.secret_access_key or None, config=config,
    )


def _code(error: Exception) -> str:
    response = getattr(error, "response", None) or {}
    code = str(response.get("Error", {}).get("Code", ""))
    status = str(response.get("ResponseMetadata", {}).get("HTTPStatusCode", ""))
    return code if code and not code.isdigit() else status or code


class S3BlobStore(BlobStore):
    def __init__(self, url: str, spool_dir: Path, options: S3Options | None = None) -> None:
        self.url = url
        self.bucket, self.prefix = parse_s3_url(url)
        self._s3 = _client(options or S3Options())
        from botocore.exceptions import ClientError

        self._client_error = ClientError
        self.spool_dir = Path(spool_dir)
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        self._writes = threading.Lock()

    def key_of(self, sha256: str) -> str:
        check_sha256(sha256)
        return f"{self.prefix}/{sha256[:2]}/{sha256}" if self.prefix else f"{sha256[:2]}/{sha256}"

    def location(self, sha256: str) -> str:
        return f"s3://{self.bucket}/{self.key_of(sha256)}"

    # --- writing ------------------------------------------------------------------------------

    def put_stream(self, stream: BinaryIO, max_bytes: int | None = None) -> StoredBlob:
        try:
            return self._put(stream, max_bytes)
        except OSError as error:  # the local spool's disk
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                raise BlobStoreFull(error) from error
            raise

    def _put(self, stream: BinaryIO, max_bytes: int | None) -> StoredBlob:
        with self._spooled(stream, max_bytes) as (spool, sha256, size):
            with self._writes:
                state = self.check(sha256) if self.exists(sha256) else "missing"
                if state == "ok":
                    return StoredBlob(sha256=sha256, size=size, created=False)
                if state == "altered":  # a damaged original is replaced by the good bytes just hashed
                    self._s3.delete_object(Bucket=self.bucket, Key=self.key_of(sha256))
                created = self._put_new(spool, sha256, size)
            return StoredBlob(sha256=sha256, size=size, created=created)

    @contextlib.contextmanager
    def _spooled(self, stream: BinaryIO, max_bytes: int | None) -> Iterator[tuple[Path, str, int]]:
        fd, name = tempfile.mkstemp(prefix=SPOOL_PREFIX, dir=self.spool_dir)
        spool = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                sha256, size = copy_hashed(stream, out, max_bytes)
            if size > MAX_OBJECT:
                raise BlobTooLarge(MAX_OBJECT)
            yield spool, sha256, size
        finally:
            with contextlib.suppress(FileNotFoundError):
                spool.unlink()

    def _put_new(self, spool: Path, sha256: str, size: int) -> bool:
        """Sends the spooled bytes on condition that the key is free; False if someone else was first."""
        try:
            if size > PART_SIZE:
                self._put_in_parts(spool, sha256)
            else:
                with open(spool, "rb") as body:
                    self._s3.put_object(
                        Bucket=self.bucket, Key=self.key_of(sha256), Body=body, ContentLength=size,
                        IfNoneMatch="*", **self._object_args(sha256),
                    )
        except self._client_error as error:
            if _code(error) in _EXISTS:
                return False
            raise
        return True

    @staticmethod
    def _object_args(sha256: str) -> dict[str, Any]:
        return {"ContentType": "application/octet-stream", "Metadata": {"sha256": sha256}}

    def _put_in_parts(self, spool: Path, sha256: str) -> None:
        """A multipart upload, read from the spool a part at a time; completed only if the key is free."""
        key = self.key_of(sha256)
        upload = self._s3.create_multipart_upload(Bucket=self.bucket, Key=key, **self._object_args(sha256))
        upload_id = upload["UploadId"]
        try:
            parts = []
            size = spool.stat().st_size
            with open(spool, "rb") as body:
                for number, start in enumerate(range(0, size, PART_SIZE), start=1):
                    length = min(PART_SIZE, size - start)
                    sent = self._s3.upload_part(
                        Bucket=self.bucket, Key=key, UploadId=upload_id, PartNumber=number,
                        Body=_Window(body, start, length), ContentLength=length)
                    parts.append({"ETag": sent["ETag"], "PartNumber": number})
            self._s3.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts},
                IfNoneMatch="*",
            )
        except BaseException:
            with contextlib.suppress(Exception):
                self._s3.abort_multipart_upload(Bucket=self.bucket, Key=key, UploadId=upload_id)
            raise

    def purge(self, sha256: str) -> bool:
        if not self.exists(sha256):
            return False
        self._s3.delete_object(Bucket=self.bucket, Key=self.key_of(sha256))
        return True

    # --- reading ------------------------------------------------------------------------------

    def _head(self, sha256: str) -> dict | None:
        try:
            return self._s3.head_object(Bucket=self.bucket, Key=self.key_of(sha256))
        except self._client_error as error:
            if _code(error) in _MISSING:
                return None
            raise

    def exists(self, sha256: str) -> bool:
        return self._head(sha256) is not None

    def size_of(self, sha256: str) -> int:
        head = self._head(sha256)
        return int(head["ContentLength"]) if head else 0

    def open_verified(self, sha256: str) -> Iterator[bytes]:
        where = self.location(sha256)
        try:
            answer = self._s3.get_object(Bucket=self.bucket, Key=self.key_of(sha256))
        except self._client_error as error:
            if _code(error) in _MISSING:
                raise BlobMissing(sha256, where) from None
            raise
        return self._verified(answer["Body"], sha256, where)

    @staticmethod
    def _verified(body: Any, sha256: str, where: str) -> Iterator[bytes]:
        try:
            yield from verified_chunks(body.iter_chunks(1024 * 1024), sha256, where)
        finally:
            body.close()

    @contextlib.contextmanager
    def local_file(self, sha256: str) -> Iterator[Path]:
        fd, name = tempfile.mkstemp(prefix="s3-get-", dir=self.spool_dir)
        path = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in self.open_verified(sha256):
                    out.write(chunk)
            yield path
        finally:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def iter_shas(self) -> Iterator[str]:
        """Keys come back in byte order, which for ``prefix/ab/<sha256>`` is the hashes' order."""
        pages = self._s3.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=f"{self.prefix}/" if self.prefix else "")
        for page in pages:
            for item in page.get("Contents", []):
                name = item["Key"].rsplit("/", 1)[-1]
                if SHA256.fullmatch(name) and item["Key"] == self.key_of(name):
                    yield name

    # --- housekeeping -------------------------------------------------------------------------

    def ping(self) -> None:
        self._s3.head_bucket(Bucket=self.bucket)

    def clean_temp(self, older_than_s: float = 3600) -> int:
        cutoff = time.time() - older_than_s
        removed = 0
        for entry in os.scandir(self.spool_dir):
            with contextlib.suppress(FileNotFoundError):
                if entry.name.startswith(("s3-put-", "s3-get-")) and entry.stat().st_mtime <= cutoff:
                    os.unlink(entry.path)
                    removed += 1
        return removed


class _Window:
    """A part of an open file, read (and re-read on a retry) in place, never loaded whole."""

    def __init__(self, file: BinaryIO, start: int, length: int) -> None:
        self._file, self._start, self._length, self._at = file, start, length, 0

    def read(self, n: int = -1) -> bytes:
        left = self._length - self._at
        n = left if n is None or n < 0 else min(n, left)
        self._file.seek(self._start + self._at)
        data = self._file.read(n)
        self._at += len(data)
        return data

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._at, 2: self._length}[whence]
        self._at = max(0, min(self._length, base + offset))
        return self._at

    def tell(self) -> int:
        return self._at

    def __len__(self) -> int:
        return self._length
