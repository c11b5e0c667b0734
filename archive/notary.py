"""The archive's trusted timestamps: which hashes are stamped, when, and how tokens are checked.

Every new original is stamped as it is stored; the custody log's head at most every
`tsa_head_seconds`, and only when the log has grown since. A stamped head anchors the chain: entries
rewritten or deleted before it can no longer be hidden by recomputing every later hash. An authority
that is down never fails an ingest: the original stays unstamped until `archive timestamp` catches up.
Without `tsa_url` nothing is stamped and nothing else changes.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

from archive.settings import Settings
from archive.store import DocumentStore, StoredTimestamp
from archive.timestamps import TimestampClient, TimestampError, check_token, load_certificates

log = logging.getLogger(__name__)
_REASON = re.compile(r'reason: "([^"]+)"')


class Notary:
    def __init__(self, store: DocumentStore, settings: Settings):
        self.store = store
        self.settings = settings
        self.client = TimestampClient(settings.tsa_url) if settings.tsa_url else None

    @property
    def enabled(self) -> bool:
        return self.client is not None

    def stamp_original(self, document_id: str, sha256: str) -> StoredTimestamp | None:
        if self.client is None:
            return None
        try:
            stamp = self.client.stamp(sha256)
        except TimestampError as error:
            log.warning("original %s of %s left without a trusted timestamp: %s", sha256, document_id, error)
            return None
        return self.store.add_timestamp(
            "original", sha256, stamp.token, stamp.gen_time, stamp.tsa_url, document_id=document_id
        )

    def stamp_head(self, force: bool = False) -> StoredTimestamp | None:
        """Stamps the log's head when it moved and the last stamp is old enough (or with `force`)."""
        if self.client is None:
            return None
        head = self.store.custody_head()
        if head is None:
            return None
        last = self.store.latest_head_timestamp()
        if last is not None and not force:
            # The entry recording the last stamp is the head it left behind: nothing new since.
            moved = last.custody_seq is not None and head.seq > last.custody_seq + 1
            due = datetime.now(UTC) - last.at >= timedelta(seconds=self.settings.tsa_head_seconds)
            if not (moved and due):
                return None
        try:
            stamp = self.client.stamp(head.hash)
        except TimestampError as error:
            log.warning("custody log head %d left without a trusted timestamp: %s", head.seq, error)
            return None
        return self.store.add_timestamp(
            "custody_head", head.hash, stamp.token, stamp.gen_time, stamp.tsa_url, custody_seq=head.seq
        )

    def catch_up(self) -> tuple[int, int]:
        """Stamps every original that has no token yet, then the head; returns (stamped, still missing)."""
        missing = self.store.unstamped_documents()
        stamped = sum(self.stamp_original(doc_id, sha) is not None for doc_id, sha in missing)
        self.stamp_head(force=True)
        return stamped, len(missing) - stamped

    @property
    def checks_signatures(self) -> bool:
        return self.settings.tsa_ca_file is not None

    def check(self, stamp: StoredTimestamp) -> str | None:
        """None when the token is valid for its hash, else the reason it is not."""
        return _short(check_token(stamp.token, stamp.sha256, load_certificates(self.settings.tsa_ca_file)))


def _short(problem: str | None) -> str | None:
    """OpenSSL's error stacks are long: their last reason says it."""
    if problem is None:
        return None
    reasons = _REASON.findall(problem)
    return f"{problem.split(':', 1)[0]}: {reasons[-1]}" if reasons else problem
