"""The store of record: every document's metadata and extracted text, and the chain of custody.

SQLite by default (WAL, busy timeout, write transactions taken with BEGIN IMMEDIATE so that several
ingesting processes queue up instead of failing); any other SQLAlchemy URL (PostgreSQL) works unchanged.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
import time
from collections import defaultdict
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Integer,
    and_,
    bindparam,
    create_engine,
    event,
    false,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, NoSuchModuleError
from sqlalchemy.orm import Session, aliased
from sqlalchemy.pool import StaticPool

from archive.custody import ACTIONS, GENESIS, STATUSES, CustodyEntry
from archive.domain import AccessLevel, Document, DocumentHead, Kind, LanguageSpan, Provenance, Visibility
from archive.store.accounts import AccountStore
from archive.store.change_marks import ChangeMarks
from archive.store.entities import EntityStore, FoundMentions, StoredMention
from archive.store.models import CustodyRow, DocumentRow, MemberRow, TimestampRow

SCHEMA_HEAD = "0012"  # the newest revision in migrations/versions; a test keeps the two in step
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_BUSY_TIMEOUT_S = 60
SQLITE_MMAP_BYTES = 1 << 30
CHUNK = 500  # ids per IN (...) clause
# What an edit may change of a document's row: never its original, hash, text or ingest time.
EDITED_COLUMNS = (
    "kind", "title", "language", "source", "ingested_by", "note", "access", "collection", "meta", "withdrawn",
)
BLOB_DETAILS = ("warc_sha256", "screenshot_sha256", "wacz_sha256", "payload_sha256")  # blobs in details
CUSTODY_LOCK = 7263512002  # PostgreSQL advisory lock taken to append to the chain, one writer at a time

_SHA256 = re.compile(r"[0-9a-f]{64}")
_ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case: sorts like its values


class DuplicateDocument(Exception):
    def __init__(self, existing: Document) -> None:
        super().__init__(f"a document with SHA-256 {existing.sha256} already exists: {existing.id}")
        self.existing = existing


class StoreUnavailable(RuntimeError):
    """The store of record cannot be opened as configured (its database driver is not installed)."""


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer version of the archive than the one running."""


@dataclass(frozen=True)
class NewDocument:
    """A document to store, with what is written beside its row in the same transaction: the custody
    entry of its ingest (when `event_file` names what was ingested) and the names found in its text."""

    document: Document
    event_file: str | None = None
    actor: str | None = None  # who the custody entry names; None: the provenance's "ingested by"
    mentions: FoundMentions | None = None

    @property
    def who(self) -> str:
        return self.document.provenance.ingested_by if self.actor is None else self.actor


@dataclass(frozen=True)
class MemberLink:
    """A document found inside a container (a file of an archive, an attachment of an e-mail)."""

    container_id: str
    member_id: str
    path: str


@dataclass(frozen=True)
class IngestEvent:
    """An ingest or capture attempt as the audit trail showed it: a view of one custody entry."""

    id: int
    sha256: str | None
    file: str
    status: str
    document_id: str | None
    error: str | None
    at: datetime
    action: str = "ingest"  # or "capture", "retry"
    code: str | None = None  # a failure's machine code (`IngestError.code`), when it was recorded


@dataclass(frozen=True)
class StoredTimestamp:
    id: int
    subject: str  # "original" or "custody_head"
    sha256: str  # the digest the token is over
    document_id: str | None
    custody_seq: int | None
    tsa_url: str
    gen_time: datetime
    token: bytes
    at: datetime


def new_document_id() -> str:
    """16 characters of base32: 42 bits of milliseconds since 1970 (sortable until 2109), 38 random bits.

    Never derived from the content hash, so an id reveals nothing about the original. The ids one
    process makes sort in the order it made them, within a millisecond too (a batch of ingest makes
    dozens a millisecond): one made in the same millisecond as the last is a random step above it.
    """
    global _last_id
    with _id_lock:
        millis = time.time_ns() // 1_000_000 & (1 << 42) - 1
        value = millis << 38 | secrets.randbits(38)
        if value <= _last_id:
            value = _last_id + 1 + secrets.randbits(20)
        _last_id = value
    chars = []
    for _ in range(16):
        chars.append(_ID_ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(chars))


