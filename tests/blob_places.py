"""What the blob tests do behind a store's back, in a folder or in a bucket: damage or delete a blob,
leave a foreign file, count what is kept and what a write left over."""

from __future__ import annotations

from pathlib import Path

from archive.blobs import BlobStore, DirectoryBlobStore
from archive.blobs.s3 import S3BlobStore


def _s3(store: S3BlobStore):
    return store._s3  # the store's own client, so the test speaks to the same bucket with the same rights


def damage(store: BlobStore, sha256: str, data: bytes) -> None:
    """Replaces the stored bytes with `data` (a flipped byte, a truncation) as a failing disk would."""
    if isinstance(store, DirectoryBlobStore):
        path = store.path_of(sha256)
        path.chmod(0o644)
        path.write_bytes(data)
        path.chmod(0o444)
    else:
        assert isinstance(store, S3BlobStore)
        _s3(store).put_object(Bucket=store.bucket, Key=store.key_of(sha256), Body=data)


def stored_bytes(store: BlobStore, sha256: str) -> bytes:
    if isinstance(store, DirectoryBlobStore):
        return store.path_of(sha256).read_bytes()
    assert isinstance(store, S3BlobStore)
    return _s3(store).get_object(Bucket=store.bucket, Key=store.key_of(sha256))["Body"].read()


def delete(store: BlobStore, sha256: str) -> None:
    if isinstance(store, DirectoryBlobStore):
        store.path_of(sha256).unlink()
    else:
        assert isinstance(store, S3BlobStore)
        _s3(store).delete_object(Bucket=store.bucket, Key=store.key_of(sha256))


def put_foreign(store: BlobStore, name: str, shard: str) -> None:
    """A file that is no blob: at the top, and inside a shard."""
    if isinstance(store, DirectoryBlobStore):
        (store.root / name).write_text("not a blob")
        (store.root / shard).mkdir(exist_ok=True)
        (store.root / shard / name).write_text("not a blob")
    else:
        assert isinstance(store, S3BlobStore)
        for key in (f"{store.prefix}/{name}", f"{store.prefix}/{shard}/{name}", f"elsewhere/{shard}/{name}"):
            _s3(store).put_object(Bucket=store.bucket, Key=key, Body=b"not a blob")


def kept_objects(store: BlobStore) -> int:
    """Everything stored outside the temporary folder, blob or not."""
    if isinstance(store, DirectoryBlobStore):
        return sum(1 for p in store.root.rglob("*") if p.is_file() and store.tmp_dir not in p.parents)
    assert isinstance(store, S3BlobStore)
    listed = _s3(store).list_objects_v2(Bucket=store.bucket).get("Contents", [])
    return sum(1 for item in listed if not item["Key"].endswith("/"))  # s3proxy lists its folders too


def temp_dir(store: BlobStore) -> Path:
    """Where a write keeps its bytes until they are in place."""
    if isinstance(store, DirectoryBlobStore):
        return store.tmp_dir
    assert isinstance(store, S3BlobStore)
    return store.spool_dir


def leftovers(store: BlobStore) -> list[Path]:
    return sorted(p for p in temp_dir(store).iterdir() if p.is_file())
