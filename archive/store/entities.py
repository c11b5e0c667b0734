"""Entities in the store of record: mentions found in documents, the entities they are grouped into,
and archivists' decisions. Counts and lists take the reader's visibility, so that a restricted
document is never counted for someone who may not read it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    Table,
    bindparam,
    case,
    delete,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from archive.analysis.entity_groups import Decision
from archive.domain import Visibility
from archive.store.models import (
    DocumentRow,
    EntityDecisionRow,
    EntityRow,
    MentionKeyRow,
    MentionRow,
    MentionScanRow,
    MentionSpellingRow,
)

CHUNK = 500
CANDIDATES = 200  # entities a name search counts the documents of, the most mentioned first
_DOCUMENT_COLUMNS = (
    DocumentRow.id, DocumentRow.title, DocumentRow.kind, DocumentRow.language, DocumentRow.meta,
    DocumentRow.ingested_at, DocumentRow.original_name,
)


@dataclass(frozen=True)
class StoredMention:
    """A name as written in one document, in one language: where it first appears, and how often."""

    start: int
    end: int
    surface: str
    key: str
    kind: str
    language: str
    occurrences: int = 1


FoundMentions = tuple[Sequence[StoredMention], int]  # a text's mentions, and the version of the rules


@dataclass(frozen=True)
class EntityRecord:
    id: str
    key: str
    kind: str
    label: str
    mentions: int
    confirmed: bool
    documents: int = 0  # of those the reader may see


# How often the mentions of a group of rows were written: each row holds a name's every occurrence
# in one document (in one language), so that a name repeated in a report is one row, not dozens.
_OCCURRENCES = func.sum(MentionRow.occurrences)

# A mention's entity is its key's, as last grouped.
_KEY_OF_MENTION = MentionKeyRow.key == MentionRow.key
_SPELLINGS = MentionSpellingRow.__table__
_KEYS = MentionKeyRow.__table__
_ENTITIES = EntityRow.__table__
_MENTIONS = MentionRow.__table__
_MENTION_COLUMNS = ("document_id", "start", "end", "surface", "key", "kind", "language", "occurrences")
_ENTITY_FIELDS = [column.name for column in _ENTITIES.columns]  # a row's, in the table's order

Spelling = tuple[str, str, str]  # a name key, the kind it was found as, a surface

# An `EntityRecord`'s columns, in its fields' order, for reading records without ORM objects.
_RECORD_COLUMNS = (EntityRow.id, EntityRow.key, EntityRow.kind, EntityRow.label, EntityRow.mentions,
                   EntityRow.confirmed)

# Each page of hits asks it: built once, its documents an expanding parameter (`of_documents`).
_OF_DOCUMENTS = (select(MentionRow.document_id, _OCCURRENCES, func.min(MentionRow.start), *_RECORD_COLUMNS)
                 .join(MentionKeyRow, _KEY_OF_MENTION)
                 .join(EntityRow, MentionKeyRow.entity_id == EntityRow.id)
                 .where(MentionRow.document_id.in_(bindparam("ids", expanding=True)),
                        EntityRow.kind != "name")
                 .group_by(MentionRow.document_id, EntityRow.id))


@dataclass(frozen=True)
class EntityDocument:
    id: str
    title: str
    kind: str
    language: str
    date: str  # the decision or publication date when known, else the ingest date (ISO)
    mentions: int
    file_name: str = ""


class EntityStore:
    def __init__(self, engine: Engine, writer: Engine, visible: Callable[[Visibility], ColumnElement[bool]]):
        self._engine = engine
        self._writer = writer
        self._visible = visible
        self.changed = True  # mentions changed since the entities were last grouped
        self.writes = 0  # mentions, decisions and groupings this process wrote (`archive.entities.regroup`)

    # --- mentions -------------------------------------------------------------------------------

    def replace_mentions(self, found: dict[str, Sequence[StoredMention]], version: int) -> None:
        """The mentions of documents (document id → its mentions), found by rules of `version`, in
        one transaction; those found before are replaced."""
        ids = list(found)
        with self._writer.begin() as conn:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                found_before = conn.execute(
                    select(MentionRow.key, MentionRow.kind, MentionRow.surface, _OCCURRENCES)
                    .where(MentionRow.document_id.in_(chunk))
                    .group_by(MentionRow.key, MentionRow.kind, MentionRow.surface))
                _uncount_spellings(conn, {(k, c, s): int(n) for k, c, s, n in found_before})
                conn.execute(delete(MentionRow).where(MentionRow.document_id.in_(chunk)))
                conn.execute(delete(MentionScanRow).where(MentionScanRow.document_id.in_(chunk)))
            self.add_mentions(conn, found, version)

    def add_mentions(
        self, conn: Connection, found: dict[str, Sequence[StoredMention]], version: int
    ) -> None:
        """The mentions of documents that have none yet (document id → its mentions), inside the
        caller's transaction (ingest's: the same as the documents' rows). One bulk insert: a document
        holds dozens of mentions, a batch of ingest thousands."""
        rows = [
            (document_id, m.start, m.end, m.surface[:500], m.key[:300], m.kind, m.language, m.occurrences)
            for document_id, mentions in found.items()
            for m in mentions
        ]
        if rows:
            _insert_plain(conn, _MENTIONS, _MENTION_COLUMNS, rows)
            counted: Counter[Spelling] = Counter()
            for _, _, _, surface, key, kind, _, occurrences in rows:
                counted[key, kind, surface] += occurrences
            _count_spellings(conn, counted)
        if found:
            conn.execute(insert(MentionScanRow), [
                {"document_id": document_id, "version": version} for document_id in found])
        self._wrote()

    def _wrote(self) -> None:
        self.changed = True
        self.writes += 1

    def unscanned(self, version: int) -> list[str]:
        """Documents whose mentions were not found yet, or by older rules."""
        scanned = MentionScanRow.document_id == DocumentRow.id
        stmt = select(DocumentRow.id).outerjoin(MentionScanRow, scanned).where(
            or_(MentionScanRow.version.is_(None), MentionScanRow.version < version))
        with self._engine.connect() as conn:
            return list(conn.execute(stmt.order_by(DocumentRow.id)).scalars())

    def mention_keys(self) -> dict[str, tuple[str, Counter[str]]]:
        """Every mention key → the kind its mentions were found as (a person if ever found as one),
        and its surfaces counted: a row for each spelling of the archive, not for each mention."""
        found: dict[str, tuple[str, Counter[str]]] = {}
        with self._engine.connect() as conn:
            for key, kind, surface, n in conn.execute(select(_SPELLINGS)):
                _, surfaces = found.setdefault(key, (kind, Counter()))
                surfaces[surface] += n
                if kind == "person":
                    found[key] = ("person", surfaces)
        return found

    # --- entities -------------------------------------------------------------------------------

    def replace_entities(self, entities: Sequence[dict[str, object]], assignment: dict[str, str]) -> None:
        """The entities as grouped now (rows of the entities table), and each mention key's entity id
        (a key left out: no entity). Only the entities and keys that changed are written, against
        what the store holds inside this write transaction, so that no other writer's grouping is
        mixed with this one; a regrouping after a write touches a handful of rows."""
        self.writes += 1
        with self._writer.begin() as conn:
            stored = {row[0]: tuple(row) for row in conn.execute(select(_ENTITIES))}
            wanted = {row["id"]: tuple(row[name] for name in _ENTITY_FIELDS) for row in entities}
            stale = [ident for ident, row in stored.items() if wanted.get(ident) != row]
            _delete_in(conn, _ENTITIES.c.id, stale)
            fresh = [row for row in entities if stored.get(row["id"]) != wanted[row["id"]]]
            if fresh:
                conn.execute(insert(_ENTITIES), fresh)
            held = {key: entity for key, entity in conn.execute(select(_KEYS))}
            _delete_in(conn, _KEYS.c.key, [key for key in held if key not in assignment])
            moved = [{"k": key, "e": entity} for key, entity in assignment.items()
                     if key in held and held[key] != entity]
            if moved:
                moving = update(_KEYS).where(_KEYS.c.key == bindparam("k")).values(entity_id=bindparam("e"))
                conn.execute(moving, moved)
            new = [{"key": key, "entity_id": entity} for key, entity in assignment.items() if key not in held]
            if new:
                conn.execute(insert(_KEYS), new)

    def add_decision(self, decision: Decision, actor: str) -> None:
        with Session(self._writer) as session, session.begin():
            session.add(EntityDecisionRow(at=datetime.now(UTC), actor=actor, action=decision.action,
                                          entity_key=decision.entity, other_key=decision.other,
                                          spelling=decision.spelling))
        self._wrote()

    def decisions(self) -> list[Decision]:
        with self._engine.connect() as conn:
            rows = conn.execute(select(EntityDecisionRow).order_by(EntityDecisionRow.id))
            return [Decision(r.action, r.entity_key, r.other_key, r.spelling) for r in rows]

    def get(self, entity_id: str) -> EntityRecord | None:
        with Session(self._engine) as session:
            row = session.get(EntityRow, entity_id)
            return _record(row) if row is not None else None

    def by_key(self, key: str) -> EntityRecord | None:
        with Session(self._engine) as session:
            row = session.scalars(select(EntityRow).where(EntityRow.key == key)).first()
            return _record(row) if row is not None else None

    def _mentions_seen(self, visible: Visibility | None) -> Callable:
        def restrict(stmt):  # type: ignore[no-untyped-def]
            stmt = stmt.join_from(MentionRow, DocumentRow, DocumentRow.id == MentionRow.document_id)
            return stmt.where(self._visible(visible)) if visible is not None else stmt
        return restrict

    def search(self, word_keys: Sequence[str], visible: Visibility | None, limit: int,
               prefix: bool = False) -> list[EntityRecord]:
        """Entities whose spellings hold every one of the name keys, with the documents the reader may see,
        most documents first; entities in no such document are left out. With ``prefix`` the last key
        may be the start of a word (a name still being typed); entities holding it whole come first."""
        if not word_keys:
            return []
        *whole, last = word_keys
        holds = [EntityRow.word_keys.contains(f" {key} ") for key in whole]
        holds.append(EntityRow.word_keys.contains(f" {last}" if prefix else f" {last} "))
        # The entities first (a scan of the small entity table, the most mentioned first), then the
        # documents of those alone: joined the other way, every mention of the archive is counted.
        candidates = select(EntityRow.id).where(*holds).order_by(EntityRow.mentions.desc()).limit(CANDIDATES)
        with self._engine.connect() as conn:
            ids = list(conn.scalars(candidates))
            if not ids:
                return []
            restrict = self._mentions_seen(visible)
            documents = func.count(func.distinct(MentionRow.document_id))
            joined = (select(*_RECORD_COLUMNS, documents).select_from(EntityRow)
                      .join(MentionKeyRow, MentionKeyRow.entity_id == EntityRow.id)
                      .join(MentionRow, _KEY_OF_MENTION))
            stmt = restrict(joined)
            order = [documents.desc(), EntityRow.label]
            if prefix:
                order.insert(0, case((EntityRow.word_keys.contains(f" {last} "), 0), else_=1))
            stmt = stmt.where(EntityRow.id.in_(ids)).group_by(EntityRow.id).order_by(*order).limit(limit)
            return [EntityRecord(*columns) for columns in conn.execute(stmt)]

    def documents_count(self, entity_id: str, visible: Visibility | None) -> int:
        stmt = self._mentions_seen(visible)(select(func.count(func.distinct(MentionRow.document_id))))
        with self._engine.connect() as conn:
            return int(conn.execute(_of_entity(stmt, entity_id)).scalar_one())

    def spellings(self, entity_id: str, visible: Visibility | None) -> list[tuple[str, str, str, int]]:
        """(surface, mention key, language, count) of the mentions the reader may see."""
        stmt = self._mentions_seen(visible)(
            select(MentionRow.surface, MentionRow.key, MentionRow.language, _OCCURRENCES)
            .group_by(MentionRow.surface, MentionRow.key, MentionRow.language))
        stmt = _of_entity(stmt, entity_id)
        with self._engine.connect() as conn:
            return [(s, k, lang, int(n)) for s, k, lang, n in conn.execute(stmt)]

    def documents(self, entity_id: str, visible: Visibility | None) -> list[EntityDocument]:
        stmt = self._mentions_seen(visible)(
            select(*_DOCUMENT_COLUMNS, _OCCURRENCES).group_by(*_DOCUMENT_COLUMNS))
        stmt = _of_entity(stmt, entity_id)
        with self._engine.connect() as conn:
            found = [EntityDocument(i, t, k, lang, _date(meta, at), int(n), name or i)
                     for i, t, k, lang, meta, at, name, n in conn.execute(stmt)]
        return sorted(found, key=lambda d: (d.date, d.id))

    def cooccurring(self, entity_id: str, visible: Visibility | None, limit: int) -> list[EntityRecord]:
        """The entities met most often in the same documents, by how many documents they share."""
        documents = [d.id for d in self.documents(entity_id, visible)]
        shared: Counter[str] = Counter()
        with self._engine.connect() as conn:
            for start in range(0, len(documents), CHUNK):
                stmt = (select(MentionKeyRow.entity_id, func.count(func.distinct(MentionRow.document_id)))
                        .join_from(MentionRow, MentionKeyRow, _KEY_OF_MENTION)
                        .where(MentionRow.document_id.in_(documents[start : start + CHUNK]),
                               MentionKeyRow.entity_id != entity_id)
                        .group_by(MentionKeyRow.entity_id))
                for other, n in conn.execute(stmt):
                    shared[other] += int(n)
        records = []
        with Session(self._engine) as session:
            for other, n in shared.most_common():
                if len(records) >= limit:
                    break
                row = session.get(EntityRow, other)
                if row is not None and row.kind != "name":
                    records.append(_record(row, n))
        return records

    def of_document(self, document_id: str) -> list[EntityRecord]:
        """The entities a document mentions, in the order they first appear."""
        stmt = (select(EntityRow, func.min(MentionRow.start))
                .join(MentionKeyRow, MentionKeyRow.entity_id == EntityRow.id)
                .join(MentionRow, _KEY_OF_MENTION)
                .where(MentionRow.document_id == document_id).group_by(EntityRow.id))
        with Session(self._engine) as session:
            rows = sorted(session.execute(stmt), key=lambda r: r[1])
            return [_record(row, 1) for row, _ in rows]

    def of_documents(self, document_ids: Sequence[str], per_document: int) -> dict[str, list[EntityRecord]]:
        """The people, places and organisations each document mentions (the reader may see the
        documents themselves), in one query: most mentioned in it first, then the rarer in the
        archive, then the first to appear; ``per_document`` at most. `documents` is left at 0."""
        if not document_ids:
            return {}
        found: dict[str, list[tuple]] = defaultdict(list)
        with self._engine.connect() as conn:  # plain rows: a page of hits names a hundred entities
            for document_id, n, first, *columns in conn.execute(_OF_DOCUMENTS, {"ids": document_ids[:CHUNK]}):
                record = EntityRecord(*columns)
                found[document_id].append((-n, record.mentions, first, record))
        return {document_id: [entry[-1] for entry in sorted(entries, key=lambda e: e[:3])][:per_document]
                for document_id, entries in found.items()}

    def all(self) -> list[EntityRecord]:
        with Session(self._engine) as session:
            return [_record(row) for row in session.scalars(select(EntityRow).order_by(EntityRow.label))]


def _of_entity(stmt: Select, entity_id: str) -> Select:
    """`stmt` over mention rows, narrowed to the mentions of one entity."""
    return stmt.join(MentionKeyRow, _KEY_OF_MENTION).where(MentionKeyRow.entity_id == entity_id)


def _delete_in(
    conn: Connection, column: ColumnElement[str], values: Sequence[str], *also: ColumnElement[bool]
) -> None:
    """Deletes the rows whose `column` is one of `values` (and that meet `also`), a chunk at a time."""
    for start in range(0, len(values), CHUNK):
        conn.execute(delete(column.table).where(column.in_(values[start : start + CHUNK]), *also))


def _insert_plain(conn: Connection, table: Table, columns: Sequence[str], rows: list[tuple]) -> None:
    """Rows of plain values (text and integers: no type converts them) handed to the database driver
    as they are: a batch of ingest holds thousands of mentions, and building each row's parameters
    through SQLAlchemy cost more than inserting it."""
    compiled = insert(table).compile(dialect=conn.dialect, column_keys=list(columns))
    if compiled.positional:
        order = [columns.index(name) for name in compiled.positiontup]
        in_order = order == list(range(len(columns)))
        params: list = rows if in_order else [tuple(row[i] for i in order) for row in rows]
    else:
        params = [dict(zip(columns, row, strict=True)) for row in rows]
    conn.exec_driver_sql(compiled.string, params)


def _count_spellings(conn: Connection, counted: Counter[Spelling]) -> None:
    """Adds mentions' occurrences to the archive's count of each spelling: one upsert, each spelling
    once (PostgreSQL refuses a statement that would update one row twice)."""
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(_SPELLINGS)
    added = _SPELLINGS.c.occurrences + stmt.excluded.occurrences
    stmt = stmt.on_conflict_do_update(index_elements=["key", "kind", "surface"], set_={"occurrences": added})
    conn.execute(stmt, [{"key": key, "kind": kind, "surface": surface, "occurrences": n}
                        for (key, kind, surface), n in counted.items()])


def _uncount_spellings(conn: Connection, counted: dict[Spelling, int]) -> None:
    """Takes mentions about to be deleted off the count of each spelling; a spelling found nowhere
    any more is deleted."""
    if not counted:
        return
    conn.execute(update(_SPELLINGS)
                 .where(_SPELLINGS.c.key == bindparam("k"), _SPELLINGS.c.kind == bindparam("c"),
                        _SPELLINGS.c.surface == bindparam("s"))
                 .values(occurrences=_SPELLINGS.c.occurrences - bindparam("n")),
                 [{"k": key, "c": kind, "s": surface, "n": n} for (key, kind, surface), n in counted.items()])
    keys = sorted({key for key, _, _ in counted})
    _delete_in(conn, _SPELLINGS.c.key, keys, _SPELLINGS.c.occurrences <= 0)


def _record(row: EntityRow, documents: int = 0) -> EntityRecord:
    return EntityRecord(row.id, row.key, row.kind, row.label, row.mentions, row.confirmed, int(documents))


def _date(meta: dict, ingested_at: datetime) -> str:
    for field in ("decision_date", "published_date", "published"):
        value = (meta or {}).get(field)
        if isinstance(value, str) and value:
            return value[:10]
    return ingested_at.date().isoformat()