_id_lock = threading.Lock()
_last_id = 0


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
        self.accounts = AccountStore(self._engine, self._writer)
        self.entities = EntityStore(self._engine, self._writer, _visible)
        self._marks = ChangeMarks(None if _in_memory(self._engine.url) else self._engine)

    # --- documents ----------------------------------------------------------------------------

    def add_member(self, container_id: str, member_id: str, path: str) -> None:
        """Links a document found inside a container to it; the same path twice is kept once."""
        with Session(self._writer) as session, session.begin():
            exists = session.scalars(select(MemberRow.id).where(
                MemberRow.container_id == container_id, MemberRow.path == path)).first()
            if exists is None:
                session.add(MemberRow(container_id=container_id, member_id=member_id, path=path,
                                      created_at=_now()))

    def members_of(self, container_id: str) -> list[MemberLink]:
        """The members of a container, in the order they were stored."""
        return self._links(MemberRow.container_id == container_id)

    def containers_of(self, member_id: str) -> list[MemberLink]:
        """Every container a document was found in, with its path there."""
        return self._links(MemberRow.member_id == member_id)

    def found_in(
        self, member_ids: Sequence[str], visible: Visibility | None
    ) -> dict[str, tuple[str, str, str]]:
        """For each of `member_ids` found in a container that ``visible`` allows: the first such
        container's id and title, and the member's path in it (a hit in an attachment names its
        message)."""
        container = _CONTAINER
        stmt = (
            select(MemberRow.member_id, MemberRow.container_id, container.title, MemberRow.path)
            .join(container, container.id == MemberRow.container_id)
            .order_by(MemberRow.id)
        )
        if visible is not None:
            stmt = stmt.where(_visible(visible, container))
        found: dict[str, tuple[str, str, str]] = {}
        with self._engine.connect() as conn:
            for part in _chunks(list(dict.fromkeys(member_ids))):
                for member_id, container_id, title, path in conn.execute(
                    stmt.where(MemberRow.member_id.in_(part))
                ):
                    found.setdefault(member_id, (container_id, title, path))
        return found

    def _links(self, where: ColumnElement[bool]) -> list[MemberLink]:
        with Session(self._engine) as session:
            rows = session.scalars(select(MemberRow).where(where).order_by(MemberRow.id))
            return [MemberLink(row.container_id, row.member_id, row.path) for row in rows]

    def add(
        self, doc: Document, event_file: str | None = None, actor: str | None = None,
        mentions: FoundMentions | None = None,
    ) -> Document:
        """Stores a new document (an empty id gets a fresh one) and returns it as stored.

        With `event_file`, the "created" custody entry is written in the same transaction, naming
        ``actor`` (by default the provenance's "ingested by"); with ``mentions``, the names found in
        its text too.
        Raises DuplicateDocument carrying the existing document when its original is already archived,
        also when another thread or process stored it a moment earlier.
        """
        new = _checked(NewDocument(doc, event_file, actor, mentions))
        try:
            self._insert([new])
        except IntegrityError:
            existing = self.get_by_sha256(new.document.sha256)
            if existing is None:
                raise  # not the hash: an id collision or a constraint violation
            raise DuplicateDocument(existing) from None
        return _as_stored(new.document)

    def add_many(self, batch: Sequence[NewDocument]) -> list[Document | DuplicateDocument]:
        """Stores new documents as `add` does, all in one transaction (ingest's batches: one commit
        instead of one per document); each comes back stored, or as the duplicate it turned out to be."""
        checked = [_checked(new) for new in batch]
        if not checked:  # an INSERT given no rows would try one row of defaults
            return []
        try:
            self._insert(checked)
        except IntegrityError:  # one of them was stored a moment earlier elsewhere: each on its own
            return [self._add_or_duplicate(new) for new in checked]
        return [_as_stored(new.document) for new in checked]

    def _add_or_duplicate(self, new: NewDocument) -> Document | DuplicateDocument:
        try:
            return self.add(new.document, new.event_file, new.actor, new.mentions)
        except DuplicateDocument as duplicate:
            return duplicate

    def _insert(self, batch: Sequence[NewDocument]) -> None:
        """The rows, then their custody entries and mentions, in one transaction; the rows first, so
        that a duplicate fails before the chain grows."""
        with Session(self._writer) as session, session.begin():
            now = _now()
            session.execute(insert(DocumentRow), [_row_values(new.document, now) for new in batch])
            entries = [
                CustodyEntry(seq=0, at=now, action="ingest", actor=new.who, status="created",
                             document_id=new.document.id, sha256=new.document.sha256, subject=new.event_file)
                for new in batch if new.event_file is not None
            ]
            if entries:
                _append_many(session, entries)
            by_rules: dict[int, dict[str, Sequence[StoredMention]]] = defaultdict(dict)
            for new in batch:
                if new.mentions is not None:
                    found, rules = new.mentions
                    by_rules[rules][new.document.id] = found
            for rules, found_by_document in by_rules.items():
                self.entities.add_mentions(session.connection(), found_by_document, rules)

    def update(self, doc: Document) -> Document:
        """Writes an edited document's record (its original, hash and ingest time never change) and
        marks it for the index again."""
        row = _row_values(replace(doc, indexed=False), _now())
        values = {column: row[column] for column in (*EDITED_COLUMNS, "indexed", "updated_at")}
        with Session(self._writer) as session, session.begin():
            session.execute(update(DocumentRow).where(DocumentRow.id == doc.id).values(**values))
        return replace(doc, indexed=False, metadata=json.loads(_json_dumps(doc.metadata)))

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
        id: a page of hits without reading long texts or their language spans."""
        found: dict[str, DocumentHead] = {}
        with self._engine.connect() as conn:
            for part in _chunks(list(dict.fromkeys(ids))):
                for r in conn.execute(_HEADS, {"ids": part, "chars": chars + 1}):  # one more: does it go on?
                    found[r.id] = DocumentHead(
                        r.id, r.sha256, r.title, Kind(r.kind), r.language, r.original_name, r.ingested_at,
                        opening=r.opening[:chars], cut=len(r.opening) > chars, metadata=dict(r.meta or {}),
                        access=AccessLevel(r.access), collection=r.collection or "", withdrawn=r.withdrawn,
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

    def pending_count(self, visible: Visibility | None = None) -> int:
        """Documents not yet in the index, of those ``visible`` allows (all with None)."""
        stmt = select(func.count()).select_from(DocumentRow).where(DocumentRow.indexed == false())
        if visible is not None:
            stmt = stmt.where(_visible(visible))
        with self._engine.connect() as conn:
            return conn.scalar(stmt) or 0

    def index_error(self, id: str) -> str | None:
        """The last indexing failure recorded for a document (None once it is indexed)."""
        with self._engine.connect() as conn:
            return conn.scalar(select(DocumentRow.index_error).where(DocumentRow.id == id))

    # --- chain of custody ---------------------------------------------------------------------
    # The custody log is the one record of what happened to originals and documents; the ingest audit
    # trail of old (`record_event`, `events`) is the view of its ingest and capture entries.

    def record_event(
        self,
        *,
        sha256: str | None,
        file: str,
        status: str,
        document_id: str | None = None,
        error: str | None = None,
        action: str = "ingest",
        actor: str = "",
        details: dict[str, Any] | None = None,
    ) -> CustodyEntry:
        """An ingest (or capture, retry) attempt, whatever its outcome, as a custody entry."""
        if status not in STATUSES:
            raise ValueError(f"unknown ingest status {status!r}: choose one of {', '.join(STATUSES)}")
        return self.append_custody(
            action, actor=actor, status=status, document_id=document_id, sha256=sha256, subject=file,
            error=error, details=details,
        )

    def append_custody(
        self,
        action: str,
        *,
        actor: str = "",
        status: str | None = None,
        document_id: str | None = None,
        sha256: str | None = None,
        subject: str = "",
        error: str | None = None,
        details: dict[str, Any] | None = None,
    ) -> CustodyEntry:
        """Adds an entry at the end of the chain and returns it with its sequence number and hash."""
        entry = CustodyEntry(
            seq=0, at=_now(), action=action, actor=actor, status=status, document_id=document_id,
            sha256=sha256, subject=subject, error=error, details=details or {},
        )
        with Session(self._writer) as session, session.begin():
            return _append(session, entry)

    def events(self, status: str | None = None, limit: int = 100) -> list[IngestEvent]:
        """The most recent ingest and capture attempts, newest first."""
        stmt = (
            select(CustodyRow)
            .where(CustodyRow.status.is_not(None))
            .order_by(CustodyRow.seq.desc())
            .limit(limit)
        )
        if status is not None:
            stmt = stmt.where(CustodyRow.status == status)
        with Session(self._engine) as session:
            return [
                IngestEvent(
                    r.seq, r.sha256, r.subject, r.status or "", r.document_id, r.error, r.at, r.action,
                    (r.details or {}).get("code"),
                )
                for r in session.scalars(stmt)
            ]

    def iter_custody(self, batch_size: int = 2000) -> Iterator[CustodyEntry]:
        """The whole chain in order, read in batches."""
        last = 0
        while True:
            stmt = select(CustodyRow).where(CustodyRow.seq > last).order_by(CustodyRow.seq).limit(batch_size)
            with Session(self._engine) as session:
                batch = [_to_entry(row) for row in session.scalars(stmt)]
            if not batch:
                return
            yield from batch
            last = batch[-1].seq

    def custody_of(self, document_id: str) -> list[CustodyEntry]:
        """The entries about one document, oldest first."""
        stmt = select(CustodyRow).where(CustodyRow.document_id == document_id).order_by(CustodyRow.seq)
        with Session(self._engine) as session:
            return [_to_entry(row) for row in session.scalars(stmt)]

    def custody_by_action(self, action: str) -> list[CustodyEntry]:
        stmt = select(CustodyRow).where(CustodyRow.action == action).order_by(CustodyRow.seq)
        with Session(self._engine) as session:
            return [_to_entry(row) for row in session.scalars(stmt)]

    def custody_by_subject(self, subject: str) -> list[CustodyEntry]:
        """The entries about one file name or URL, oldest first."""
        stmt = select(CustodyRow).where(CustodyRow.subject == subject).order_by(CustodyRow.seq)
        with Session(self._engine) as session:
            return [_to_entry(row) for row in session.scalars(stmt)]

    def custody_entries(self, seqs: Sequence[int]) -> dict[int, CustodyEntry]:
        found: dict[int, CustodyEntry] = {}
        with Session(self._engine) as session:
            for start in range(0, len(seqs), CHUNK):
                part = list(seqs[start : start + CHUNK])
                for row in session.scalars(select(CustodyRow).where(CustodyRow.seq.in_(part))):
                    found[row.seq] = _to_entry(row)
        return found

    def custody_head(self) -> CustodyEntry | None:
        with Session(self._engine) as session:
            row = session.scalars(select(CustodyRow).order_by(CustodyRow.seq.desc()).limit(1)).first()
            return _to_entry(row) if row else None

    def shas_kept_for(self, actor: str) -> set[str]:
        """The originals an actor's ingests and captures kept, failed ones included (a user's quota)."""
        stmt = select(CustodyRow.sha256).where(
            CustodyRow.actor == actor,
            CustodyRow.action.in_(("ingest", "capture", "retry")),
            CustodyRow.status.in_(("created", "failed")),
            CustodyRow.sha256.is_not(None),
        )
        with self._engine.connect() as conn:
            return set(conn.scalars(stmt))

    def purged_shas(self) -> set[str]:
        """Blobs an admin purged: their custody entries keep the hash and the reason."""
        stmt = select(CustodyRow.sha256).where(CustodyRow.action == "delete", CustodyRow.sha256.is_not(None))
        with self._engine.connect() as conn:
            return set(conn.scalars(stmt))

    def custody_shas(self) -> Iterator[tuple[int, str]]:
        """(seq, sha256) of every blob the entries name: originals of failed ingests, and the WARC,
        screenshot and WACZ of captures (named in the details)."""
        for entry in self.iter_custody():
            if entry.sha256:
                yield entry.seq, entry.sha256
            for key in BLOB_DETAILS:
                value = entry.details.get(key)
                if isinstance(value, str) and _SHA256.fullmatch(value):
                    yield entry.seq, value

    # --- trusted timestamps -------------------------------------------------------------------

    def add_timestamp(
        self,
        subject: str,
        sha256: str,
        token: bytes,
        gen_time: datetime,
        tsa_url: str,
        *,
        document_id: str | None = None,
        custody_seq: int | None = None,
    ) -> StoredTimestamp:
        """Keeps a token and, in the same transaction, a custody entry saying it was obtained."""
        now = _now()
        row = TimestampRow(
            at=now, subject=subject, sha256=sha256, document_id=document_id, custody_seq=custody_seq,
            tsa_url=tsa_url, gen_time=gen_time, token=token,
        )
        with Session(self._writer) as session, session.begin():
            session.add(row)
            session.flush()
            # An entry's sha256 names a blob; a head's hash is not one, so it goes in the details.
            _append(session, CustodyEntry(
                seq=0, at=now, action="timestamp", document_id=document_id,
                sha256=sha256 if subject == "original" else None, subject=tsa_url, details={
                    "timestamp_id": row.id, "of": subject, "custody_seq": custody_seq, "digest": sha256,
                    "gen_time": gen_time.isoformat(), "token_sha256": hashlib.sha256(token).hexdigest(),
                },
            ))
            return _to_timestamp(row)

    def timestamps(self, document_id: str | None = None, subject: str | None = None) -> list[StoredTimestamp]:
        stmt = select(TimestampRow).order_by(TimestampRow.id)
        if document_id is not None:
            stmt = stmt.where(TimestampRow.document_id == document_id)
        if subject is not None:
            stmt = stmt.where(TimestampRow.subject == subject)
        with Session(self._engine) as session:
            return [_to_timestamp(row) for row in session.scalars(stmt)]

    def latest_head_timestamp(self) -> StoredTimestamp | None:
        stmt = (
            select(TimestampRow)
            .where(TimestampRow.subject == "custody_head")
            .order_by(TimestampRow.id.desc())
            .limit(1)
        )
        with Session(self._engine) as session:
            row = session.scalars(stmt).first()
            return _to_timestamp(row) if row else None

    def unstamped_documents(self) -> list[tuple[str, str]]:
        """(id, sha256) of the documents whose original has no token yet."""
        stamped = select(TimestampRow.sha256).where(TimestampRow.subject == "original")
        stmt = select(DocumentRow.id, DocumentRow.sha256).where(DocumentRow.sha256.not_in(stamped))
        with self._engine.connect() as conn:
            return [(row.id, row.sha256) for row in conn.execute(stmt.order_by(DocumentRow.id))]

    # --- copies -------------------------------------------------------------------------------

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the whole store, taken while writers go on, as one SQLite file."""
        from archive.store.copying import backup_sqlite, copy_rows, sqlite_file

        source = sqlite_file(self._engine)
        if source is not None:
            backup_sqlite(source, target)
            return
        target.unlink(missing_ok=True)
        with DocumentStore(f"sqlite:///{target}") as copy:
            copy_rows(self._engine, copy._writer)

    def copy_into(self, target: DocumentStore) -> dict[str, int]:
        """Every row of this store into `target`, an empty store (another database); counts per table."""
        from archive.store.copying import copy_rows

        return copy_rows(self._engine, target._writer)

    # --- lifecycle ----------------------------------------------------------------------------

    def ping(self) -> None:
        """Raises unless the database answers a query."""
        with self._engine.connect() as conn:
            conn.execute(select(1))

    def change_mark(self) -> Hashable | None:
        """A value that changes whenever any connection of any process commits a change to the store
        (`archive.store.change_marks`), None where the database cannot say (an in-memory database)."""
        return self._marks.current()

    def close(self) -> None:
        self._marks.close()
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


