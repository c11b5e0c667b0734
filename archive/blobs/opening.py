"""The blob store a configuration asks for: a folder by default, ``s3://bucket/prefix`` for a bucket,
and a mirrored pair when a copy is configured (ARCHIVE_BLOBS_URL, ARCHIVE_BLOBS_COPY_URL)."""

from __future__ import annotations

from pathlib import Path

from archive.blobs.base import BlobStore, BlobStoreUnavailable
from archive.blobs.directory import DirectoryBlobStore
from archive.settings import Settings


def open_one(url: str | Path, settings: Settings) -> BlobStore:
    """A folder (a path or ``file://``) or a bucket (``s3://``)."""
    text = str(url)
    if text.startswith("s3://"):
        from archive.blobs.s3 import S3BlobStore, S3Options

        options = S3Options(settings.s3_endpoint_url, settings.s3_region, settings.s3_access_key_id,
                            settings.s3_secret_access_key)
        return S3BlobStore(text, settings.home / "tmp", options)
    if "://" in text and not text.startswith("file://"):
        raise BlobStoreUnavailable(f"unknown blob store {text!r}: give a folder or s3://bucket/prefix")
    return DirectoryBlobStore(Path(text.removeprefix("file://")).expanduser())


def open_blob_store(settings: Settings) -> BlobStore:
    """The settings' blob store, mirrored into the copy when one is set."""
    first = open_one(settings.blobs_url or settings.blob_dir, settings)
    if not settings.blobs_copy_url:
        return first
    from archive.blobs.mirror import MirroredBlobStore

    return MirroredBlobStore(first, open_one(settings.blobs_copy_url, settings))
