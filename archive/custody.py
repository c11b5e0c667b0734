"""The chain of custody: entries that each carry the hash of the one before, and the check of the chain.

An entry's hash is the SHA-256 of its canonical JSON (keys sorted, no spaces, UTF-8), which holds every
field but the hash itself, the previous entry's hash included. Rewriting one entry changes its hash and
breaks the link from the next one; rewriting every later entry too is noticed against any head kept
elsewhere: a trusted timestamp of the head (archive/timestamps.py) or an exported evidence package.
This module knows nothing of SQL: the store writes and reads entries, the chain is checked here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any

GENESIS = "0" * 64  # the "previous hash" of the first entry

# What can happen to an original or a document. Ingest outcomes keep the audit trail's statuses.
# delete: a purge; expand: every member of a container was gone through (how many stored, how many
# failed); repair: a damaged or missing copy of a blob rewritten from a good one; entity: an archivist's
# decision about an entity (confirm, merge, split)
ACTIONS = (
    "ingest", "capture", "retry", "expand", "metadata", "access", "delete", "timestamp", "repair", "entity",
)
STATUSES = ("created", "duplicate", "failed")


@dataclass(frozen=True)
class CustodyEntry:
    seq: int
    at: datetime
    action: str
    actor: str = ""  # who: the user or the provenance's "ingested by"; empty when not known
    status: str | None = None  # for ingests and captures: created, duplicate or failed
    document_id: str | None = None
    sha256: str | None = None  # the original (or other blob) the entry is about
    subject: str = ""  # what was handled: a file name, a URL (credentials already removed)
    error: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    prev_hash: str = GENESIS
    hash: str = ""

    def content(self) -> dict[str, Any]:
        """Everything the hash covers, as JSON values. Shallow: `details` is the entry's own (JSON
        already, as stored), not a copy; `asdict`'s deep copy was a tenth of a millisecond of every
        ingested document's writer time."""
        values = {name: getattr(self, name) for name in _HASHED}
        values["at"] = self.at.isoformat()
        return values

    def computed_hash(self) -> str:
        return entry_hash(self.content())

    def as_json(self) -> dict[str, Any]:
        return {**self.content(), "hash": self.hash}


_HASHED = tuple(f.name for f in fields(CustodyEntry) if f.name != "hash")


def canonical_json(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(content: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


@dataclass(frozen=True)
class ChainBreak:
    """The first place where the stored chain is not the chain that was written."""

    seq: int
    problem: str  # "edited", "deleted", "rewritten", "tail_deleted"
    message: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ChainReport:
    checked: int = 0
    head: str = GENESIS
    head_seq: int = 0
    broken: ChainBreak | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None

    def as_json(self) -> dict[str, Any]:
        return {
            "checked": self.checked,
            "ok": self.ok,
            "head_seq": self.head_seq,
            "head": self.head,
            "first_broken": self.broken.as_json() if self.broken else None,
        }


def check_chain(entries: Iterable[CustodyEntry], anchors: dict[int, str] | None = None) -> ChainReport:
    """Walks the entries in order of `seq` and stops at the first broken link.

    `anchors` are (seq -> hash) pairs kept outside the table, such as timestamped heads: an entry that
    no longer has its anchored hash, or an anchor past the end of the chain, is a break as well.
    """
    anchors = anchors or {}
    report = ChainReport()
    previous_seq, previous_hash = 0, GENESIS
    for entry in entries:
        report.checked += 1
        broken = _link_break(entry, previous_seq, previous_hash, anchors.get(entry.seq))
        if broken:
            report.broken = broken
            return report
        previous_seq, previous_hash = entry.seq, entry.hash
    report.head, report.head_seq = previous_hash, previous_seq
    beyond = [seq for seq in anchors if seq > previous_seq]
    if beyond:
        report.broken = ChainBreak(
            previous_seq + 1,
            "tail_deleted",
            f"entry {max(beyond)} was timestamped but the log now ends at entry {previous_seq}: "
            "entries were deleted from its end",
        )
    return report


def _link_break(
    entry: CustodyEntry, previous_seq: int, previous_hash: str, anchor: str | None
) -> ChainBreak | None:
    if entry.seq != previous_seq + 1:
        first, last = previous_seq + 1, entry.seq - 1
        gone = f"entry {first}" if first == last else f"entries {first} to {last}"
        return ChainBreak(first, "deleted", f"{gone} missing: deleted from the custody log")
    if entry.computed_hash() != entry.hash:
        return ChainBreak(entry.seq, "edited", f"entry {entry.seq} was edited: its content no longer "
                          "matches its hash")
    if entry.prev_hash != previous_hash:
        return ChainBreak(entry.seq - 1, "rewritten", f"entry {entry.seq} does not link to entry "
                          f"{entry.seq - 1}: that entry was replaced or rewritten with a new hash")
    if anchor is not None and anchor != entry.hash:
        return ChainBreak(entry.seq, "rewritten", f"entry {entry.seq} is not the entry that was "
                          "timestamped: the log was rewritten from there on")
    return None
