"""`archive verify`: every blob re-hashed, the chain of custody walked, every timestamp token checked.

Blobs are found three ways, so that none escapes the check: the documents' originals, the blobs custody
entries name (originals of failed ingests, screenshots, WARCs) and whatever lies in the blob store.
A blob that is named but absent is missing; one whose bytes no longer hash to its name is altered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archive.blobs import BlobStore
from archive.custody import ChainReport, check_chain
from archive.notary import Notary
from archive.store import DocumentStore


@dataclass
class VerifyReport:
    checked: int
    missing: list[dict] = field(default_factory=list)
    altered: list[dict] = field(default_factory=list)
    custody: ChainReport = field(default_factory=ChainReport)
    timestamps: list[dict] = field(default_factory=list)  # tokens that do not check out
    timestamps_checked: int = 0
    timestamp_signatures: bool = False  # False: no trusted roots configured, only hashes were compared

    @property
    def ok(self) -> bool:
        return not self.missing and not self.altered and self.custody.ok and not self.timestamps

    def as_json(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "ok": self.ok,
            "missing": self.missing,
            "altered": self.altered,
            "custody": self.custody.as_json(),
            "timestamps_checked": self.timestamps_checked,
            "timestamps": self.timestamps,
            "timestamp_signatures_checked": self.timestamp_signatures,
        }


def verify_blobs(store: DocumentStore, blobs: BlobStore, report: VerifyReport) -> None:
    named: dict[str, dict[str, Any]] = {}  # sha256 -> who names it (the first document or entry)
    for document_id, sha256 in store.iter_shas():
        named.setdefault(sha256, {"id": document_id})
    for seq, sha256 in store.custody_shas():
        named.setdefault(sha256, {"id": None, "custody_seq": seq})
    for sha256 in blobs.iter_shas():
        named.setdefault(sha256, {"id": None, "unreferenced": True})
    purged = store.purged_shas()
    for sha256, owner in sorted(named.items()):
        if sha256 in purged and not blobs.exists(sha256):
            continue  # gone by an admin's decision, which the custody log records
        report.checked += 1
        state = blobs.check(sha256)
        if state != "ok":
            entry = {**owner, "sha256": sha256, "path": blobs.location(sha256)}
            (report.missing if state == "missing" else report.altered).append(entry)


def verify_timestamps(store: DocumentStore, notary: Notary, report: VerifyReport) -> dict[int, str]:
    """Checks every token; returns the custody heads the valid ones vouch for (seq -> hash)."""
    anchors: dict[int, str] = {}
    report.timestamp_signatures = notary.checks_signatures
    for stamp in store.timestamps():
        report.timestamps_checked += 1
        problem = notary.check(stamp)
        if problem:
            report.timestamps.append({
                "id": stamp.id, "subject": stamp.subject, "sha256": stamp.sha256,
                "document_id": stamp.document_id, "custody_seq": stamp.custody_seq, "problem": problem,
            })
        elif stamp.subject == "custody_head" and stamp.custody_seq is not None:
            anchors[stamp.custody_seq] = stamp.sha256
    return anchors


def verify_custody(store: DocumentStore, anchors: dict[int, str], report: VerifyReport) -> None:
    report.custody = check_chain(store.iter_custody(), anchors)