def _in_memory(url: URL) -> bool:
    """A SQLite database that lives in memory: one shared connection, nothing on disk."""
    return (url.database or "") in ("", ":memory:") or url.query.get("mode") == "memory"


def _create_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        try:
            return create_engine(parsed, json_serializer=_json_dumps, pool_pre_ping=True)
        except (ImportError, NoSuchModuleError) as error:
            extra = "pip install 'evidence-archive[postgres]'" if parsed.get_backend_name() == "postgresql" \
                else f"install the driver {parsed.get_driver_name()!r}"
            raise StoreUnavailable(
                f"the database {parsed.render_as_string()} needs its driver, which is not installed "
                f"({error}): {extra}"
            ) from None

    database = parsed.database or ""
    memory = _in_memory(parsed)
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


def _append(session: Session, entry: CustodyEntry) -> CustodyEntry:
    return _append_many(session, [entry])[0]


def _append_many(session: Session, entries: Sequence[CustodyEntry]) -> list[CustodyEntry]:
    """Links `entries` in turn to the current head inside the caller's write transaction (the write
    lock on SQLite, an advisory lock on PostgreSQL), so two writers never take the same place in the
    chain."""
    for entry in entries:
        if entry.action not in ACTIONS:
            raise ValueError(f"unknown custody action {entry.action!r}: choose one of {', '.join(ACTIONS)}")
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(CUSTODY_LOCK)))
    last = select(CustodyRow.seq, CustodyRow.hash).order_by(CustodyRow.seq.desc()).limit(1)
    head = session.execute(last).first()
    seq, prev_hash = (head.seq + 1, head.hash) if head else (1, GENESIS)
    linked_entries: list[CustodyEntry] = []
    for entry in entries:
        # Details as JSON gives them back (dates as ISO strings), so that the hash is of what is read later.
        details = json.loads(_json_dumps(entry.details))
        linked = replace(entry, seq=seq, prev_hash=prev_hash, details=details)
        linked = replace(linked, hash=linked.computed_hash())
        linked_entries.append(linked)
        seq, prev_hash = seq + 1, linked.hash
    session.execute(insert(CustodyRow), [
        {"seq": e.seq, "at": e.at, "action": e.action, "actor": e.actor, "status": e.status,
         "document_id": e.document_id, "sha256": e.sha256, "subject": e.subject, "error": e.error,
         "details": e.details, "prev_hash": e.prev_hash, "hash": e.hash}
        for e in linked_entries
    ])
    return linked_entries


