"""Answers to searches asked again before anything they depend on changed.

A page and then its htmx fragment, a reload, the next page of hits and back, a name in the news that
many readers look up: the same search asked again. Its answer depends on the store of record (the
documents, their access and withdrawal, grants, entities, what is pending) and on the index, and each
of them gives a mark that changes with every change committed to it, by any process
(`DocumentStore.change_mark`, `IndexBackend.change_mark`). An answer is kept under the marks read
before it was worked out, and found only while both are unchanged, so no answer outlives a change.
Every database and index backend gives one (an Elasticsearch node at the cost of one small request);
where a part cannot give a mark now (an in-memory database, a node that does not answer), nothing is
kept or found. Kept answers are shared: callers read them and never change them.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Answers(Generic[T]):
    """A bounded, thread-safe map of search keys to answers, least recently used first out."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._kept: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> T | None:
        with self._lock:
            answer = self._kept.get(key)
            if answer is not None:
                self._kept.move_to_end(key)
            return answer

    def put(self, key: Hashable, answer: T) -> None:
        with self._lock:
            self._kept[key] = answer
            self._kept.move_to_end(key)
            while len(self._kept) > self._size:
                self._kept.popitem(last=False)
