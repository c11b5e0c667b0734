"""The one service layer: the command line, the JSON API and the web pages call these methods and
nothing below them (store, blobs, index), so that every rule about documents is enforced in one place.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Hashable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import cached_property, partial
from pathlib import Path
from typing import BinaryIO

from archive.accounts import SYSTEM, Accounts, Principal
from archive.analysis.entity_groups import CONFIRM, MERGE, SPLIT, Decision
from archive.analysis.tokenize import tokenize
from archive.backup import BackupError, CopyReport
from archive.backup import backup as backup_archive
from archive.backup import restore as restore_archive
from archive.blobs import BlobStoreUnavailable, StoredBlob, open_blob_store
from archive.catch_up import BackgroundIndexer
from archive.citation import Citation, cite, permalink
from archive.domain import Document, Kind
from archive.edits import DocumentChanges, InvalidChange, apply_changes, given_collection, given_metadata
from archive.entities import regroup, scan_missing
from archive.entity_export import entities_csv, entities_ftm
from archive.entity_views import EntityView, grouped_spellings, reference, summary
from archive.evidence import build_package
from archive.index import BackendUnavailable, IndexBackend, open_backend
from archive.index.base import NAMES, Bool, BulkRejected, Filters, Term
from archive.notary import Notary
from archive.pipeline import CaptureLimits, Ingestor, IngestRequest, IngestResult, write_groups
from archive.search.answers import Answers
from archive.search.batch import BatchHit, BatchRequest, BatchRow, name_query, to_csv
from archive.search.dates import document_date
from archive.search.explain import Explainer, Highlight
from archive.search.indexing import Analysed, name_keys, to_index_document
from archive.search.parser import parse_query
from archive.search.planner import QueryPlan, plan
from archive.search.request import FACET_SIZE, SearchRequest
from archive.search.snippets import explain_hits
from archive.settings import Settings, database_url
from archive.store import DocumentStore, MemberLink, StoreUnavailable
from archive.store.copying import StoreNotEmpty
from archive.translation import QueryTranslator, query_language
from archive.verify import VerifyReport, verify_blobs, verify_custody, verify_timestamps
from archive.versions import compare
from archive.web_capture import WebArchiver
from archive.workers import WORTH_WORKERS, Ready, Workers, prepare_file
from ingest.errors import IngestError
from ingest.files import Refused, walk

__all__ = [  # what the faces use: this module is all they import of the archive's workings
    "Archive",
    "BackendUnavailable",
    "BatchRequest",
    "BatchRow",
    "Citation",
    "DocumentChanges",
    "EntityView",
    "Failure",
    "IngestRequest",
    "IngestResult",
    "InvalidChange",
    "NotAllowed",
    "NotRetryable",
    "OriginalUnavailable",
    "Principal",
    "Related",
    "SearchHit",
    "SearchResult",
    "VerifyReport",
    "entities_csv",
    "entities_ftm",
    "given_collection",
    "given_metadata",
]

# What opening the archive raises when a configured part cannot be reached or its library is missing.
PARTS_UNAVAILABLE = (StoreUnavailable, BlobStoreUnavailable)
# What backup, restore and moving the store refuse with a reason (a folder that is no backup, a target
# that is not empty).
COPY_REFUSED = (BackupError, StoreNotEmpty)

log = logging.getLogger(__name__)

INDEX_BATCH = 200
RELATED = 5  # related documents shown on a reading page
HIT_ENTITIES = 5  # people, places and organisations named on each hit
RELATED_NAMES = 40  # of a document's names, the most frequent asked for its related documents
RELATED_TEXT = 50_000  # characters of a long text its names are taken from (reading more costs seconds)
NO_WORDS = "The query has no words to search for."


CAPTURE_FILES = {"warc": "application/warc", "screenshot": "image/png", "wacz": "application/wacz"}
MAX_ENTRY = 2**62  # custody entry numbers fit SQLite's and PostgreSQL's integers
CAPTURE_SUFFIXES = {"warc": ".warc.gz", "screenshot": ".png", "wacz": ".wacz"}


class NotRetryable(ValueError):
    """The custody entry named is not a failed capture."""


@dataclass(frozen=True)
class Failure:
    seq: int  # the custody entry of the failed attempt: the ID `archive retry` takes
    action: str  # "ingest" (a file), "capture" or "retry" (a link)
    subject: str
    error: str
    at: str
    retried_by: int | None = None
    retry_status: str | None = None
    retry_document: str | None = None
    code: str | None = None  # why, for a catalog (`IngestError.code`); `error` says it in English

    @property
    def retryable(self) -> bool:
        return self.action in ("capture", "retry")

    def as_json(self) -> dict:
        return dict(self.__dict__)


class NotAllowed(PermissionError):
    """The principal may not do this; the message says who may."""


class OriginalUnavailable(RuntimeError):
    """The original of a known document is missing or does not match its SHA-256."""

    def __init__(self, document: Document, state: str) -> None:
        if state == "purged":
            message = "The original was purged by an admin; the custody log keeps its hash and the reason."
        else:
            message = f"The original is {state}: run `archive verify` and restore it from a backup."
        super().__init__(message)
        self.document = document
        self.state = state


@dataclass
class SearchHit:
    id: str
    sha256: str
    title: str
    kind: str
    language: str
    score: float
    snippet: str
    matched: list[str]
    original_name: str
    ingested_at: str
    snippet_text: str = ""  # the snippet as plain text; `snippet` is the same as HTML with <mark>s
    highlights: list[tuple[int, int]] = field(default_factory=list)  # [start, end) in snippet_text
    mode: str = "any spelling"  # how `matched` was found: "exact" (the typed form only) or "any spelling"
    found_in: dict | None = None  # the container (e-mail, ZIP) it came from: id, title, path in it
    date: str = ""  # the document's own date, YYYY-MM-DD (see `archive.search.dates`)
    date_kind: str = ""  # which: "decided", "published" or "archived"
    entities: list[dict] = field(default_factory=list)  # the people, places and organisations it names

    def as_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    message: str | None = None  # said to the user when the query could not be run as typed
    # Field -> value -> documents among those the query matches, each field counted under the other
    # fields' filters (so a reader sees what choosing another value would give); every field of
    # `archive.index.base.FACETS`, empty when the query could not run.
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    pending: int = 0  # documents kept but not yet searchable (the index is catching up, or down)

    def as_json(self) -> dict:
        answer: dict = {"query": self.query, "total": self.total, "hits": [h.as_json() for h in self.hits],
                        "facets": self.facets, "pending": self.pending}
        if self.message:
            answer["message"] = self.message
        return answer


class Archive:
    """Store of record, blob store and index backend, opened from settings.

    Writes (ingest, capture, reindex) take one lock, so that a process writes one document at a time
    and the order original → row → index holds; reads take none.
    """

    def __init__(self, settings: Settings):
        self.settings = settings
        settings.home.mkdir(parents=True, exist_ok=True)
        self.store = DocumentStore(settings.sqlalchemy_url)
        self.blobs = open_blob_store(settings)
        removed = self.blobs.clean_temp()
        if removed:
            log.info("removed %d temporary files left by interrupted writes", removed)
        self.translator = QueryTranslator(settings.translation_dir)
        self._answers: Answers[SearchResult] = Answers(settings.kept_answers)
        self.accounts = Accounts(self.store.accounts, settings.public_reading)
        self._to_index: list[tuple[Document, Analysed | None]] = []
        self._queue_lock = threading.Lock()  # guards _to_index, which requests and the indexer share
        self._writes = threading.RLock()
        # Held while documents go to the index; never while waiting for the write lock, so that a slow
        # index holds up no write to the store.
        self._indexing = threading.RLock()
        self._indexer = BackgroundIndexer(
            self._index_and_group, self.catch_up_pending, settings.index_retry_seconds
        )

    @cached_property
    def backend(self) -> IndexBackend:
        backend = open_backend(self.settings)
        self._rebuild_if_outdated(backend)
        return backend

    def _rebuild_if_outdated(self, backend: IndexBackend) -> None:
        """An index built with another layout (an older version of the archive) is rebuilt from the
        store of record before its first use; an unreachable one is checked again at the next start."""
        try:
            if not backend.outdated():
                return
        except BackendUnavailable as error:
            log.warning("could not check the index layout: %s", error)
            return
        log.warning("the index was built with another layout: rebuilding it from the store of record")
        with self._writes, self._indexing, Workers(1) as pool:
            self._rebuild(pool, backend)

    def start_background(self) -> None:
        """For a long-running process: index in a background thread, so that requests never wait on
        the index for long, and index pending documents by itself once the index is back."""
        self._indexer.start()

    def close(self) -> None:
        self._indexer.stop()
        self.flush_index()
        if "backend" in self.__dict__:
            self.backend.close()
        self.store.close()

    # --- ingest -------------------------------------------------------------------------------

    @cached_property
    def ingestor(self) -> Ingestor:
        archiver = WebArchiver(
            self.blobs, screenshots=self.settings.screenshots, browser=self.settings.browser_path,
            public_only=not self.settings.capture_private_addresses,
        )
        return Ingestor(
            self.store, self.blobs, self.settings.max_upload_bytes, self._queue_for_index, archiver
        )

    def files(self, paths: Iterable[Path]) -> list[Path | Refused]:
        """The files `ingest_paths` would take from these paths, folders walked, in its order."""
        return list(walk(paths, self.settings.follow_links))

    def ingest_paths(
        self, paths: Iterable[Path], request: IngestRequest, by: Principal = SYSTEM, workers: int | None = 1
    ) -> Iterator[IngestResult]:
        """Ingests files and folders; indexes in batches. With several ``workers``, worker processes
        extract, prepare and analyse the files ahead (`archive.workers`), and this process keeps them
        in order, prepared files in batches (`write_groups`)."""
        request = _on_behalf(request, by)
        prepare_one = partial(_prepare_found, kind=request.kind, title=request.title)
        try:
            with Workers(workers) as pool, ThreadPoolExecutor(1, thread_name_prefix="originals") as originals:
                found = pool.map(prepare_one, walk(paths, self.settings.follow_links), _found_bytes)
                # A batch's originals are made durable while the batch before is kept: the fsyncs' wait
                # was the writer's longest (1.1 of 2.0 ms a document).
                durable: tuple[list[tuple[Path, Ready]], Future[list[StoredBlob | Exception]]] | None = None
                for group in write_groups(found):
                    after = None
                    if isinstance(group, list):  # prepared files, kept together
                        after = group, originals.submit(self.ingestor.keep_originals, group, request)
                    if durable is not None:
                        yield from self._keep_prepared(*durable, request)
                    durable = after
                    if after is None:  # a file alone, kept as it came
                        with self._writes:
                            result = self._stamped(self._ingest_found(*group, request))
                        yield result
                if durable is not None:
                    yield from self._keep_prepared(*durable, request)
        finally:
            with self._writes:
                ticket = self._finish_writes()
            self._await_index(ticket)

    def _keep_prepared(
        self, group: list[tuple[Path, Ready]], stored: Future[list[StoredBlob | Exception]],
        request: IngestRequest,
    ) -> list[IngestResult]:
        """Prepared files whose originals are being made durable (`Ingestor.keep_originals`), kept."""
        blobs = stored.result()
        with self._writes:
            return [self._stamped(result) for result in self.ingestor.ingest_prepared(group, request, blobs)]

    def _ingest_found(
        self, path: Path | Refused, ready: Ready | None, request: IngestRequest
    ) -> IngestResult:
        if isinstance(path, Refused):
            error = IngestError(path.code, path.reason)
            return self.ingestor.failed(str(path.path), error, actor=request.who)
        return self.ingestor.ingest_path(path, request, ready)

    def ingest_upload(
        self, stream: BinaryIO, filename: str, request: IngestRequest, by: Principal = SYSTEM
    ) -> IngestResult:
        request = _quota_left(_on_behalf(request, by), self.quota_left(by))
        with self._writes:
            try:
                result = self._stamped(self.ingestor.ingest_stream(stream, filename, request))
            finally:
                ticket = self._finish_writes()
        self._await_index(ticket)
        return result

    @property
    def _capture_limits(self) -> CaptureLimits:
        return CaptureLimits(
            timeout_seconds=self.settings.capture_timeout_seconds,
            max_bytes=self.settings.capture_max_bytes,
            public_only=not self.settings.capture_private_addresses,
            secret_params=self.settings.secret_params,
        )

    def capture(self, url: str, request: IngestRequest, by: Principal = SYSTEM) -> IngestResult:
        request = _quota_left(_on_behalf(request, by), self.quota_left(by))
        with self._writes:
            try:
                result = self._stamped(self.ingestor.capture(url, request, self._capture_limits))
            finally:
                ticket = self._finish_writes()
        self._await_index(ticket)
        return result

    def failures(self, limit: int = 100, viewer: Principal = SYSTEM) -> list[Failure]:
        """Failed ingests and captures, newest first, each with the retry that followed it, if any.
        For archivists and admins: the names and links of what failed are theirs to see."""
        if not viewer.can_write:
            raise NotAllowed("Only archivists and admins may see failed ingests and captures.")
        retries = {e.details.get("retry_of"): e for e in self.store.custody_by_action("retry")}
        found = []
        for event in self.store.events(status="failed", limit=limit):
            retried = retries.get(event.id)
            found.append(Failure(event.id, event.action, event.file, event.error or "", event.at.isoformat(),
                                 retried.seq if retried else None, retried.status if retried else None,
                                 retried.document_id if retried else None, event.code))
        return found

    def retry(
        self, seq: int, request: IngestRequest, url: str | None = None, by: Principal = SYSTEM
    ) -> IngestResult:
        """Runs a failed capture again (`url` may restore credentials the record lost); every attempt is
        kept as its own custody entry, pointing at the one it retries."""
        request = _on_behalf(request, by)
        entry = self.store.custody_entries([seq]).get(seq) if 0 < seq <= MAX_ENTRY else None
        if entry is None or entry.status != "failed" or entry.action not in ("capture", "retry"):
            raise NotRetryable(f"custody entry {seq} is not a failed capture")
        with self._writes:
            try:
                captured = self.ingestor.capture(url or entry.subject, request, self._capture_limits, seq)
                result = self._stamped(captured)
            finally:
                ticket = self._finish_writes()
        self._await_index(ticket)
        return result

    def captures(self, document: Document, viewer: Principal = SYSTEM) -> list[dict]:
        """Every capture of the document's URL, oldest first: its versions and unchanged re-captures.
        Versions that are documents ``viewer`` may not see are left out."""
        url = document.metadata.get("url")
        entries = self.store.custody_of(document.id)
        if url:
            entries += self.store.custody_by_subject(str(url))
        seen, versions = set(), []
        for entry in sorted(entries, key=lambda e: e.seq):
            if entry.action not in ("capture", "retry") or entry.seq in seen or entry.status == "failed":
                continue
            if entry.document_id != document.id and self.document(entry.document_id or "", viewer) is None:
                continue
            seen.add(entry.seq)
            versions.append({"seq": entry.seq, "at": entry.at.isoformat(), "document_id": entry.document_id,
                             "status": entry.status, "url": entry.subject, **entry.details})
        self._describe_changes(versions)
        return versions

    def _describe_changes(self, versions: list[dict]) -> None:
        """Marks each version whose content differs from the one before, with the words that changed."""
        previous: dict | None = None
        for version in versions:
            changed = previous is not None and version.get("payload_sha256") != previous.get("payload_sha256")
            version["changed"], version["change"] = changed, None
            if changed and previous is not None:
                found = self.store.get_many([previous["document_id"], version["document_id"]])
                old, new = found.get(previous["document_id"]), found.get(version["document_id"])
                if old is not None and new is not None:
                    version["change"] = compare(old.title, old.text, new.title, new.text).as_json()
            previous = version

    def original_state(self, document: Document) -> str:
        """"ok", "missing", "altered" or "purged": what the permalink page must say about the original."""
        state = self.blobs.check(document.sha256)
        if state == "missing" and document.sha256 in self.store.purged_shas():
            return "purged"
        return state

    def trusted_timestamps(self, document: Document) -> list[dict]:
        """When an authority vouched for the document's original (and its captures' WARCs)."""
        return [{"sha256": s.sha256, "gen_time": s.gen_time.isoformat(), "tsa_url": s.tsa_url,
                 "of_original": s.sha256 == document.sha256}
                for s in self.store.timestamps(document_id=document.id)]

    def capture_file(self, document: Document, seq: int, kind: str) -> tuple[str, Iterator[bytes]] | None:
        """The WARC, screenshot or WACZ of one of the document's captures, verified while it streams."""
        entry = self.store.custody_entries([seq]).get(seq) if 0 < seq <= MAX_ENTRY else None
        if entry is None or entry.document_id != document.id or kind not in CAPTURE_FILES:
            return None
        sha256 = entry.details.get(f"{kind}_sha256")
        if not sha256:
            return None
        state = self.blobs.check(sha256)
        if state != "ok":
            raise OriginalUnavailable(document, state)
        return CAPTURE_FILES[kind], self.blobs.open_verified(sha256)

    def quota_left(self, by: Principal) -> int | None:
        """Bytes ``by`` may still add (None: no quota applies). What counts is every original their
        ingests and captures kept, the failed ones whose bytes stay as evidence included."""
        quota = self.settings.user_quota_bytes
        if by is SYSTEM or not quota:
            return None
        used = sum(self.blobs.size_of(sha256) for sha256 in self.store.shas_kept_for(by.name))
        return quota - used

    # --- trusted timestamps -------------------------------------------------------------------

    @cached_property
    def notary(self) -> Notary:
        return Notary(self.store, self.settings)

    def _stamped(self, result: IngestResult) -> IngestResult:
        """A new original gets its trusted timestamp as soon as it is stored."""
        if result.status == "created" and result.id and result.sha256:
            self.notary.stamp_original(result.id, result.sha256)
        warc = (result.capture or {}).get("warc_sha256")
        if warc and result.id:  # a capture's WARC is an original too, new with every capture
            self.notary.stamp_original(result.id, warc)
        return result

    def _finish_writes(self) -> int | None:
        """After a write: its documents to the index and the entities grouped again when mentions
        changed (both by the background indexer when there is one: the returned ticket is for
        `_await_index`, outside the write lock), and the log's head to the time-stamping authority."""
        ticket = self._hand_to_index()
        if ticket is None:
            self._group_if_changed()
        self.notary.stamp_head()
        return ticket

    def _group_if_changed(self) -> None:
        if self.store.entities.changed:
            regroup(self.store, self._writes)  # worked out outside the write lock, written under it

    def _index_and_group(self) -> None:
        """A round of the background indexer: new documents to the index, then the entities grouped
        again, so that a request that waits for its ticket finds both done."""
        try:
            self.flush_index()
        finally:
            self._group_if_changed()

    def timestamp_pending(self) -> tuple[int, int]:
        """Stamps originals left without a token (the authority was down) and the log's head."""
        with self._writes:
            return self.notary.catch_up()

    # --- indexing -----------------------------------------------------------------------------

    def _queue_for_index(self, document: Document, analysed: Analysed | None = None) -> None:
        """A stored document for the index (it is pending in the store until the index holds it), with
        its analysis when a worker made it already."""
        with self._queue_lock:
            self._to_index.append((document, analysed))
            full = len(self._to_index) >= INDEX_BATCH
        if full:
            self._hand_to_index()

    def _hand_to_index(self) -> int | None:
        """Queued documents to the background indexer (a ticket), or to the index now without one."""
        if self._indexer.running:
            return self._indexer.wake()
        self.flush_index()
        return None

    def _await_index(self, ticket: int | None) -> None:
        """Gives the background indexer a moment to make a request's documents searchable."""
        if ticket is not None:
            self._indexer.wait(ticket, self.settings.index_wait_seconds)

    def flush_index(self) -> None:
        """Hands queued documents to the index; when it is down they stay pending in the store."""
        with self._indexing:
            while True:
                with self._queue_lock:
                    batch, self._to_index = self._to_index[:INDEX_BATCH], self._to_index[INDEX_BATCH:]
                if not batch:
                    return
                self._index_batch(batch)

    def _index_batch(self, batch: list[tuple[Document, Analysed | None]]) -> bool:
        """One batch to the index, marked indexed in the store; False when the index did not take all."""
        ids = [d.id for d, _ in batch]
        try:
            self.backend.add(to_index_document(d, analysed) for d, analysed in batch)
        except BackendUnavailable as error:
            pending = error.ids if isinstance(error, BulkRejected) else ids
            log.warning("index unavailable, %d documents left pending: %s", len(pending), error)
            self.store.mark_pending(pending, str(error))
            self.store.mark_indexed([i for i in ids if i not in set(pending)])
            return False
        self.store.mark_indexed(ids)
        return True

    def reindex(self, pending_only: bool = False, workers: int | None = 1) -> int:
        """Rebuilds the index from the store of record (or catches up the pending documents), the
        documents analysed by ``workers`` processes; documents without mentions get theirs, and the
        entities are grouped again, archivists' decisions reapplied. A rebuild holds writes off while
        it runs; a catch-up does not need to."""
        if pending_only:
            count = self._catch_up_pending()
            with self._writes:
                scan_missing(self.store)
                if self.store.entities.changed:
                    regroup(self.store)
            return count
        with Workers(workers) as pool, self._writes, self._indexing:
            if self.store.count() >= WORTH_WORKERS:
                pool.start()
            count = self._rebuild(pool)
            scan_missing(self.store)
            regroup(self.store)
            return count

    def pending_count(self, viewer: Principal = SYSTEM) -> int:
        """Documents kept in the store that the index does not hold yet, of those ``viewer`` may see."""
        return self.store.pending_count(visible=None if viewer is SYSTEM else viewer.visibility)

    def catch_up_pending(self) -> int:
        """Indexes the pending documents if the index is reachable; returns how many were tried."""
        if not self.pending_count() or not self._index_reachable():
            return 0
        tried = self.reindex(pending_only=True)
        log.info("caught up %d pending documents, %d still pending", tried, self.pending_count())
        return tried

    def _index_reachable(self) -> bool:
        try:
            self.backend.count()
        except BackendUnavailable:
            return False
        return True

    def _catch_up_pending(self) -> int:
        """Indexes the pending documents a batch at a time, and stops at a batch the index did not take
        (the rest stay pending for the next round); returns how many were tried."""
        count = 0
        with self._indexing:
            batch: list[tuple[Document, Analysed | None]] = []
            for document in self.store.iter_documents(only_pending=True):
                batch.append((document, None))
                if len(batch) == INDEX_BATCH:
                    count += len(batch)
                    if not self._index_batch(batch):
                        return count
                    batch = []
            if batch:
                count += len(batch)
                self._index_batch(batch)
        return count

    def _rebuild(self, pool: Workers, backend: IndexBackend | None = None) -> int:
        seen: set[str] = set()

        def documents() -> Iterator[Document]:
            for document in self.store.iter_documents():
                seen.add(document.id)
                yield document

        count = (backend or self.backend).rebuild(pool.index_documents(documents()))
        stored = [doc_id for doc_id, _ in self.store.iter_shas()]
        self.store.mark_indexed(stored)
        # Another process (the server) may have stored documents behind the rebuild's cursor while the
        # new index was filled; they went to the old index. They go to the new one now.
        late = [doc_id for doc_id in stored if doc_id not in seen]
        for document in self.store.get_many(late).values():
            self._queue_for_index(document)
        self.flush_index()
        return count

    # --- reading ------------------------------------------------------------------------------

    def search(
        self, request: SearchRequest | str, viewer: Principal = SYSTEM, *, counted: bool = True,
        named: bool = True, **options: object,
    ) -> SearchResult:
        """Searches with a `SearchRequest`, or with a query and the options of `SearchRequest.create`.
        What ``viewer`` may not see is left out by the engine itself, so totals and pages stay right.
        ``counted``: with the facets' counts; ``named``: with the entities each hit names (a batch of
        names needs neither)."""
        if isinstance(request, str):
            request = SearchRequest.create(request, **options)  # type: ignore[arg-type]
        key = self._answer_key(request, viewer, counted, named)
        if key is not None and (kept := self._answers.get(key)) is not None:
            return kept
        result = self._search(request, viewer, counted, named)
        if key is not None:
            self._answers.put(key, result)
        return result

    def _answer_key(
        self, request: SearchRequest, viewer: Principal, counted: bool, named: bool
    ) -> Hashable | None:
        """What a search's answer is kept under (`archive.search.answers`): the search, who asks, the
        store's and the index's marks read before it runs, and the translation models a query is
        planned with (installed while the archive runs); None when the store or index cannot give one."""
        if not self.settings.kept_answers:
            return None
        store_mark = self.store.change_mark()
        index_mark = self.backend.change_mark() if store_mark is not None else None
        if index_mark is None:
            return None
        models = tuple(self.translator.pairs())
        return request, viewer, counted, named, store_mark, index_mark, models

    def _search(self, request: SearchRequest, viewer: Principal, counted: bool, named: bool) -> SearchResult:
        query_plan = self._plan(request)
        if query_plan.query is None and not request.browsing:
            return SearchResult(request.query, 0, message=NO_WORDS)
        filters = Filters(
            languages=request.languages, kinds=request.kinds, visible=viewer.visibility, years=request.years,
            courts=request.courts, publishers=request.publishers, date_from=request.date_from,
            date_to=request.date_to,
        )
        page = self.backend.search(
            query_plan.query, filters, request.limit, request.offset, sort=request.sort,
            facets=FACET_SIZE if counted else 0,
        )
        explained = explain_hits(query_plan, [h.id for h in page.hits], self.store, self.backend)
        found_in = self.store.found_in([h.id for h in page.hits], viewer.visibility)
        hits = []
        for scored in page.hits:
            found = explained.get(scored.id)
            # Indexed but gone from the store, or since restricted or withdrawn with the index not yet
            # told (it was down, or is catching up): the index is derived, the store wins.
            if found is None or not viewer.can_read(found.document):
                continue
            document, why = found.document, found.explanation
            when = document_date(document)
            hits.append(
                SearchHit(
                    id=document.id,
                    sha256=document.sha256,
                    title=document.title,
                    kind=str(document.kind),
                    language=document.language,
                    score=round(scored.score, 4),
                    snippet=why.snippet,
                    matched=why.matched,
                    original_name=document.original_name,
                    ingested_at=document.ingested_at.isoformat(),
                    snippet_text=why.text,
                    highlights=why.highlights,
                    mode="exact" if request.exact else "any spelling",
                    found_in=_relative(found_in.get(document.id)),
                    date=when.day,
                    date_kind=when.kind,
                )
            )
        if named:
            self._name_entities(hits)
        return SearchResult(
            request.query, page.total, hits, facets=page.facets, pending=self.pending_count(viewer)
        )

    def _name_entities(self, hits: list[SearchHit]) -> None:
        """Each hit's people, places and organisations, for the whole page in one look-up: the hits are
        visible to the reader, so their entities are too (no counts are given)."""
        named = self.store.entities.of_documents([hit.id for hit in hits], HIT_ENTITIES)
        for hit in hits:
            hit.entities = [reference(entity) for entity in named.get(hit.id, [])]

    def document_count(self, viewer: Principal = SYSTEM) -> int:
        """How many documents ``viewer`` may see, counted by the index."""
        return self.backend.search(None, Filters(visible=viewer.visibility), 0).total

    def _plan(self, request: SearchRequest) -> QueryPlan:
        parsed = parse_query(request.query)
        text = parsed.positive_text
        wants_translation = text and not (request.exact or request.name)
        translations = self.translator.translate(text, query_language(text)) if wants_translation else []
        return plan(parsed, translations, exact=request.exact, name=request.name)

    def search_batch(self, request: BatchRequest, viewer: Principal = SYSTEM,
                     start: int = 0, count: int | None = None) -> list[BatchRow]:
        """One row for each name of ``request.names[start:start + count]``: how many documents
        ``viewer`` may see match it, the best of them and the spellings that matched, each name
        searched as a name (every word of it required, and held as a name)."""
        end = len(request.names) if count is None else start + count
        rows = []
        for name in request.names[max(start, 0):end]:
            found = self.search(SearchRequest.create(
                name_query(name), limit=request.hits, languages=request.languages, kinds=request.kinds,
                exact=request.exact, name=True), viewer, counted=False, named=False)
            hits = [BatchHit(h.id, h.title, f"/d/{h.id}", h.matched) for h in found.hits]
            matched = list(dict.fromkeys(pair for hit in found.hits for pair in hit.matched))
            rows.append(BatchRow(name, found.total, hits, matched))
        return rows

    def batch_csv(self, rows: list[BatchRow], request: BatchRequest) -> str:
        """The rows as CSV, links under the public base URL (ARCHIVE_PUBLIC_URL) when one is set."""
        return to_csv(rows, request.hits, lambda doc_id: permalink(doc_id, self.settings.public_url))

    def marks(self, document: Document, query: str, exact: bool = False) -> list[Highlight]:
        """Where the words of ``query`` stand in the document's text, found as a search finds them
        (every spelling, script and ending, or the typed form alone with ``exact``)."""
        request = SearchRequest.create(query, exact=exact, lenient=True)
        query_plan = self._plan(request)
        if query_plan.query is None:
            return []
        return Explainer(query_plan).highlights(document.text)

    def related(self, document: Document, viewer: Principal = SYSTEM, limit: int = RELATED) -> list[Related]:
        """The documents ``viewer`` may see that share the most distinctive names with ``document``:
        its names asked of the index's NAMES field, where a rare name weighs more than a common one
        (the engine's own term statistics), best first."""
        names = name_keys(document.text[:RELATED_TEXT])
        if not names:
            return []
        query = Bool(should=tuple(Term(NAMES, key) for key, _ in names.most_common(RELATED_NAMES)))
        page = self.backend.search(query, Filters(visible=viewer.visibility), limit + 1)
        ids = [hit.id for hit in page.hits if hit.id != document.id][:limit]
        heads = self.store.get_heads(ids, 0)
        return [Related(head.id, head.title, str(head.kind), head.language)
                for doc_id in ids if (head := heads.get(doc_id)) is not None]

    def document(self, document_id: str, viewer: Principal = SYSTEM) -> Document | None:
        """The document, or None when there is none or ``viewer`` may not see it: the two answer alike,
        so that nobody learns a restricted document exists."""
        document = self.store.get(document_id)
        return document if document is not None and viewer.can_read(document) else None

    def family(self, document: Document, viewer: Principal = SYSTEM) -> Family:
        """The containers ``document`` was found in and the members it holds, each with its path, of those
        ``viewer`` may see."""
        containers = self.store.containers_of(document.id)
        members = self.store.members_of(document.id)
        ids = [link.container_id for link in containers] + [link.member_id for link in members]
        found = self.store.get_many(ids)

        def relatives(links: list[MemberLink], key: str) -> list[Relative]:
            shown = []
            for link in links:
                relative = found.get(getattr(link, key))
                if relative is not None and viewer.can_read(relative):
                    shown.append(Relative(relative.id, relative.title, link.path))
            return shown

        return Family(relatives(containers, "container_id"), relatives(members, "member_id"))

    def open_original(
        self, document_id: str, viewer: Principal = SYSTEM
    ) -> tuple[Document, Iterator[bytes]] | None:
        """A document and its original's bytes, checked against their SHA-256 before the first byte is
        handed out and verified again while they stream; None for an unknown id. Raises
        `OriginalUnavailable` when the original is missing or altered."""
        document = self.document(document_id, viewer)
        if document is None:
            return None
        self._check_original(document)
        return document, self.blobs.open_verified(document.sha256)

    def _check_original(self, document: Document) -> None:
        state = self.blobs.check(document.sha256)
        if state == "missing" and document.sha256 in self.store.purged_shas():
            state = "purged"
        if state != "ok":
            raise OriginalUnavailable(document, state)

    def readiness(self) -> dict[str, str]:
        """Whether each part answers: "ok", or the reason it does not."""
        checks = {"store": self.store.ping, "blobs": self.blobs.ping, "index": self.backend.count}
        answers: dict[str, str] = {}
        for name, check in checks.items():
            try:
                check()
            except Exception as error:  # any failure of a part is what readiness reports, not raises
                answers[name] = f"unavailable: {error}"
            else:
                answers[name] = "ok"
        return answers

    # --- entities -----------------------------------------------------------------------------

    def entities(
        self, query: str, viewer: Principal = SYSTEM, limit: int = 20, still_typing: bool = False
    ) -> list[dict]:
        """Entities whose spellings hold every name key of ``query``, with the documents ``viewer`` may
        see, most first; an entity seen only in documents hidden from them is not listed.
        ``still_typing``: the last word may be unfinished (`Мама` finds `Мамай`)."""
        query = query[:500]
        keys = list(dict.fromkeys(t.key for t in tokenize(query) if t.key))
        unfinished = still_typing and query[-1:].isalnum()
        return [summary(e) for e in self.store.entities.search(keys, viewer.visibility, limit, unfinished)]

    def entity(self, entity_id: str, viewer: Principal = SYSTEM) -> EntityView | None:
        """An entity as ``viewer`` may see it; None when unknown or mentioned only where they may not read."""
        record = self.store.entities.get(entity_id[:32])
        if record is None:
            return None
        visible = viewer.visibility
        documents = self.store.entities.documents(record.id, visible)
        if not documents:
            return None
        return EntityView(
            record.id, record.kind, record.label, record.confirmed, len(documents),
            grouped_spellings(self.store.entities.spellings(record.id, visible)), documents,
            self.store.entities.cooccurring(record.id, visible, 10),
        )

    def document_entities(self, document: Document) -> list[dict]:
        """The people, places and organisations a document (already checked readable) mentions."""
        return [summary(e) for e in self.store.entities.of_document(document.id)]

    def entity_export(self, viewer: Principal = SYSTEM) -> list[EntityView]:
        """Every entity ``viewer`` may see, with its spellings and documents (no companions)."""
        views = []
        for record in self.store.entities.all():
            documents = self.store.entities.documents(record.id, viewer.visibility)
            if documents:
                spellings = grouped_spellings(self.store.entities.spellings(record.id, viewer.visibility))
                views.append(EntityView(record.id, record.kind, record.label, record.confirmed,
                                        len(documents), spellings, documents))
        return views

    def decide_entity(
        self, entity_id: str, action: str, by: Principal = SYSTEM, other: str = "", spelling: str = ""
    ) -> str | None:
        """An archivist's merge (``other`` into this entity), split (the mention key ``spelling`` off
        it) or confirmation; kept, written to the custody log and applied at once. Returns the id of
        the entity the archivist should see next; None for an unknown entity."""
        if not by.can_write:
            raise NotAllowed("Only archivists and admins may merge, split or confirm entities.")
        with self._writes:
            record = self.store.entities.get(entity_id[:32])
            if record is None:
                return None
            if action == MERGE:
                merged = self.store.entities.get(other[:32])
                if merged is None or merged.id == record.id:
                    raise InvalidChange("choose another existing entity to merge into this one")
                decision = Decision(MERGE, record.key, other=merged.key)
            elif action == SPLIT:
                keys = {key for _, key, _, _ in self.store.entities.spellings(record.id, None)}
                if spelling not in keys or len(keys) < 2:
                    raise InvalidChange("choose one of the entity's spellings to split off")
                decision = Decision(SPLIT, record.key, spelling=spelling)
            elif action == CONFIRM:
                decision = Decision(CONFIRM, record.key)
            else:
                raise InvalidChange(f"unknown entity decision {action!r}: choose merge, split or confirm")
            self.store.entities.add_decision(decision, by.name)
            self.store.append_custody("entity", actor=by.name, subject=record.label, details={
                "decision": decision.action, "entity": record.key, "other": decision.other,
                "spelling": decision.spelling})
            regroup(self.store)
            survivor = self.store.entities.by_key(record.key)
            return survivor.id if survivor is not None else None

    # --- archivists' edits --------------------------------------------------------------------

    def edit(self, document_id: str, changes: DocumentChanges, by: Principal = SYSTEM) -> Document | None:
        """Applies an archivist's corrections (access and withdrawal included); every changed field goes to
        the custody log with its old and new value, and the index follows. None for an unknown id."""
        if not by.can_write:
            raise NotAllowed("Only archivists and admins may edit documents.")
        with self._writes:
            document = self.store.get(document_id)
            if document is None:
                return None
            edited, changed = apply_changes(document, changes)
            if not changed:
                return document
            edited = self.store.update(edited)
            for action, fields in _custody_actions(changed).items():
                self.store.append_custody(
                    action, actor=by.name, document_id=document.id, sha256=document.sha256,
                    subject=document.title, details={"changes": fields},
                )
            self._queue_for_index(edited)
            ticket = self._finish_writes()
        self._await_index(ticket)
        return edited

    def purge(self, document_id: str, reason: str, by: Principal = SYSTEM) -> Document | None:
        """Deletes a document's original for good: for what must not be kept at all (a court order,
        a person's safety). The record stays, withdrawn; the custody log keeps the hash, who and why."""
        if not by.is_admin:
            raise NotAllowed("Only admins may purge an original.")
        if not reason.strip():
            raise InvalidChange("purging an original needs a reason")
        with self._writes:
            document = self.store.get(document_id)
            if document is None:
                return None
            self.store.append_custody(
                "delete", actor=by.name, document_id=document.id, sha256=document.sha256,
                subject=document.title, details={"reason": reason.strip(), "purged": "original"},
            )
            self.blobs.purge(document.sha256)
            self._purge_captures(document, by, reason.strip())
            purged = self.store.update(replace(document, withdrawn=f"purged: {reason.strip()}"[:500]))
            self._queue_for_index(purged)
            ticket = self._finish_writes()
        self._await_index(ticket)
        return purged

    def _purge_captures(self, document: Document, by: Principal, reason: str) -> None:
        """A capture's WARC holds the purged body too, and its screenshot and WACZ show it: they go as
        well, each with its own custody entry, unless a capture of another document names the same blob."""
        own = [c for c in self.captures(document) if c["document_id"] == document.id]
        others = {c.get(f"{kind}_sha256") for c in self.captures(document) if c["document_id"] != document.id
                  for kind in CAPTURE_FILES}
        for capture in own:
            for kind in CAPTURE_FILES:
                sha256 = capture.get(f"{kind}_sha256")
                if not sha256 or sha256 in others or not self.blobs.exists(sha256):
                    continue
                self.store.append_custody(
                    "delete", actor=by.name, document_id=document.id, sha256=sha256, subject=document.title,
                    details={"reason": reason, "purged": kind, "capture_seq": capture["seq"]},
                )
                self.blobs.purge(sha256)

    # --- evidence -----------------------------------------------------------------------------

    def citation(self, document: Document) -> Citation:
        """With the permalink under the configured public base URL (ARCHIVE_PUBLIC_URL)."""
        return cite(document, self.settings.public_url)

    def export(self, document: Document) -> Path:
        """The document's evidence package, a zipped BagIt bag in the home's tmp folder: the caller
        moves or removes it. Raises `OriginalUnavailable` when the original is missing or altered."""
        self._check_original(document)
        attachments = [
            (f"capture-{c['seq']}{CAPTURE_SUFFIXES[kind]}", c[f"{kind}_sha256"])
            for c in self.captures(document) if c["document_id"] == document.id
            for kind in CAPTURE_FILES if c.get(f"{kind}_sha256")
        ]
        return build_package(
            document, self.store, self.blobs, self.settings.home / "tmp",
            tsa_ca_file=self.settings.tsa_ca_file, citation=self.citation(document), attachments=attachments,
        )

    # --- copies -------------------------------------------------------------------------------

    def backup(self, folder: Path) -> CopyReport:
        """A consistent copy of the whole archive into `folder`, taken while it runs (archive/backup.py)."""
        return backup_archive(self.store, self.blobs, self.settings, folder)

    def restore(self, folder: Path) -> CopyReport:
        """A backup brought back into this (empty) archive; the index is rebuilt from the restored store."""
        with self._writes:
            report = restore_archive(folder, self.store, self.blobs, self.settings.home / "tmp")
        self.reindex()
        return report

    def move_store(self, url: str) -> dict[str, int]:
        """Every row of the store of record into another, empty database (e.g. SQLite to PostgreSQL)."""
        with self._writes, DocumentStore(database_url(url)) as target:
            return self.store.copy_into(target)

    def verify(self) -> VerifyReport:
        """Every blob re-hashed, every timestamp token and the chain of custody checked."""
        report = VerifyReport(checked=0)
        # No write lock: a repair's write is as safe beside an ingest as two ingests of the same bytes,
        # and the store appends its custody entry under the chain's own lock.
        verify_blobs(self.store, self.blobs, report)
        anchors = verify_timestamps(self.store, self.notary, report)
        verify_custody(self.store, anchors, report)
        return report


