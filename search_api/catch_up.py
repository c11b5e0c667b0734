"""Indexes, in the background, the documents left pending while the index was unreachable.

Ingest never waits for the index: when Elasticsearch is down, documents are kept in the store of
record and marked pending (`archive reindex --pending` catches them up by hand). The server also
retries by itself, every `interval` seconds, once the index answers again.
"""

from __future__ import annotations

import logging
import threading

from archive.index import BackendUnavailable
from archive.service import Archive

log = logging.getLogger(__name__)


class PendingCatchUp:
    def __init__(self, archive: Archive, write_lock: threading.Lock, interval: float):
        self.archive = archive
        self.write_lock = write_lock
        self.interval = interval
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="pending-catch-up", daemon=True)

    def start(self) -> None:
        if self.interval > 0:
            self._thread.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def run_once(self) -> int:
        """Indexes the pending documents if the index is reachable; returns how many were tried."""
        if not self.archive.store.pending_count():
            return 0
        try:
            self.archive.backend.count()  # a cheap probe: is the index back?
        except BackendUnavailable:
            return 0
        with self.write_lock:
            tried = self.archive.reindex(pending_only=True)
        left = self.archive.store.pending_count()
        log.info("caught up %d pending documents, %d still pending", tried, left)
        return tried

    def _loop(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                self.run_once()
            except Exception:  # a background thread must outlive any one failure; the next round retries
                log.exception("catching up pending documents failed")