def _to_entry(row: CustodyRow) -> CustodyEntry:
    return CustodyEntry(
        seq=row.seq, at=row.at, action=row.action, actor=row.actor, status=row.status,
        document_id=row.document_id, sha256=row.sha256, subject=row.subject, error=row.error,
        details=dict(row.details), prev_hash=row.prev_hash, hash=row.hash,
    )


def _to_timestamp(row: TimestampRow) -> StoredTimestamp:
    return StoredTimestamp(
        id=row.id, subject=row.subject, sha256=row.sha256, document_id=row.document_id,
        custody_seq=row.custody_seq, tsa_url=row.tsa_url, gen_time=row.gen_time, token=bytes(row.token),
        at=row.at,
    )


# The documents table as the container of members; made once, as making an alias costs more than the
# query it is used in.
_CONTAINER = aliased(DocumentRow, name="container")


def _visible(visible: Visibility, row: Any = DocumentRow) -> ColumnElement[bool]:
    """The documents a reader who does not see everything may see (the index applies the same rule);
    ``row``: the documents table or an alias of it."""
    either = []
    if visible.public:
        either.append(row.access == AccessLevel.PUBLIC.value)
    if visible.granted:
        either.append(row.id.in_(sorted(visible.granted)))
    if visible.collections:
        either.append(row.collection.in_(sorted(visible.collections)))
    return and_(or_(false(), *either), row.withdrawn.is_(None))