@dataclass(frozen=True)
class Relative:
    """A container or member of a document: its id, title and the member's path inside the container."""

    id: str
    title: str
    path: str


@dataclass(frozen=True)
class Related:
    """A document that shares names with another one."""

    id: str
    title: str
    kind: str
    language: str

    def as_json(self) -> dict:
        return {**vars(self), "permalink": f"/d/{self.id}"}


@dataclass(frozen=True)
class Family:
    containers: list[Relative]  # what the document was found in (a ZIP, an e-mail)
    members: list[Relative]  # what it holds (files, attachments)

    def as_json(self) -> dict:
        return {
            "containers": [{**vars(r), "permalink": f"/d/{r.id}"} for r in self.containers],
            "members": [{**vars(r), "permalink": f"/d/{r.id}"} for r in self.members],
        }


def _relative(link: tuple[str, str, str] | None) -> dict | None:
    return None if link is None else {"id": link[0], "title": link[1], "path": link[2]}


def _prepare_found(found: Path | Refused, kind: Kind | None, title: str | None) -> Ready | None:
    """In a worker: a found file prepared ahead of the writer (a refused one is the writer's to record)."""
    return None if isinstance(found, Refused) else prepare_file(found, kind, title)


def _found_bytes(found: Path | Refused) -> int:
    """How much a found file weighs on the work handed out ahead of the writer (`Workers.map`)."""
    if isinstance(found, Refused):
        return 0
    try:
        return found.stat().st_size
    except OSError:
        return 0  # the worker finds it unreadable, and the writer says why


def _quota_left(request: IngestRequest, left: int | None) -> IngestRequest:
    return request if left is None else replace(request, max_bytes=max(left, 0))


def _on_behalf(request: IngestRequest, by: Principal) -> IngestRequest:
    """Writes are for archivists and admins. The custody log names the signed-in user; the provenance
    keeps who they said ingested, and names them when they said nobody."""
    if not by.can_write:
        raise NotAllowed("Only archivists and admins may add to the archive.")
    if by is SYSTEM:
        return request
    provenance = request.provenance
    if not provenance.ingested_by:
        provenance = replace(provenance, ingested_by=by.name)
    return replace(request, provenance=provenance, actor=by.name)


def _custody_actions(changed: dict[str, dict]) -> dict[str, dict[str, dict]]:
    """Changes of who may read (access, collection, withdrawal) are entries of their own ("access");
    the rest is "metadata"."""
    grouped: dict[str, dict[str, dict]] = {}
    for name, change in changed.items():
        action = "access" if name in ("access", "collection", "withdrawn") else "metadata"
        grouped.setdefault(action, {})[name] = change
    return grouped
