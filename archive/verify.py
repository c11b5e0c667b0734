"""`archive verify`: every blob re-hashed, the chain of custody walked, every timestamp token checked.

Blobs are found three ways, so that none escapes the check: the documents' originals, the blobs custody
entries name (originals of failed ingests, screenshots, WARCs) and whatever lies in the blob store.
A blob that is named but absent is missing; one whose bytes no longer hash to its name is altered.
With a second store configured (ARCHIVE_BLOBS_COPY_URL) every copy is checked, and a missing or altered
one is rewritten from a good one, each repair a custody entry; only a blob no copy holds intact counts
as missing or altered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from archive.blobs import BlobStore
from archive.blobs.mirror import copy_blob
from archive.custody import ChainReport, check_chain
from archive.notary import Notary
from archive.store import DocumentStore


@dataclass
class VerifyReport:
    checked: int
    missing: list[dict] = field(default_factory=list)
    altered: list[dict] = field(default_factory=list)
    repaired: list[dict] = field(default_factory=list)  # copies rewritten from a good one
    custody: ChainReport = field(default_factory=ChainReport)
    timestamps: list[dict] = field(default_factory=list)  # tokens that do not check out
    timestamps_checked: int = 0
    timestamp_signatures: bool = False  # False: no trusted roots configured, only hashes were compared

    @property
    def ok(self) -> bool:
        """Repaired copies do not count against it: every blob is whole again."""
        whole = all(r["now"] == "ok" for r in self.repaired)
        return whole and not self.missing and not self.altered and self.custody.ok and not self.timestamps

    def as_json(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "ok": self.ok,
            "missing": self.missing,
            "altered": self.altered,
            "repaired": self.repaired,
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
        states = {copy: copy.check(sha256) for copy in blobs.stores()}
        good = next((copy for copy, state in states.items() if state == "ok"), None)
        if good is None:
            state = "altered" if "altered" in states.values() else "missing"
            entry = {**owner, "sha256": sha256, "path": blobs.location(sha256)}
            (report.missing if state == "missing" else report.altered).append(entry)
            continue
        for copy, state in states.items():
            if state != "ok":
                report.repaired.append(repair(store, sha256, copy, state, good))


def repair(store: DocumentStore, sha256: str, bad: BlobStore, state: str, good: BlobStore) -> dict[str, Any]:
    """Rewrites a missing or altered copy from a good one, and says so in the custody log."""
    copy_blob(sha256, good, bad)
    now = bad.check(sha256)
    details = {"copy": bad.name, "location": bad.location(sha256), "was": state, "from": good.name,
               "from_location": good.location(sha256), "now": now}
    entry = store.append_custody("repair", actor="archive verify", sha256=sha256,
                                 subject=bad.location(sha256), details=details)
    return {**details, "sha256": sha256, "custody_seq": entry.seq}


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
