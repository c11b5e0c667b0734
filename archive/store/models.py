"""Tables of the store of record. Portable types only: the same schema serves SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

EVENT_STATUSES = ("created", "duplicate", "failed")  # of ingest and capture entries


class PortableJSON(TypeDecorator[Any]):
    """JSON, stored as JSONB on PostgreSQL (the PostgreSQL dialect is imported only when used)."""

    impl = JSON
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import JSONB

            return dialect.type_descriptor(JSONB())
        return dialect.type_descriptor(JSON())


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend.

    SQLite has no time zones, so values are stored as naive UTC there and given their zone back on read.
    Naive input is refused: a local time of unknown zone cannot be placed on the archive's timeline.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"datetime must be timezone-aware: {value!r}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    pass


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("sha256", name="uq_documents_sha256"),
        CheckConstraint("access IN ('public', 'restricted')", name="ck_documents_access"),
        Index("ix_documents_indexed", "indexed"),
        Index("ix_documents_kind", "kind"),
        Index("ix_documents_language", "language"),
        Index("ix_documents_ingested_at", "ingested_at"),
        Index("ix_documents_collection", "collection"),
        # What a reader may see of a document, read without its row (entity counts: migration 0008).
        Index("ix_documents_visibility", "id", "access", "withdrawn", "collection"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    original_name: Mapped[str] = mapped_column(Text, default="")
    media_type: Mapped[str] = mapped_column(String(255), default="")
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(Text, default="")
    ingested_by: Mapped[str] = mapped_column(String(255), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    access: Mapped[str] = mapped_column(String(16), default="public")
    collection: Mapped[str] = mapped_column(String(200), default="")
    # "metadata" is reserved on declarative classes, hence the attribute name.
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", PortableJSON, default=dict)
    spans: Mapped[list[Any]] = mapped_column(PortableJSON, default=list)
    indexed: Mapped[bool] = mapped_column(Boolean, default=False)
    index_error: Mapped[str | None] = mapped_column(Text)
    withdrawn: Mapped[str | None] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class CustodyRow(Base):
    """One entry of the chain of custody (archive/custody.py), append-only: triggers refuse UPDATE and DELETE.

    `seq` is given by the store, one more than the last entry, so a gap means a deleted entry.
    """

    __tablename__ = "custody_log"
    __table_args__ = (
        CheckConstraint(
            "status IS NULL OR status IN ('created', 'duplicate', 'failed')", name="ck_custody_log_status"
        ),
        UniqueConstraint("hash", name="uq_custody_log_hash"),
        Index("ix_custody_log_document_id", "document_id"),
        Index("ix_custody_log_sha256", "sha256"),
        Index("ix_custody_log_action_status", "action", "status"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    action: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(255), default="")
    status: Mapped[str | None] = mapped_column(String(16))
    document_id: Mapped[str | None] = mapped_column(String(32))
    sha256: Mapped[str | None] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(PortableJSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class TimestampRow(Base):
    """An RFC 3161 token over a SHA-256 the archive holds (archive/timestamps.py); append-only."""

    __tablename__ = "timestamps"
    __table_args__ = (
        CheckConstraint("subject IN ('original', 'custody_head')", name="ck_timestamps_subject"),
        Index("ix_timestamps_sha256", "sha256"),
        Index("ix_timestamps_document_id", "document_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    subject: Mapped[str] = mapped_column(String(16))
    sha256: Mapped[str] = mapped_column(String(64))  # the digest stamped: an original's, or the head's hash
    document_id: Mapped[str | None] = mapped_column(String(32))
    custody_seq: Mapped[int | None] = mapped_column(Integer)  # the head entry stamped
    tsa_url: Mapped[str] = mapped_column(Text)
    gen_time: Mapped[datetime] = mapped_column(UTCDateTime)  # the authority's time, read from the token
    token: Mapped[bytes] = mapped_column(LargeBinary)  # the TimeStampResp, DER


# --- accounts ----------------------------------------------------------------------------------

class UserRow(Base):
    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("name", name="uq_users_name"),
        CheckConstraint("role IN ('admin', 'archivist', 'researcher')", name="ck_users_role"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(Text)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ApiTokenRow(Base):
    """A token for scripts; only its SHA-256 is kept (tokens are random, so a slow hash adds nothing)."""

    __tablename__ = "api_tokens"
    __table_args__ = (UniqueConstraint("token_hash", name="uq_api_tokens_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    token_hash: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SessionRow(Base):
    """A signed-in browser; the cookie holds the id, the table its SHA-256 and the form token."""

    __tablename__ = "sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GroupRow(Base):
    """A team of users (a project, a partner organisation) that grants can be given to at once."""

    __tablename__ = "groups"
    __table_args__ = (UniqueConstraint("name", name="uq_groups_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class GroupMemberRow(Base):
    __tablename__ = "group_members"
    __table_args__ = (UniqueConstraint("group_id", "user_id", name="uq_group_members"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    group_id: Mapped[int] = mapped_column(Integer, index=True)
    user_id: Mapped[int] = mapped_column(Integer, index=True)


class GrantRow(Base):
    """A user or a group may read a restricted document, or every document of a collection."""

    __tablename__ = "access_grants"
    __table_args__ = (
        CheckConstraint("(user_id IS NULL) <> (group_id IS NULL)", name="ck_access_grants_subject"),
        CheckConstraint("(document_id IS NULL) <> (collection IS NULL)", name="ck_access_grants_object"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    group_id: Mapped[int | None] = mapped_column(Integer, index=True)
    document_id: Mapped[str | None] = mapped_column(String(32))
    collection: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoginFailureRow(Base):
    """A failed sign-in, by account name and by address: what slows the next attempts down."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class MemberRow(Base):
    """A document found inside another: a file of a ZIP or TAR, an attachment of an e-mail.

    A link rather than a column of the member, because the same bytes (one document) may arrive in
    several containers: every container keeps its own path to it.
    """

    __tablename__ = "members"
    __table_args__ = (UniqueConstraint("container_id", "path", name="uq_members_container_path"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    container_id: Mapped[str] = mapped_column(String(32), index=True)
    member_id: Mapped[str] = mapped_column(String(32), index=True)
    path: Mapped[str] = mapped_column(Text)  # inside the container, as the container names it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


# --- entities ----------------------------------------------------------------------------------

class MentionRow(Base):
    """A name found in a document's text (archive/analysis/mentions.py): one row for each way it is
    written (surface, key, kind, language) in each document. Its entity is its key's
    (`MentionKeyRow`), so that regrouping writes a row for each key whose entity changed, not one for
    each of the key's mentions in every document."""

    __tablename__ = "entity_mentions"
    __table_args__ = (
        Index("ix_entity_mentions_document_id", "document_id"),
        Index("ix_entity_mentions_key_document", "key", "document_id"),  # an entity's documents
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    document_id: Mapped[str] = mapped_column(String(32))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    surface: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(16), default="")
    occurrences: Mapped[int] = mapped_column(Integer, default=1, server_default="1")  # start, end: the first


class MentionSpellingRow(Base):
    """How often a name key was found written one way, as one kind, in the whole archive: what
    regrouping reads, kept up to date as mentions are written, so that it reads a row for each
    spelling, not every mention of the archive."""

    __tablename__ = "mention_spellings"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    surface: Mapped[str] = mapped_column(Text, primary_key=True)
    occurrences: Mapped[int] = mapped_column(Integer)


class MentionKeyRow(Base):
    """The entity a name key's mentions belong to, as last grouped; a key without a row has none (not
    grouped yet, or grouped into no entity)."""

    __tablename__ = "mention_keys"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    entity_id: Mapped[str] = mapped_column(String(16), index=True)


class MentionScanRow(Base):
    """A document whose mentions were found, by which version of the rules (older ones are found again)."""

    __tablename__ = "mention_scans"

    document_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)


class EntityRow(Base):
    """A person, place, organisation or other name: mentions grouped (archive/analysis/entity_groups.py)."""

    __tablename__ = "entities"
    __table_args__ = (
        UniqueConstraint("key", name="uq_entities_key"),
        CheckConstraint("kind IN ('person', 'place', 'organisation', 'name')", name="ck_entities_kind"),
    )

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16))
    label: Mapped[str] = mapped_column(Text)
    word_keys: Mapped[str] = mapped_column(Text, default="")  # " key key … ": the name keys of its spellings
    mentions: Mapped[int] = mapped_column(Integer, default=0)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)


class EntityDecisionRow(Base):
    """An archivist's merge, split or confirmation, kept apart from what the rules find, and reapplied
    whenever the entities are grouped again."""

    __tablename__ = "entity_decisions"
    __table_args__ = (
        CheckConstraint("action IN ('merge', 'split', 'confirm')", name="ck_entity_decisions_action"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(255), default="")
    action: Mapped[str] = mapped_column(String(16))
    entity_key: Mapped[str] = mapped_column(String(300))
    other_key: Mapped[str] = mapped_column(String(300), default="")
    spelling: Mapped[str] = mapped_column(String(300), default="")
