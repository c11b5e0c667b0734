"""The pure part of ingest and reindex in worker processes, so that every core works; one writer.

Workers only compute: they read a file, extract and prepare its text (`ingest.prepare`), and analyse
it for the index (`archive.search.indexing`). They keep nothing. The one writer, the process that
started them, keeps what they computed in the order that never loses anything: the original to the
blob store, then its row, then its index entry. Results come back in the order the work went out.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import TypeVar

from archive.analysis import find_aliases, tokenize
from archive.domain import Document, Kind
from archive.entities import mentions_in
from archive.index.base import IndexDocument
from archive.search.indexing import Analysed, analyse, to_index_document
from archive.store.entities import StoredMention
from ingest.errors import IngestError
from ingest.extract import extract
from ingest.prepare import Prepared, prepare

T = TypeVar("T")
R = TypeVar("R")

# Work handed out ahead of the writer. The workers must have a write batch's worth to do while the
# writer keeps the one before (`pipeline.WRITE_BATCH`), or the two take turns: with 64 items ahead of
# batches of 256, the writer waited half of an ingest for the workers and the workers for it. So up to
# AHEAD_MAX small items go out ahead, as long as their weight (bytes of a file, characters of a text)
# stays under AHEAD_WEIGHT; and AHEAD_PER_WORKER always, however heavy.
AHEAD_PER_WORKER = 32
AHEAD_MAX = 512
AHEAD_WEIGHT = 16 * 1024 * 1024
READ_CHUNK = 1024 * 1024


# Below this many files or documents, starting worker processes costs more than they save.
WORTH_WORKERS = 50


def default_workers() -> int:
    """The machine's cores (those this process may run on)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True)
class Ready:
    """What a worker made of one file: the SHA-256 of the bytes it read and the prepared, analysed
    document, or the reason it cannot be ingested. `in_writer`: the writer must do it itself (a
    container, whose members it stores one by one, or a failure the worker cannot describe)."""

    sha256: str
    prepared: Prepared | None = None
    analysed: Analysed | None = None
    error: tuple[str, str] | None = None  # IngestError's code and message (it does not pickle as is)
    in_writer: bool = False
    mentions: list[StoredMention] | None = None  # the names found in the text (`archive.entities`)

    @property
    def kept_together(self) -> bool:
        """A plain document, ready to be kept in a batch with others (`Ingestor.ingest_prepared`)."""
        return self.prepared is not None and self.error is None and not self.in_writer

    @property
    def ingest_error(self) -> IngestError | None:
        return IngestError(*self.error) if self.error else None


def prepare_file(path: Path, kind: Kind | None, title: str | None) -> Ready | None:
    """A file extracted, prepared and analysed (in a worker); None when it is not a readable file (the
    writer says why)."""
    try:
        digest = hashlib.sha256()
        with open(path, "rb") as stream:
            while chunk := stream.read(READ_CHUNK):
                digest.update(chunk)
    except OSError:
        return None
    sha256 = digest.hexdigest()
    try:
        prepared = prepare(extract(path, name=path.name), path.name, kind, title)
    except IngestError as error:
        return Ready(sha256, error=(error.code, str(error)))
    except Exception:  # whatever it is, the writer meets it again and handles it as it always does
        return Ready(sha256, in_writer=True)
    if prepared.members is not None:
        return Ready(sha256, in_writer=True)
    tokens = tokenize(prepared.text)  # once, for the index and for the names alike
    aliases = find_aliases(tokens)
    mentions = mentions_in(prepared.text, prepared.spans, prepared.language, tokens, aliases)
    analysed = analyse(prepared.title, prepared.text, tokens, aliases)
    return Ready(sha256, prepared, analysed, mentions=mentions)


def _die_with(writer: int) -> None:
    """A worker ends when the writer that started it ends, killed included (on Linux the kernel sends
    it SIGKILL then), rather than wait for work for ever."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != writer:  # the writer ended before the line above
        os._exit(0)


PR_SET_PDEATHSIG = 1


class Workers:
    """A pool of `count` worker processes (default: the cores), started for work of WORTH_WORKERS
    items or more; with one worker, or less work, everything is done in this process."""

    def __init__(self, count: int | None = None) -> None:
        self.count = max(default_workers() if count is None else count, 1)
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Starts the workers now. Forked, so that they start at once with the analysis loaded: start
        them before the index is opened, so that no thread of the index exists when they fork."""
        if self._pool is None and self.count > 1:
            context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
            self._pool = ProcessPoolExecutor(
                self.count, mp_context=context, initializer=_die_with, initargs=(os.getpid(),)
            )
            list(self._pool.map(int, range(self.count)))

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def map(
        self, work: Callable[[T], R], items: Iterable[T], weight: Callable[[T], int]
    ) -> Iterator[tuple[T, R]]:
        """(item, its result) in the order of `items`, a bounded number and `weight` of items ahead of
        the caller (see AHEAD_MAX)."""
        remaining = iter(items)
        head = list(islice(remaining, WORTH_WORKERS)) if self._pool is None else []
        if len(head) == WORTH_WORKERS:
            self.start()
        if self._pool is None:
            for item in chain(head, remaining):
                yield item, work(item)
            return
        window: deque[tuple[T, Future[R], int]] = deque()
        always = self.count * AHEAD_PER_WORKER
        ahead = 0  # the weight of the window
        for item in chain(head, remaining):
            heavy = weight(item)
            window.append((item, self._pool.submit(work, item), heavy))
            ahead += heavy
            while len(window) >= AHEAD_MAX or (len(window) >= always and ahead >= AHEAD_WEIGHT):
                done, future, heavy = window.popleft()
                ahead -= heavy
                yield done, future.result()
        while window:
            done, future, _ = window.popleft()
            yield done, future.result()

    def index_documents(self, documents: Iterable[Document]) -> Iterator[IndexDocument]:
        """The index entries of stored documents, analysed in the workers."""
        for _document, entry in self.map(to_index_document, documents, lambda document: len(document.text)):
            yield entry
