"""From a file, an upload or a captured link to a stored, indexed document.

`ingest` turns bytes into an extracted, prepared document; this module keeps what it is given.

Order matters for never losing anything: the original goes to the blob store first (write-once,
fsynced), then its document row, then the index. A crash between steps leaves a state that a rerun
completes: a blob without a row gets its row, a row not yet indexed is indexed (or caught up by
`archive reindex --pending`).
"""

from __future__ import annotations

import io
import os
import posixpath
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, TypeVar

from archive.blobs import BlobStore, BlobStoreFull, BlobTooLarge, StoredBlob
from archive.domain import AccessLevel, Document, Kind, Provenance
from archive.entities import MENTION_RULES, mentions_of
from archive.search.indexing import Analysed
from archive.store import DocumentStore, DuplicateDocument, NewDocument, new_document_id
from archive.store.entities import FoundMentions, StoredMention
from archive.web_capture import WebArchiver
from archive.workers import Ready
from ingest.capture import CapturedPage, CaptureError, capture
from ingest.capture.mediatype import HTML_TYPES
from ingest.capture.urls import redact_text, redact_url
from ingest.errors import IngestError
from ingest.extract import CONTAINERS, extract
from ingest.extract.htmlmeta import host_of
from ingest.extract.limits import MAX_NESTING
from ingest.extract.members import Member
from ingest.prepare import Prepared, prepare
from ingest.sniff import HTML

WRITE_BATCH = 256  # prepared files kept in one transaction and one round of fsyncs (than 64: 14 % faster)
WRITE_BATCH_CHARS = 8_000_000  # ... or fewer, when their texts are long
WRITE_BATCH_SECONDS = 1.0  # ... or fewer, when files come slowly (OCR): results are not held back


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
    capture: dict | None = None  # for a capture: its custody entry, the files it left, what is missing
    code: str | None = None  # the failure's IngestError code: "disk_full", "unsupported_format" …
    members: list[IngestResult] = field(default_factory=list)  # of a container, each with its path

    def as_json(self) -> dict:
        shown = {k: v for k, v in asdict(self).items() if (v is not None or k in ("id", "sha256"))}
        shown.pop("members", None)
        if self.members:
            shown["members"] = [member.as_json() for member in self.members]
        return shown


T = TypeVar("T")  # what a walk found that is not a file to read (a refused path)
EXPANDED = "expand"  # the custody action that closes the taking out of a container's members


@dataclass(frozen=True)
class IngestRequest:
    kind: Kind | None = None
    title: str | None = None
    provenance: Provenance = field(default_factory=Provenance)
    metadata: dict | None = None
    access: AccessLevel = AccessLevel.PUBLIC
    collection: str = ""
    actor: str = ""  # the signed-in user who asked, for the custody log; provenance says what they typed
    max_bytes: int | None = None  # what is left of the user's upload quota, when it is below the limit

    @property
    def who(self) -> str:
        """Who the custody log names: the signed-in user, else who the provenance says ingested."""
        return self.actor or self.provenance.ingested_by


@dataclass(frozen=True)
class CaptureLimits:
    timeout_seconds: float
    max_bytes: int
    public_only: bool  # refuse loopback, private and link-local addresses
    secret_params: tuple[str, ...] = ()  # query parameters whose values never leave the fetch


