"""The store of record: every document's metadata and extracted text, and the audit trail of ingests.

SQLite by default (WAL, busy timeout, write transactions taken with BEGIN IMMEDIATE so that several
ingesting processes queue up instead of failing); any other SQLAlchemy URL (PostgreSQL) works unchanged.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, false, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.pool import StaticPool

from archive.domain import AccessLevel, Document, DocumentHead, Kind, LanguageSpan, Provenance
from archive.store.models import EVENT_STATUSES, DocumentRow, IngestEventRow

SCHEMA_HEAD = "0001"  # the newest revision in migrations/versions; a test keeps the two in step
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 60
SQLITE_MMAP_BYTES = 1 << 30
CHUNK = 500  # ids per IN (...) clause

_SHA256 = re.compile(r"[0-9a-f]{64}")
_ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case: sorts like its values


class DuplicateDocument(Exception):
    def __init__(self, existing: Document) -> None:
        super().__init__(f"a document with SHA-256 {existing.sha256} already exists: {existing.id}")
        self.existing = existing


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer version of the archive than the one running."""


@dataclass(frozen=True)
class IngestEvent:
    id: int
    sha256: str | None
    file: str
    status: str
    document_id: str | None
    error: str | None
    at: datetime


def new_document_id() -> str:
    """16 characters of base32: 42 bits of milliseconds since 1970 (sortable until 2109), 38 random bits.

    Never derived from the content hash, so an id reveals nothing about the original.
    """
    millis = time.time_ns() // 1_000_000 & (1 << 42) - 1
    value = millis << 38 | secrets.randbits(38)
    chars = []
    for _ in range(16):
        chars.append(_ID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


class DocumentStore:
    def __init__(self, url: str) -> None:
        self.url = url
        self._engine = _create_engine(url)
        self._writer = self._engine.execution_options(sqlite_begin="IMMEDIATE")
        try:
            _ensure_schema(self._engine, self._writer)
        except BaseException:
            self._engine.dispose()
            raise

    # --- documents ----------------------------------------------------------------------------

    def add(self, doc: Document, event_file: str | None = None) -> Document:
        """Stores a new document (an empty id gets a fresh one) and returns it as stored.

        With `event_file`, the "created" ingest event is written in the same transaction.
        Raises DuplicateDocument carrying the existing document when its original is already archived,
        also when another thread or process stored it a moment earlier.
        """
        if not _SHA256.fullmatch(doc.sha256):
            raise ValueError(f"not a SHA-256 hex digest: {doc.sha256!r}")
        if doc.ingested_at.utcoffset() is None:
            raise ValueError(f"ingested_at must be timezone-aware: {doc.ingested_at!r}")
        if not doc.id:
            doc = replace(doc, id=new_document_id())
        try:
            with Session(self._writer) as session, session.begin():
                now = _now()
                session.add(_to_row(doc, now))
                if event_file is not None:
                    session.add(IngestEventRow(sha256=doc.sha256, file=event_file, status="created",
                                               document_id=doc.id, error=None, at=now))
        except IntegrityError:
            existing = self.get_by_sha256(doc.sha256)
            if existing is None:
                raise  # not the hash: an id collision or a constraint violation
            raise DuplicateDocument(existing) from None
        # As a fresh read would return it, without the cost of one: UTC times, metadata as stored JSON.
        return replace(doc, ingested_at=doc.ingested_at.astimezone(UTC),
                       metadata=json.loads(_json_dumps(doc.metadata)))

    def get(self, id: str) -> Document | None:
        with Session(self._engine) as session:
            row = session.get(DocumentRow, id)
            return _to_document(row) if row else None

    def get_by_sha256(self, sha256: str) -> Document | None:
        with Session(self._engine) as session:
            row = session.scalars(select(DocumentRow).where(DocumentRow.sha256 == sha256)).first()
            return _to_document(row) if row else None

    def get_many(self, ids: Sequence[str]) -> dict[str, Document]:
        """The documents found among `ids` (unknown ids are left out), keyed by id."""
        found: dict[str, Document] = {}
        with Session(self._engine) as session:
            for part in _chunks(list(dict.fromkeys(ids))):
                for row in session.scalars(select(DocumentRow).where(DocumentRow.id.in_(part))):
                    found[row.id] = _to_document(row)
        return found

    def get_heads(self, ids: Sequence[str], chars: int) -> dict[str, DocumentHead]:
        """The documents among `ids` with no more than the first `chars` characters of their text, by
        id: a page of hits without reading long texts, their language spans or their metadata."""
        row = DocumentRow
        opening = func.substr(row.text, 1, chars + 1).label("opening")  # one more: does it go on?
        stmt = select(row.id, row.sha256, row.title, row.kind, row.language, row.original_name,
                      row.ingested_at, opening)
        found: dict[str, DocumentHead] = {}
        with self._engine.connect() as conn:
            for part in _chunks(list(dict.fromkeys(ids))):
                for r in conn.execute(stmt.where(row.id.in_(part))):
                    found[r.id] = DocumentHead(
                        r.id, r.sha256, r.title, Kind(r.kind), r.language, r.original_name, r.ingested_at,
                        opening=r.opening[:chars], cut=len(r.opening) > chars,
                    )
        return found

    def iter_documents(self, batch_size: int = 500, only_pending: bool = False) -> Iterator[Document]:
        """All documents ordered by id, read in batches (keyset pagination, one short read each).

        Rows changed while iterating (for example marked indexed) neither shift nor repeat the order.
        """
        last = ""
        while True:
            stmt = select(DocumentRow).where(DocumentRow.id > last).order_by(DocumentRow.id).limit(batch_size)
            if only_pending:
                stmt = stmt.where(DocumentRow.indexed == false())
            with Session(self._engine) as session:
                batch = [_to_document(row) for row in session.scalars(stmt)]
            if not batch:
                return
            yield from batch
            last = batch[-1].id

    def iter_shas(self) -> Iterator[tuple[str, str]]:
        """(id, sha256) of every document, ordered by id, in batches."""
        last = ""
        while True:
            stmt = (
                select(DocumentRow.id, DocumentRow.sha256)
                .where(DocumentRow.id > last)
                .order_by(DocumentRow.id)
                .limit(5000)
            )
            with self._engine.connect() as conn:
                batch = [(row.id, row.sha256) for row in conn.execute(stmt)]
            if not batch:
                return
            yield from batch
            last = batch[-1][0]

    def count(self) -> int:
        with self._engine.connect() as conn:
            return conn.scalar(select(func.count()).select_from(DocumentRow)) or 0

    # --- index state --------------------------------------------------------------------------

    def mark_indexed(self, ids: Sequence[str]) -> None:
        self._set_index_state(ids, indexed=True, error=None)

    def mark_pending(self, ids: Sequence[str], error: str) -> None:
        """Records that the index backend did not take these documents, and why."""
        self._set_index_state(ids, indexed=False, error=error)

    def _set_index_state(self, ids: Sequence[str], *, indexed: bool, error: str | None) -> None:
        now = _now()
        with self._writer.begin() as conn:
            for part in _chunks(list(ids)):
                conn.execute(
                    update(DocumentRow)
                    .where(DocumentRow.id.in_(part))
                    .values(indexed=indexed, index_error=error, updated_at=now)
                )

    def pending_count(self) -> int:
        stmt = select(func.count()).select_from(DocumentRow).where(DocumentRow.indexed == false())
        with self._engine.connect() as conn:
            return conn.scalar(stmt) or 0

    def index_error(self, id: str) -> str | None:
        """The last indexing failure recorded for a document (None once it is indexed)."""
        with self._engine.connect() as conn:
            return conn.scalar(select(DocumentRow.index_error).where(DocumentRow.id == id))

    # --- facets -------------------------------------------------------------------------------

    def facets(self, ids: Sequence[str] | None = None) -> dict[str, dict[str, int]]:
        """Counts by kind and by language, over all documents or over `ids`."""
        result: dict[str, Counter[str]] = {"kind": Counter(), "language": Counter()}
        parts: list[list[str] | None] = [None] if ids is None else list(_chunks(list(dict.fromkeys(ids))))
        with self._engine.connect() as conn:
            for part in parts:
                for name, column in (("kind", DocumentRow.kind), ("language", DocumentRow.language)):
                    stmt = select(column, func.count()).group_by(column)
                    if part is not None:
                        stmt = stmt.where(DocumentRow.id.in_(part))
                    for value, n in conn.execute(stmt):
                        result[name][value] += n
        return {name: dict(counter.most_common()) for name, counter in result.items()}

    # --- audit trail --------------------------------------------------------------------------

    def record_event(
        self,
        *,
        sha256: str | None,
        file: str,
        status: str,
        document_id: str | None = None,
        error: str | None = None,
    ) -> None:
        if status not in EVENT_STATUSES:
            raise ValueError(f"unknown ingest status {status!r}: choose one of {', '.join(EVENT_STATUSES)}")
        row = IngestEventRow(
            sha256=sha256, file=file, status=status, document_id=document_id, error=error, at=_now()
        )
        with Session(self._writer) as session, session.begin():
            session.add(row)

    def events(self, status: str | None = None, limit: int = 100) -> list[IngestEvent]:
        """The most recent ingest attempts, newest first."""
        stmt = select(IngestEventRow).order_by(IngestEventRow.id.desc()).limit(limit)
        if status is not None:
            stmt = stmt.where(IngestEventRow.status == status)
        with Session(self._engine) as session:
            return [
                IngestEvent(
                    id=r.id,
                    sha256=r.sha256,
                    file=r.file,
                    status=r.status,
                    document_id=r.document_id,
                    error=r.error,
                    at=r.at,
                )
                for r in session.scalars(stmt)
            ]

    # --- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> DocumentStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- engine and schema ----------------------------------------------------------------------------


def _json_default(value: object) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()  # dates in metadata come back as ISO strings
    raise TypeError(f"{type(value).__name__} is not JSON serialisable: {value!r}")


def _json_dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, json_serializer=_json_dumps, pool_pre_ping=True)

    database = parsed.database or ""
    memory = database in ("", ":memory:") or parsed.query.get("mode") == "memory"
    options: dict[str, Any] = {"connect_args": {"timeout": SQLITE_BUSY_TIMEOUT_S, "check_same_thread": False}}
    if memory:
        options["poolclass"] = StaticPool  # one shared connection, or every checkout sees an empty database
    elif not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, json_serializer=_json_dumps, **options)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module: it would otherwise BEGIN lazily and DEFERRED.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_S * 1000}")
        if not memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            # In WAL mode NORMAL keeps the database consistent after any crash and every commit survives a
            # crash of the process; only a power loss may undo the last commits, whose originals are
            # already fsynced in the blob store, so rerunning the ingest restores them.
            cursor.execute("PRAGMA synchronous = NORMAL")
            # Reads through the OS page cache without a system call a page: a row's later columns sit
            # behind its text's overflow pages, which a search's hits would otherwise each re-read.
            cursor.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the lock up front (IMMEDIATE) so the busy timeout applies; a deferred reader that
        # later wants to write would get "database is locked" at once instead of waiting.
        conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get('sqlite_begin', 'DEFERRED')}")

    return engine


