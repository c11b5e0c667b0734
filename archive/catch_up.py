"""Indexing in the background, so that a slow or unreachable index never holds up a request.

A long-running process (the server) stores a document, hands it to this thread and answers: the
request waits a moment for the document to become searchable, never longer. The thread also catches
up, every `interval` seconds, the documents left pending while the index was unreachable (`archive
reindex --pending` does the same by hand). A command-line run has no such thread and indexes as it
goes, since the person running it waits for it anyway.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger(__name__)


class BackgroundIndexer:
    """Runs ``flush`` soon after each `wake`, and ``catch_up`` every ``interval`` seconds (0: never)."""

    def __init__(self, flush: Callable[[], None], catch_up: Callable[[], int], interval: float):
        self.flush = flush
        self.catch_up = catch_up
        self.interval = interval
        self._changed = threading.Condition()
        self._asked = 0  # wakes so far
        self._done = 0  # the wakes whose flush has finished (successfully or not)
        self._stopped = False
        self._thread = threading.Thread(target=self._loop, name="background-indexer", daemon=True)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._changed:
            self._stopped = True
            self._changed.notify_all()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def wake(self) -> int:
        """Asks for a flush; returns the ticket `wait` takes."""
        with self._changed:
            self._asked += 1
            self._changed.notify_all()
            return self._asked

    def wait(self, ticket: int, timeout: float) -> bool:
        """Waits at most ``timeout`` seconds for the flush of ``ticket``; True when it has run."""
        with self._changed:
            return self._changed.wait_for(lambda: self._done >= ticket or self._stopped, timeout)

    def _loop(self) -> None:
        next_catch_up = time.monotonic() + self.interval
        while True:
            with self._changed:
                timeout = max(next_catch_up - time.monotonic(), 0) if self.interval > 0 else None
                self._changed.wait_for(lambda: self._stopped or self._asked > self._done, timeout)
                if self._stopped:
                    return
                asked = self._asked
            if asked > self._done:
                self._run(self.flush, "indexing new documents")
                with self._changed:
                    self._done = asked
                    self._changed.notify_all()
            if self.interval > 0 and time.monotonic() >= next_catch_up:
                self._run(self.catch_up, "catching up pending documents")
                next_catch_up = time.monotonic() + self.interval

    @staticmethod
    def _run(work: Callable[[], object], doing: str) -> None:
        try:
            work()
        except Exception:  # a background thread must outlive any one failure; the next round retries
            log.exception("%s failed", doing)
