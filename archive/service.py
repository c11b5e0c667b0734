"""The one service layer: the command line, the JSON API and the web pages all call these methods."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

from archive.blobs import BlobStore
from archive.domain import Document
from archive.index import BackendUnavailable, IndexBackend, open_backend
from archive.index.base import BulkRejected, Filters, IndexDocument
from archive.search.indexing import to_index_document
from archive.search.parser import parse_query
from archive.search.planner import plan
from archive.search.snippets import explain_hits
from archive.settings import Settings
from archive.store import DocumentStore
from archive.translation import QueryTranslator, query_language
from ingest.capture_pipeline import capture_link
from ingest.pipeline import Ingestor, IngestRequest, IngestResult, walk

log = logging.getLogger(__name__)

INDEX_BATCH = 200
MAX_LIMIT = 200


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

    def as_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class SearchResult:
    query: str
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    message: str | None = None  # said to the user when the query could not be run as typed

    def as_json(self) -> dict:
        answer: dict = {"query": self.query, "total": self.total, "hits": [h.as_json() for h in self.hits]}
        if self.message:
            answer["message"] = self.message
        return answer


@dataclass
class VerifyReport:
    checked: int
    missing: list[dict] = field(default_factory=list)
    altered: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.altered

    def as_json(self) -> dict:
        return {"checked": self.checked, "ok": self.ok, "missing": self.missing, "altered": self.altered}


class Archive:
    """Store of record, blob store and index backend, opened from settings."""

    def __init__(self, settings: Settings):
        self.settings = settings
        settings.home.mkdir(parents=True, exist_ok=True)
        self.store = DocumentStore(settings.sqlalchemy_url)
        self.blobs = BlobStore(settings.blob_dir)
        self.translator = QueryTranslator(settings.translation_dir)
        self._to_index: list[Document] = []

    @cached_property
    def backend(self) -> IndexBackend:
        return open_backend(self.settings)

    def close(self) -> None:
        self.flush_index()
        if "backend" in self.__dict__:
            self.backend.close()
        self.store.close()

    # --- ingest -------------------------------------------------------------------------------

    @cached_property
    def ingestor(self) -> Ingestor:
        return Ingestor(self.store, self.blobs, self.settings.max_upload_bytes, self._queue_for_index)

    def ingest_paths(self, paths: Iterable[Path], request: IngestRequest) -> Iterator[IngestResult]:
        """Ingests files and folders one file at a time; indexes in batches."""
        try:
            for path in walk(paths):
                yield self.ingestor.ingest_path(path, request)
        finally:
            self.flush_index()

    def ingest_upload(self, stream: BinaryIO, filename: str, request: IngestRequest) -> IngestResult:
        try:
            return self.ingestor.ingest_stream(stream, filename, request)
        finally:
            self.flush_index()

    def capture(self, url: str, request: IngestRequest) -> IngestResult:
        try:
            return capture_link(
                self.ingestor, url, request, public_only=not self.settings.capture_private_addresses
            )
        finally:
            self.flush_index()

    # --- indexing -----------------------------------------------------------------------------

    def _queue_for_index(self, document: Document) -> None:
        self._to_index.append(document)
        if len(self._to_index) >= INDEX_BATCH:
            self.flush_index()

    def flush_index(self) -> None:
        """Hands queued documents to the index; when it is down they stay pending in the store."""
        if not self._to_index:
            return
        batch, self._to_index = self._to_index, []
        ids = [d.id for d in batch]
        try:
            self.backend.add(to_index_document(d) for d in batch)
        except BackendUnavailable as error:
            pending = error.ids if isinstance(error, BulkRejected) else ids
            log.warning("index unavailable, %d documents left pending: %s", len(pending), error)
            self.store.mark_pending(pending, str(error))
            self.store.mark_indexed([i for i in ids if i not in set(pending)])
            return
        self.store.mark_indexed(ids)

    def reindex(self, pending_only: bool = False) -> int:
        """Rebuilds the index from the store of record (or catches up the pending documents)."""
        if pending_only:
            count = 0
            for document in self.store.iter_documents(only_pending=True):
                self._queue_for_index(document)
                count += 1
            self.flush_index()
            return count
        seen: set[str] = set()

        def documents() -> Iterator[IndexDocument]:
            for document in self.store.iter_documents():
                seen.add(document.id)
                yield to_index_document(document)

        count = self.backend.rebuild(documents())
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
        self,
        query: str,
        limit: int = 10,
        offset: int = 0,
        languages: Iterable[str] = (),
        kinds: Iterable[str] = (),
    ) -> SearchResult:
        limit = max(0, min(limit, MAX_LIMIT))
        parsed = parse_query(query)
        text = parsed.positive_text
        translations = self.translator.translate(text, query_language(text)) if text else []
        query_plan = plan(parsed, translations)
        if query_plan.query is None:
            return SearchResult(query, 0, message="The query has no words to search for.")
        filters = Filters(tuple(languages), tuple(str(k) for k in kinds))
        page = self.backend.search(query_plan.query, filters, limit, max(0, offset))
        explained = explain_hits(query_plan, [h.id for h in page.hits], self.store, self.backend)
        hits = []
        for scored in page.hits:
            found = explained.get(scored.id)
            if found is None:  # indexed but gone from the store: the index is derived, the store wins
                continue
            document, why = found.document, found.explanation
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
                )
            )
        return SearchResult(query, page.total, hits)

    def document(self, document_id: str) -> Document | None:
        return self.store.get(document_id)

    def original(self, document: Document) -> Iterator[bytes]:
        """The original's bytes, verified against their SHA-256 while they stream."""
        return self.blobs.open_verified(document.sha256)

    def verify(self) -> VerifyReport:
        report = VerifyReport(checked=0)
        for document_id, sha256 in self.store.iter_shas():
            report.checked += 1
            state = self.blobs.check(sha256)
            if state != "ok":
                entry = {"id": document_id, "sha256": sha256, "path": str(self.blobs.path_of(sha256))}
                (report.missing if state == "missing" else report.altered).append(entry)
        return report
