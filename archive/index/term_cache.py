"""What an index's term statistics said of each term, kept so that a search asks only about new terms.

Term pruning (`archive.index.prune`) needs to know which of a query's terms some document holds; on
Elasticsearch that is a request of its own before the search. Most terms of a query were asked about
before (the same names, their near keys), so their answers are kept:

- a term found held stays held: only deleting every document that holds it makes that wrong, and a
  pruned query that keeps a term nobody holds still finds exactly what it should;
- a term found nowhere is asked about again after `ttl` seconds, and at once after this process
  writes to the index or sees its change mark move (`ElasticsearchBackend.change_mark`, read before
  every search whose answer may be kept). A document another process indexes is thus found by every
  term within `ttl` seconds (and at once by terms already known, or once the mark was read), as
  Elasticsearch's own refresh makes a new document searchable within a second. Such a term is then
  `stale`: most likely absent still, so a search may leave it out while the index is asked about it
  at the same time, and search again only if it is held now.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable

Key = tuple[str, str, str]  # (alias, field, term)

MAX_ENTRIES = 500_000  # about 100 MB at most; past it the cache starts again


class TermCache:
    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._held: set[Key] = set()
        self._absent: dict[Key, float] = {}  # when it was found absent

    def known(self, key: Key) -> bool | None:
        """True (held), False (absent, lately) or None (ask the index)."""
        with self._lock:
            if key in self._held:
                return True
            seen = self._absent.get(key)
            if seen is not None and self._clock() - seen < self.ttl:
                return False
            return None

    def sort(self, keys: Iterable[Key]) -> tuple[list[Key], list[Key], list[Key]]:
        """The keys held, those to ask the index about, and those `stale`: found absent more than `ttl`
        seconds ago and not forgotten since by a write of this process (most likely absent still)."""
        held: list[Key] = []
        unknown: list[Key] = []
        stale: list[Key] = []
        now = self._clock()
        with self._lock:
            for key in keys:
                if key in self._held:
                    held.append(key)
                    continue
                seen = self._absent.get(key)
                if seen is None:
                    unknown.append(key)
                elif now - seen >= self.ttl:
                    stale.append(key)
        return held, unknown, stale

    def learn(self, held: Iterable[Key], absent: Iterable[Key]) -> None:
        now = self._clock()
        with self._lock:
            if len(self._held) + len(self._absent) > MAX_ENTRIES:
                self._held.clear()
                self._absent.clear()
            self._held.update(held)
            self._absent.update((key, now) for key in absent)

    def written(self) -> None:
        """This process, or another one, wrote to the index: terms found absent may be held now."""
        with self._lock:
            self._absent.clear()

    def clear(self) -> None:
        with self._lock:
            self._held.clear()
            self._absent.clear()