class Ingestor:
    """Stores originals and their documents; hands new documents to `on_created` for indexing."""

    def __init__(
        self,
        store: DocumentStore,
        blobs: BlobStore,
        max_bytes: int,
        on_created: Callable[[Document, Analysed | None], None],
        archiver: WebArchiver | None = None,
    ):
        self.store = store
        self.blobs = blobs
        self.max_bytes = max_bytes
        self.on_created = on_created
        self.archiver = archiver  # WARC, screenshot and WACZ of captures; None: the body alone

    def ingest_path(self, path: Path, request: IngestRequest, ready: Ready | None = None) -> IngestResult:
        """``ready``: what a worker process already made of the file (`archive.workers`)."""
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
                return self.ingest_stream(stream, path.name, request, label=name, ready=ready)
        except PermissionError:
            return self.failed(name, IngestError("unreadable", f"permission denied: {path}"))
        except IngestError as error:
            return self.failed(name, error)

    def keep_originals(
        self, files: Sequence[tuple[Path, Ready]], request: IngestRequest
    ) -> list[StoredBlob | Exception]:
        """The originals of prepared files made durable in one round of fsyncs (the first half of
        `ingest_prepared`, which a writer may run while it keeps the batch before)."""
        return self.blobs.put_files([path for path, _ in files], max_bytes=self._limit(request))

    def ingest_prepared(
        self, files: Sequence[tuple[Path, Ready]], request: IngestRequest,
        stored: Sequence[StoredBlob | Exception] | None = None,
    ) -> list[IngestResult]:
        """Files that worker processes prepared (`Ready.kept_together`), kept together: their originals
        made durable in one round of fsyncs (``stored``: already, by `keep_originals`), then their rows
        and custody entries in one transaction, then handed to the index; the order of guarantees is
        that of `ingest_path`. A file that turns out to need more (changed since the worker read it,
        already archived, refused by the blob store) goes the one-at-a-time way after the others."""
        if stored is None:
            stored = self.keep_originals(files, request)
        fresh: list[tuple[int, Path, StoredBlob, Ready]] = []
        shas: set[str] = set()
        for number, ((path, ready), blob) in enumerate(zip(files, stored, strict=True)):
            if isinstance(blob, StoredBlob) and blob.created and blob.sha256 == ready.sha256 \
                    and blob.sha256 not in shas:
                shas.add(blob.sha256)
                fresh.append((number, path, blob, ready))
        documents = [
            self._document(path.name, blob, ready.prepared, _metadata(ready.prepared, request), request)
            for _, path, blob, ready in fresh
        ]
        added = self.store.add_many([
            NewDocument(document, str(path), request.who, _mentions(document, ready.mentions))
            for (_, path, _, ready), document in zip(fresh, documents, strict=True)
        ])
        results: dict[int, IngestResult] = {}
        for (number, path, _, ready), document in zip(fresh, added, strict=True):
            if isinstance(document, DuplicateDocument):
                results[number] = self._duplicate(str(path), document.existing, request.who)
                continue
            self.on_created(document, ready.analysed)
            results[number] = _created(str(path), document)
        for number, (path, ready) in enumerate(files):
            if number not in results:
                results[number] = self.ingest_path(path, request, ready)
        return [results[number] for number in range(len(files))]

    def ingest_stream(
        self,
        stream: BinaryIO,
        filename: str,
        request: IngestRequest,
        label: str | None = None,
        page: CapturedPage | None = None,
        depth: int = 0,
        ready: Ready | None = None,
    ) -> IngestResult:
        """Keeps the original, then its document, then (a container) each of its members; ``page`` is the
        capture the bytes came from, if any; ``depth`` how many containers this one is inside."""
        label = label or filename
        first = stream.read(1)
        if not first:
            return self.failed(label, IngestError("empty", "the file is empty"))
        limit = self._limit(request)
        quota_bound = limit < self.max_bytes
        try:
            blob = self.blobs.put_stream(_Prefixed(first, stream), max_bytes=limit)
        except BlobTooLarge:
            if quota_bound:
                left = f"{limit / 1024**2:.1f} MB"
                error = IngestError("quota", f"over what is left of your upload quota ({left})")
                return self.failed(label, error)
            limit_mb = self.max_bytes // (1024 * 1024)
            return self.failed(label, IngestError("too_large", f"larger than the {limit_mb} MB limit"))
        except BlobStoreFull as full:
            actor = request.provenance.ingested_by
            return self.failed(label, IngestError("disk_full", str(full)), actor=actor)
        # A blob new to the store cannot have a document yet (a race is caught when the row is added).
        existing = None if blob.created else self.store.get_by_sha256(blob.sha256)
        actor = request.who
        if existing is not None:
            if existing.media_type in CONTAINERS and not self._expanded(existing.id):
                return self._expand_again(existing, label, filename, request, depth)
            return self._duplicate(label, existing, actor)
        # The extractors read a file; a container's members are read from it as they are expanded.
        with self.blobs.local_file(blob.sha256) as original:
            return self._extract_and_store(original, label, filename, blob, request, page, depth, ready)

    def _limit(self, request: IngestRequest) -> int:
        """The most bytes an original may have: the archive's limit, or what is left of the quota."""
        if request.max_bytes is not None and request.max_bytes < self.max_bytes:
            return request.max_bytes
        return self.max_bytes

    def _extract_and_store(
        self, original: Path, label: str, filename: str, blob: StoredBlob, request: IngestRequest,
        page: CapturedPage | None, depth: int, ready: Ready | None,
    ) -> IngestResult:
        actor = request.who
        analysed, mentions = None, None
        if ready is not None and ready.sha256 == blob.sha256 and not ready.in_writer:
            # A worker read these very bytes: what it made of them stands (the file did not change).
            if ready.ingest_error is not None:
                return self.failed(label, ready.ingest_error, blob.sha256, actor)
            prepared, analysed, mentions = ready.prepared, ready.analysed, ready.mentions
            assert prepared is not None
        else:
            try:
                prepared = self._prepare(original, filename, request, page)
            except IngestError as error:
                return self.failed(label, error, blob.sha256, actor)
        result = self._store(label, filename, blob, prepared, _metadata(prepared, request, page), request,
                             analysed, mentions)
        if prepared.members is not None and result.status == "created" and result.id:
            result.members = self._expand(result.id, label, prepared.members, request, depth)
        return result

    def _prepare(
        self, original: Path, filename: str, request: IngestRequest, page: CapturedPage | None
    ) -> Prepared:
        extracted = extract(original, name=filename, **_extraction_hints(page))
        return prepare(extracted, filename, request.kind, request.title)

    def _expanded(self, container_id: str) -> bool:
        return any(entry.action == EXPANDED for entry in self.store.custody_of(container_id))

    def _expand_again(
        self, existing: Document, label: str, filename: str, request: IngestRequest, depth: int
    ) -> IngestResult:
        """A container archived before, whose members were not all taken out (the run was stopped
        halfway): the members are taken out again; those already stored answer as duplicates."""
        result = self._duplicate(label, existing, request.who)
        with self.blobs.local_file(existing.sha256) as original:
            try:
                extracted = extract(original, name=filename)
            except IngestError as error:
                result.members = [self.failed(label, error, actor=request.who)]
                return result
            if extracted.members is not None:
                result.members = self._expand(existing.id, label, extracted.members, request, depth)
        return result

    def _expand(
        self, container_id: str, label: str, members: Iterator[Member], request: IngestRequest, depth: int
    ) -> list[IngestResult]:
        """Stores each member as a document linked to its container; a member that cannot be taken out
        fails alone with the reason (its bytes kept when it had any), and the rest go on. The custody
        log says when every member was gone through, so a run stopped halfway is finished on rerun."""
        actor = request.provenance.ingested_by
        if depth >= MAX_NESTING:
            error = IngestError(
                "too_deep", f"nested {depth} containers deep: its members are not expanded (they stay in its "
                "original)")  # fmt: skip
            return [self.failed(label, error, actor=actor)]
        member_request = replace(request, title=None, metadata=None)
        results: list[IngestResult] = []
        try:
            for member in members:
                member_label = f"{label}!/{member.path}"
                if member.error is not None:
                    sha256 = self._keep(member.data) if member.data else None
                    results.append(self.failed(member_label, member.error, sha256, actor))
                    continue
                result = self.ingest_stream(
                    io.BytesIO(member.data or b""), posixpath.basename(member.path) or member.path,
                    member_request, label=member_label, depth=depth + 1,
                )  # fmt: skip
                if result.id:
                    self.store.add_member(container_id, result.id, member.path)
                results.append(result)
        except Exception as error:  # a container damaged past some member: the ones before are kept
            broken = IngestError("corrupt_container", f"the rest of the members could not be read ({error})")
            results.append(self.failed(label, broken, actor=actor))
        stored = sum(1 for result in results if result.id)
        self.store.append_custody(
            EXPANDED, actor=request.who, document_id=container_id, subject=label,
            details={"members": stored, "failed": len(results) - stored},
        )
        return results

    def _keep(self, data: bytes) -> str | None:
        """The original of a member that is not made a document is still kept and hashed."""
        try:
            return self.blobs.put_bytes(data).sha256
        except BlobStoreFull:
            return None

    def capture(
        self, url: str, request: IngestRequest, limits: CaptureLimits, retry_of: int | None = None
    ) -> IngestResult:
        """A media link: the page as served is the original, the capture is its provenance.

        Credentials in the link and secret query parameters are used to fetch, then removed from the
        page's URLs and from error messages before anything is kept or shown.
        """
        secrets = limits.secret_params
        label = redact_url(url.strip(), secrets)
        action = "capture" if retry_of is None else "retry"
        attempt = {"retry_of": retry_of} if retry_of is not None else {}
        try:
            page = capture(
                url,
                timeout=limits.timeout_seconds,
                max_bytes=limits.max_bytes,
                public_only=limits.public_only,
            )
        except CaptureError as error:
            safe = IngestError(error.code, redact_text(str(error), secrets))
            warc = None
            if self.archiver is not None:
                warc = self.archiver.keep_failure(error.exchanges, url, lambda u: redact_url(u, secrets))
            return self.failed(label, safe, warc, actor=request.who, action=action,
                               details={**attempt, "code": error.code, "http_status": error.status})
        page = replace(
            page,
            requested_url=redact_url(page.requested_url, secrets),
            final_url=redact_url(page.final_url, secrets),
            redirects=[redact_url(hop, secrets) for hop in page.redirects],
        )
        provenance = request.provenance
        if not provenance.source:
            provenance = Provenance(page.requested_url, provenance.ingested_by, provenance.note)
        link_request = replace(
            request,
            kind=request.kind or Kind.MEDIA,
            provenance=provenance,
            metadata={**_capture_metadata(page), **(request.metadata or {})},
        )
        result = self.ingest_stream(
            io.BytesIO(page.content), _file_name(page.final_url), link_request, label=label, page=page
        )
        self._record_capture(result, page, label, action, attempt, request, secrets)
        return result

    def _record_capture(
        self,
        result: IngestResult,
        page: CapturedPage,
        label: str,
        action: str,
        attempt: dict,
        request: IngestRequest,
        secrets: tuple[str, ...],
    ) -> None:
        """The capture as an event of its document: when, from where, and the files it left."""
        details = {**attempt, **_capture_metadata(page), "payload_sha256": page.sha256}
        warc = None
        if self.archiver is not None:
            files = self.archiver.keep(page, result.title or label, lambda u: redact_url(u, secrets))
            details.update(files.as_details())
            details["screenshot_ms"] = files.screenshot_ms
            warc = files.warc
        entry = self.store.record_event(
            sha256=warc, file=label, status=result.status, document_id=result.id, error=result.error,
            action=action, actor=request.who, details=details,
        )
        result.capture = {"custody_seq": entry.seq, **{k: v for k, v in details.items() if k in (
            "warc_sha256", "screenshot_sha256", "wacz_sha256", "missing", "screenshot_ms")}}

    def _store(
        self,
        label: str,
        filename: str,
        blob: StoredBlob,
        prepared: Prepared,
        metadata: dict,
        request: IngestRequest,
        analysed: Analysed | None = None,
        mentions: list[StoredMention] | None = None,
    ) -> IngestResult:
        """``analysed`` and ``mentions``: what a worker process made of the text already, if anything."""
        document = self._document(filename, blob, prepared, metadata, request)
        try:
            document = self.store.add(document, event_file=label, actor=request.who,
                                      mentions=_mentions(document, mentions))
        except DuplicateDocument as duplicate:  # the same bytes arrived at the same moment elsewhere
            return self._duplicate(label, duplicate.existing, request.who)
        self.on_created(document, analysed)
        return _created(label, document)

    def _document(
        self, filename: str, blob: StoredBlob, prepared: Prepared, metadata: dict, request: IngestRequest
    ) -> Document:
        """The new document of a kept original."""
        return Document(
            id=new_document_id(),
            kind=prepared.kind,
            title=prepared.title,
            language=prepared.language,
            text=prepared.text,
            sha256=blob.sha256,
            size=blob.size,
            media_type=prepared.media_type,
            original_name=filename,
            ingested_at=datetime.now(UTC),
            provenance=request.provenance,
            spans=prepared.spans,
            metadata=metadata,
            access=request.access,
            collection=request.collection,
        )

    def _duplicate(self, label: str, existing: Document, actor: str = "") -> IngestResult:
        self.store.record_event(
            sha256=existing.sha256, file=label, status="duplicate", document_id=existing.id, actor=actor
        )
        if not existing.indexed:
            self.on_created(existing, None)
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
        self,
        label: str,
        error: IngestError,
        sha256: str | None = None,
        actor: str = "",
        action: str = "ingest",
        details: dict | None = None,
    ) -> IngestResult:
        message = str(error)
        details = {**(details or {}), "code": error.code}  # for the reason in the interface language
        self.store.record_event(sha256=sha256, file=label, status="failed", error=message, actor=actor,
                                action=action, details=details)
        return IngestResult(label, "failed", None, sha256, error=message, code=error.code)


