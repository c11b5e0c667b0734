"""From a file, an upload or a captured page to a stored, indexed document.

Order matters for never losing anything: the original goes to the blob store first (write-once,
fsynced), then its document row, then the index. A crash between steps leaves a state that a rerun
completes: a blob without a row gets its row, a row not yet indexed is indexed (or caught up by
`archive reindex --pending`).
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from archive.blobs import BlobStore, BlobTooLarge
from archive.domain import Document, Kind, Provenance
from archive.store import DocumentStore, DuplicateDocument, new_document_id
from ingest.errors import IngestError
from ingest.extract import Extracted, extract
from ingest.kind import guess_kind, ruling_metadata
from ingest.langid import detect_document

TITLE_MAX = 200


@dataclass
class IngestResult:
    file: str
    status: str  # "created", "duplicate" or "failed"
    id: str | None = None
    sha256: str | None = None
    language: str | None = None
    kind: str | None = None
    title: str | None = None
    error: str | None = None

    def as_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v is not None or k in ("id", "sha256")}


@dataclass(frozen=True)
class IngestRequest:
    kind: Kind | None = None
    title: str | None = None
    provenance: Provenance = field(default_factory=Provenance)
    metadata: dict | None = None


def _title(request: IngestRequest, extracted: Extracted, name: str) -> str:
    if request.title:
        return request.title.strip()[:TITLE_MAX]
    if extracted.title and extracted.title.strip():
        return " ".join(extracted.title.split())[:TITLE_MAX]
    for line in extracted.text.splitlines():
        if line.strip():
            return " ".join(line.split())[:TITLE_MAX]
    return name


class Ingestor:
    """Stores originals and their documents; hands new documents to `on_created` for indexing."""

    def __init__(
        self, store: DocumentStore, blobs: BlobStore, max_bytes: int, on_created: Callable[[Document], None]
    ):
        self.store = store
        self.blobs = blobs
        self.max_bytes = max_bytes
        self.on_created = on_created

    def ingest_path(self, path: Path, request: IngestRequest) -> IngestResult:
        name = str(path)
        try:
            if not path.exists():
                raise IngestError("not_found", f"no such file: {path}")
            if path.is_dir() and not os.access(path, os.R_OK | os.X_OK):
                raise IngestError("unreadable", f"permission denied: folder {path}")
            if not path.is_file():
                raise IngestError("not_a_file", f"not a regular file: {path}")
            if path.stat().st_size == 0:
                raise IngestError("empty", "the file is empty")
            with open(path, "rb") as stream:
                return self.ingest_stream(stream, path.name, request, label=name)
        except PermissionError:
            return self.failed(name, IngestError("unreadable", f"permission denied: {path}"))
        except IngestError as error:
            return self.failed(name, error)

    def ingest_stream(
        self, stream: BinaryIO, filename: str, request: IngestRequest, label: str | None = None
    ) -> IngestResult:
        label = label or filename
        first = stream.read(1)
        if not first:
            return self.failed(label, IngestError("empty", "the file is empty"))
        try:
            blob = self.blobs.put_stream(_Prefixed(first, stream), max_bytes=self.max_bytes)
        except BlobTooLarge:
            limit_mb = self.max_bytes // (1024 * 1024)
            return self.failed(label, IngestError("too_large", f"larger than the {limit_mb} MB limit"))
        # A blob new to the store cannot have a document yet (a race is caught when the row is added).
        existing = None if blob.created else self.store.get_by_sha256(blob.sha256)
        actor = request.provenance.ingested_by
        if existing is not None:
            return self._duplicate(label, existing, actor)
        try:
            extracted = extract(self.blobs.path_of(blob.sha256), name=filename)
        except IngestError as error:
            return self.failed(label, error, blob.sha256, actor)
        return self._store(label, filename, blob.sha256, blob.size, extracted, request)

    def _store(
        self, label: str, filename: str, sha256: str, size: int, extracted: Extracted, request: IngestRequest
    ) -> IngestResult:
        language, spans = detect_document(extracted.text)
        kind = request.kind or guess_kind(extracted.text)
        metadata = dict(extracted.metadata)
        if kind == Kind.RULING:
            metadata = {**ruling_metadata(extracted.text), **metadata}
        metadata.update(request.metadata or {})
        document = Document(
            id=new_document_id(),
            kind=kind,
            title=_title(request, extracted, filename),
            language=language,
            text=extracted.text,
            sha256=sha256,
            size=size,
            media_type=extracted.media_type,
            original_name=filename,
            ingested_at=datetime.now(UTC),
            provenance=request.provenance,
            spans=spans,
            metadata=metadata,
        )
        try:
            document = self.store.add(document, event_file=label)
        except DuplicateDocument as duplicate:  # the same bytes arrived at the same moment elsewhere
            return self._duplicate(label, duplicate.existing, request.provenance.ingested_by)
        self.on_created(document)
        return IngestResult(
            label, "created", document.id, sha256, document.language, str(document.kind), document.title
        )

    def _duplicate(self, label: str, existing: Document, actor: str = "") -> IngestResult:
        self.store.record_event(
            sha256=existing.sha256, file=label, status="duplicate", document_id=existing.id, actor=actor
        )
        if not existing.indexed:
            self.on_created(existing)
        return IngestResult(
            label,
            "duplicate",
            existing.id,
            existing.sha256,
            existing.language,
            str(existing.kind),
            existing.title,
        )

    def failed(
        self, label: str, error: IngestError, sha256: str | None = None, actor: str = ""
    ) -> IngestResult:
        message = str(error)
        self.store.record_event(sha256=sha256, file=label, status="failed", error=message, actor=actor)
        return IngestResult(label, "failed", None, sha256, error=message)


class _Prefixed(io.RawIOBase):
    """A stream with bytes already read from it put back in front."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self.head, self.rest = head, rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.head:
            chunk, self.head = self.head, b""
            more = self.rest.read(size - len(chunk) if size > 0 else -1) if size != len(chunk) else b""
            return chunk + more
        return self.rest.read(size)


def walk(paths: Iterable[Path]) -> Iterator[Path]:
    """Files of the given paths, folders recursively in a stable order; missing paths pass through
    so that they are reported as failures rather than skipped."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        yield from _walk_folder(path)


def _walk_folder(folder: Path) -> Iterator[Path]:
    unreadable: list[Path] = []

    def note(error: OSError) -> None:
        unreadable.append(Path(error.filename))

    for root, folders, files in os.walk(folder, onerror=note):
        folders.sort()
        for name in sorted(files):
            yield Path(root) / name
    yield from unreadable  # reported as failures by ingest_path, never skipped silently
