"""Content-addressed storage of originals: a folder on the local disk or an S3-compatible bucket, and
optionally a second store keeping a copy of every blob (`archive.blobs.mirror`)."""

from archive.blobs.base import (
    BlobCorrupted,
    BlobMissing,
    BlobStore,
    BlobStoreFull,
    BlobStoreUnavailable,
    BlobTooLarge,
    StoredBlob,
)
from archive.blobs.directory import DirectoryBlobStore
from archive.blobs.opening import open_blob_store

__all__ = [
    "BlobCorrupted", "BlobMissing", "BlobStore", "BlobStoreFull", "BlobStoreUnavailable", "BlobTooLarge",
    "DirectoryBlobStore", "StoredBlob", "open_blob_store",
]
