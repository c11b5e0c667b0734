"""Indexes, in the background, the documents left pending while the index was unreachable.

Ingest never waits for the index: when Elasticsearch is down, documents are kept in the store of
record and marked pending (`archive reindex --pending` catches them up by hand). A long-running
process (the server) also retries by itself, every `interval` seconds, once the index answers again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class PendingCatchUp:
    """Calls ``catch_up`` (which returns how many documents it tried) every ``interval`` seconds."""

    def __init__(self, catch_up: Callable[[], int], interval: float):
        self.catch_up = catch_up
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

    def _loop(self) -> None:
        while not self._stopped.wait(self.interval):
            try:
                self.catch_up()
            except Exception:  # a background thread must outlive any one failure; the next round retries
                log.exception("catching up pending documents failed")