def _stored_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            revisions = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    except DBAPIError:
        return None  # no schema yet
    return revisions[0] if len(revisions) == 1 else None


def _ensure_schema(engine: Engine, writer: Engine) -> None:
    """Migrates to the newest revision; a database already there costs one small query, not Alembic."""
    if _stored_revision(engine) == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.config import Config
    from alembic.util.exc import CommandError

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    # One transaction, taken with the write lock, so processes opening a new database at once migrate it
    # once: the others wait, then find it at head.
    with writer.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7263512001)")
        config.attributes["connection"] = conn
        try:
            command.upgrade(config, "head")
        except CommandError as exc:
            raise SchemaTooNew(
                f"the database {engine.url!r} has schema revision {_stored_revision(engine)!r}, unknown to "
                f"this version of the archive (newest known: {SCHEMA_HEAD}); upgrade the archive software"
            ) from exc


# --- conversions -----------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _chunks(items: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _to_row(doc: Document, now: datetime) -> DocumentRow:
    return DocumentRow(
        id=doc.id,
        kind=Kind(doc.kind).value,
        title=doc.title,
        language=doc.language,
        text=doc.text,
        original_name=doc.original_name,
        media_type=doc.media_type,
        size=doc.size,
        sha256=doc.sha256,
        ingested_at=doc.ingested_at,
        source=doc.provenance.source,
        ingested_by=doc.provenance.ingested_by,
        note=doc.provenance.note,
        access=AccessLevel(doc.access).value,
        meta=doc.metadata,
        spans=[{"start": s.start, "end": s.end, "language": s.language} for s in doc.spans],
        indexed=doc.indexed,
        index_error=None,
        updated_at=now,
    )


def _to_document(row: DocumentRow) -> Document:
    return Document(
        id=row.id,
        kind=Kind(row.kind),
        title=row.title,
        language=row.language,
        text=row.text,
        sha256=row.sha256,
        size=row.size,
        media_type=row.media_type,
        original_name=row.original_name,
        ingested_at=row.ingested_at,
        provenance=Provenance(source=row.source, ingested_by=row.ingested_by, note=row.note),
        spans=[LanguageSpan(s["start"], s["end"], s["language"]) for s in row.spans],
        metadata=dict(row.meta),
        access=AccessLevel(row.access),
        indexed=row.indexed,
    )