# Each page of hits reads its documents' heads: built once, the ids an expanding parameter.
_HEADS = select(
    DocumentRow.id, DocumentRow.sha256, DocumentRow.title, DocumentRow.kind, DocumentRow.language,
    DocumentRow.original_name, DocumentRow.ingested_at,
    func.substr(DocumentRow.text, 1, bindparam("chars", type_=Integer)).label("opening"),
    DocumentRow.meta.label("meta"), DocumentRow.access, DocumentRow.collection, DocumentRow.withdrawn,
).where(DocumentRow.id.in_(bindparam("ids", expanding=True)))


def _row_values(doc: Document, now: datetime) -> dict[str, Any]:
    return {
        "id": doc.id,
        "kind": Kind(doc.kind).value,
        "title": doc.title,
        "language": doc.language,
        "text": doc.text,
        "original_name": doc.original_name,
        "media_type": doc.media_type,
        "size": doc.size,
        "sha256": doc.sha256,
        "ingested_at": doc.ingested_at,
        "source": doc.provenance.source,
        "ingested_by": doc.provenance.ingested_by,
        "note": doc.provenance.note,
        "access": AccessLevel(doc.access).value,
        "collection": doc.collection,
        "meta": doc.metadata,
        "spans": [{"start": s.start, "end": s.end, "language": s.language} for s in doc.spans],
        "indexed": doc.indexed,
        "index_error": None,
        "withdrawn": doc.withdrawn,
        "updated_at": now,
    }


def _checked(new: NewDocument) -> NewDocument:
    """A new document fit to store: a SHA-256 for its original, an aware ingest time, an id."""
    doc = new.document
    if not _SHA256.fullmatch(doc.sha256):
        raise ValueError(f"not a SHA-256 hex digest: {doc.sha256!r}")
    if doc.ingested_at.utcoffset() is None:
        raise ValueError(f"ingested_at must be timezone-aware: {doc.ingested_at!r}")
    return new if doc.id else replace(new, document=replace(doc, id=new_document_id()))


def _as_stored(doc: Document) -> Document:
    """As a fresh read would return it, without the cost of one: UTC times, metadata as stored JSON."""
    return replace(doc, ingested_at=doc.ingested_at.astimezone(UTC),
                   metadata=json.loads(_json_dumps(doc.metadata)))


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
        collection=row.collection or "",
        indexed=row.indexed,
        withdrawn=row.withdrawn,
    )
