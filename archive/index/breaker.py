"""A circuit breaker for an index node that stops answering.

A node that is hung (stopped, swapping, cut off behind a firewall that drops packets) does not refuse
a connection: every call waits for its whole timeout. After one such call the breaker opens, and for
`cooldown` seconds every call fails at once, without a request. Then one call, and only one, goes
through as a probe: if the node answers (whatever it answers) the breaker closes, if not it opens
again for another cool-down. Calls made while the probe is out fail at once too.

Written here rather than taken from a library because it needs exactly this: one probe at a time,
thread-safe, opened by a node that does not answer and never by an answer the node gives (a 400 or a
404 is an answer).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class CircuitOpen(Exception):
    """The node did not answer lately; `retry_in` seconds until a probe may ask it again."""

    def __init__(self, retry_in: float) -> None:
        super().__init__(f"it did not answer lately; asked again in {max(retry_in, 0):.1f} s")
        self.retry_in = retry_in


class CircuitBreaker:
    def __init__(self, cooldown: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.cooldown = cooldown
        self._clock = clock
        self._lock = threading.Lock()
        self._opened_at: float | None = None
        self._probing = False

    @property
    def is_open(self) -> bool:
        with self._lock:
            return self._opened_at is not None

    def allow(self) -> None:
        """Returns when a call may go to the node; raises CircuitOpen when it must fail at once."""
        with self._lock:
            if self._opened_at is None:
                return
            waited = self._clock() - self._opened_at
            if self._probing or waited < self.cooldown:
                raise CircuitOpen(self.cooldown - waited)
            self._probing = True  # this call is the probe

    def answered(self) -> None:
        with self._lock:
            self._opened_at = None
            self._probing = False

    def not_answered(self) -> None:
        with self._lock:
            self._opened_at = self._clock()
            self._probing = False