def write_groups(
    found: Iterable[tuple[Path | T, Ready | None]],
) -> Iterator[list[tuple[Path, Ready]] | tuple[Path | T, Ready | None]]:
    """Found files in the order they came, for the writer: runs of prepared files
    (`Ready.kept_together`) as lists bounded by WRITE_BATCH, WRITE_BATCH_CHARS and WRITE_BATCH_SECONDS,
    and every other file alone, as it came."""
    group: list[tuple[Path, Ready]] = []
    chars, started = 0, 0.0
    for path, ready in found:
        if not (isinstance(path, Path) and ready is not None and ready.kept_together):
            if group:
                yield group
                group, chars = [], 0
            yield path, ready
            continue
        if not group:
            started = time.monotonic()
        group.append((path, ready))
        chars += len(ready.prepared.text)  # type: ignore[union-attr]
        if len(group) >= WRITE_BATCH or chars >= WRITE_BATCH_CHARS \
                or time.monotonic() - started >= WRITE_BATCH_SECONDS:
            yield group
            group, chars = [], 0
    if group:
        yield group


def _metadata(prepared: Prepared, request: IngestRequest, page: CapturedPage | None = None) -> dict:
    """What the text said of itself, overridden by what the archivist gave; a file served on the web
    was published by its host, unless it says otherwise."""
    metadata = {**prepared.metadata, **(request.metadata or {})}
    if page is not None:
        metadata.setdefault("publisher", host_of(page.final_url))
    return metadata


def _mentions(document: Document, found: list[StoredMention] | None) -> FoundMentions:
    """The names a worker found in the document's text, or found now when no worker looked."""
    return (mentions_of(document) if found is None else found, MENTION_RULES)


def _created(label: str, document: Document) -> IngestResult:
    return IngestResult(label, "created", document.id, document.sha256, document.language,
                        str(document.kind), document.title)


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


def _extraction_hints(page: CapturedPage | None) -> dict:
    """What a capture knows that the bytes alone may not tell: the server's charset and the page's URL.
    A declared HTML type is trusted; any other declaration is left for the bytes to confirm."""
    if page is None:
        return {}
    media_type = HTML if page.media_type in HTML_TYPES else None
    return {"media_type": media_type, "charset": page.charset, "url": page.final_url}


def _capture_metadata(page: CapturedPage) -> dict:
    return {
        "url": page.requested_url,
        "final_url": page.final_url,
        "http_status": page.status,
        "redirects": page.redirects,
        "response_headers": page.headers,
        "captured_at": page.captured_at.isoformat(),
    }


def _file_name(url: str) -> str:
    tail = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail or "index.html"
