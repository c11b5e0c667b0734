"""`archive backup DIR` and `archive restore DIR`: a consistent copy of the whole archive, taken while it
runs, and brought back into another data directory (another machine).

A backup folder holds:

- ``archive.sqlite3``: the store of record at one moment (archive/store/copying.py);
- ``blobs/``: every original, in the folder layout of the blob store, whatever store they came from;
- ``settings.json``: the settings the archive ran with, secrets left out, for the record;
- ``backup.json``: what was copied (counts, the custody log's head), written last: a folder without it
  is an unfinished backup.

The store is copied first, then the blobs: an original is always stored before its row, so every blob
the copied store names is already there when the blobs are copied (blobs written later are copied too,
and are harmless). The index is not copied: `restore` rebuilds it from the restored store, so it is
consistent by construction. Blobs already in the backup folder are not sent again, so backing up into
the same folder again copies only what is new.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from archive.blobs import BlobCorrupted, BlobMissing, BlobStore, DirectoryBlobStore
from archive.blobs.mirror import copy_blob
from archive.settings import Settings
from archive.store import DocumentStore

FORMAT = 1
MANIFEST = "backup.json"
STORE_FILE = "archive.sqlite3"
SECRET_SETTINGS = ("s3_secret_access_key", "s3_access_key_id")
# What a backup folder holds, finished or not: backing up into one again (after an interruption too)
# copies what is new.
BACKUP_NAMES = {MANIFEST, STORE_FILE, f"{STORE_FILE}.partial", "blobs", "settings.json"}


class BackupError(RuntimeError):
    """A folder that is not a backup, or a backup that cannot go where it is asked to."""


@dataclass
class CopyReport:
    folder: str
    documents: int = 0
    custody_entries: int = 0
    blobs_copied: int = 0
    blobs_already_there: int = 0
    problems: list[dict] = field(default_factory=list)  # blobs that could not be copied, and why

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def settings_record(settings: Settings) -> dict[str, Any]:
    """The settings as JSON, without credentials."""
    record = {}
    for name, value in asdict(settings).items():
        if name in SECRET_SETTINGS:
            continue
        record[name] = str(value) if isinstance(value, Path) else value
    return record


def backup(store: DocumentStore, blobs: BlobStore, settings: Settings, folder: Path) -> CopyReport:
    folder = Path(folder)
    if folder.exists() and any(entry.name not in BACKUP_NAMES for entry in folder.iterdir()):
        raise BackupError(f"{folder} is neither empty nor a backup: choose an empty folder")
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).unlink(missing_ok=True)  # unfinished until written again at the end
    partial = folder / f"{STORE_FILE}.partial"
    store.backup_to(partial)
    partial.replace(folder / STORE_FILE)
    report = CopyReport(folder=str(folder))
    with DocumentStore(f"sqlite:///{folder / STORE_FILE}") as copied:
        report.documents = copied.count()
        head = copied.custody_head()
    report.custody_entries = head.seq if head else 0
    _copy_blobs(blobs, DirectoryBlobStore(folder / "blobs"), report)
    (folder / "settings.json").write_text(json.dumps(settings_record(settings), indent=1, ensure_ascii=False))
    manifest = {
        "format": FORMAT, "made_at": datetime.now(UTC).isoformat(), "store": STORE_FILE,
        "documents": report.documents, "custody_head": {"seq": head.seq, "hash": head.hash} if head else None,
        "blobs": report.blobs_copied + report.blobs_already_there, "problems": report.problems,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return report


def _copy_blobs(source: BlobStore, target: BlobStore, report: CopyReport) -> None:
    for sha256 in source.iter_shas():
        if target.exists(sha256):
            report.blobs_already_there += 1
            continue
        try:
            copy_blob(sha256, source, target)
        except (BlobCorrupted, BlobMissing) as error:  # verify names it; the rest is still copied
            report.problems.append({"sha256": sha256, "problem": str(error)})
        else:
            report.blobs_copied += 1


def read_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((Path(folder) / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} is not a finished backup: it has no {MANIFEST}") from None
    except ValueError as error:
        raise BackupError(f"{folder}/{MANIFEST} is not readable: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{folder} is a backup of format {manifest.get('format')!r}; this archive reads {FORMAT}")
    return manifest


def restore(folder: Path, store: DocumentStore, blobs: BlobStore, scratch: Path) -> CopyReport:
    """The backup's rows into `store` (which must be empty) and its blobs into `blobs`; the caller
    rebuilds the index. The backup folder is only read: its store is opened from a scratch copy."""
    folder = Path(folder)
    read_manifest(folder)
    if store.count() or store.custody_head() is not None:
        raise BackupError(
            "the archive to restore into is not empty: restore into a new --home (and database)")
    scratch.mkdir(parents=True, exist_ok=True)
    copy = scratch / f"restore-{datetime.now(UTC):%Y%m%d%H%M%S%f}.sqlite3"
    shutil.copyfile(folder / STORE_FILE, copy)
    report = CopyReport(folder=str(folder))
    try:
        with DocumentStore(f"sqlite:///{copy}") as backed_up:  # migrated here if the backup is older
            counts = backed_up.copy_into(store)
    finally:
        for leftover in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
            leftover.unlink(missing_ok=True)
    report.documents = counts.get("documents", 0)
    report.custody_entries = counts.get("custody_log", 0)
    _copy_blobs(DirectoryBlobStore(folder / "blobs"), blobs, report)
    return report
