"""The chain of custody replaces the ingest audit trail: hash-chained entries no one can change.

The rows of `ingest_events` become the first entries of `custody_log`, in their order, chained; the old
table is dropped, so there is one record of what happened, not two that could disagree. Triggers refuse
UPDATE and DELETE (and TRUNCATE on PostgreSQL): an entry is changed only by someone who drops the
trigger first, and then `archive verify` finds the broken link.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from archive.custody import GENESIS, CustodyEntry

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
REFUSED = "custody log entries cannot be changed or deleted"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER custody_log_no_update BEFORE UPDATE ON custody_log
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    f"""CREATE TRIGGER custody_log_no_delete BEFORE DELETE ON custody_log
        BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
]
POSTGRESQL_TRIGGERS = [
    f"""CREATE FUNCTION custody_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{REFUSED}'; END $$""",
    """CREATE TRIGGER custody_log_no_change BEFORE UPDATE OR DELETE ON custody_log
        FOR EACH ROW EXECUTE FUNCTION custody_log_refuse()""",
    """CREATE TRIGGER custody_log_no_truncate BEFORE TRUNCATE ON custody_log
        FOR EACH STATEMENT EXECUTE FUNCTION custody_log_refuse()""",
]
DROP_TRIGGERS = {
    "sqlite": ["DROP TRIGGER custody_log_no_update", "DROP TRIGGER custody_log_no_delete"],
    "postgresql": [
        "DROP TRIGGER custody_log_no_truncate ON custody_log",
        "DROP TRIGGER custody_log_no_change ON custody_log",
        "DROP FUNCTION custody_log_refuse()",
    ],
}


def _ingest_events_table(*extra: sa.SchemaItem) -> list[sa.SchemaItem]:
    return [
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(32), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        *extra,
    ]


def upgrade() -> None:
    custody = op.create_table(
        "custody_log",
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("status", sa.String(16), nullable=True),
        sa.Column("document_id", sa.String(32), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("details", JSON, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("hash", name="uq_custody_log_hash"),
        sa.CheckConstraint(
            "status IS NULL OR status IN ('created', 'duplicate', 'failed')", name="ck_custody_log_status"
        ),
    )
    op.create_index("ix_custody_log_document_id", "custody_log", ["document_id"])
    op.create_index("ix_custody_log_sha256", "custody_log", ["sha256"])
    op.create_index("ix_custody_log_action_status", "custody_log", ["action", "status"])

    _carry_over_ingest_events(custody)
    op.drop_table("ingest_events")

    dialect = op.get_bind().dialect.name
    for statement in {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRESQL_TRIGGERS}.get(dialect, []):
        op.execute(statement)


def _carry_over_ingest_events(custody: sa.Table) -> None:
    from datetime import UTC

    bind = op.get_bind()
    events = sa.table(
        "ingest_events",
        *(sa.column(name) for name in ("id", "document_id", "sha256", "file", "status", "error")),
        sa.column("at", sa.DateTime()),
    )
    previous, rows = GENESIS, []
    for seq, event in enumerate(bind.execute(sa.select(events).order_by(events.c.id)), start=1):
        at = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)
        entry = CustodyEntry(
            seq=seq, at=at, action="ingest", status=event.status, document_id=event.document_id,
            sha256=event.sha256, subject=event.file, error=event.error,
            details={"carried_over_from": "ingest_events"}, prev_hash=previous,
        )
        previous = entry.computed_hash()
        values = {**entry.content(), "at": at.replace(tzinfo=None) if bind.dialect.name == "sqlite" else at}
        rows.append({**values, "details": json.loads(json.dumps(entry.details)), "hash": previous})
    if rows:
        op.bulk_insert(custody, rows)


def downgrade() -> None:
    for statement in DROP_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    events = op.create_table(
        "ingest_events",
        *_ingest_events_table(
            sa.CheckConstraint("status IN ('created', 'duplicate', 'failed')", name="ck_ingest_events_status")
        ),
    )
    op.create_index("ix_ingest_events_document_id", "ingest_events", ["document_id"])
    op.create_index("ix_ingest_events_sha256", "ingest_events", ["sha256"])
    op.create_index("ix_ingest_events_status_at", "ingest_events", ["status", "at"])
    custody = sa.table(
        "custody_log",
        *(sa.column(name) for name in ("seq", "status", "document_id", "sha256", "subject", "error")),
        sa.column("at", sa.DateTime()),
    )
    bind = op.get_bind()
    rows = [
        {"document_id": r.document_id, "sha256": r.sha256, "file": r.subject, "status": r.status,
         "error": r.error, "at": r.at}
        for r in bind.execute(
            sa.select(custody).where(custody.c.status.is_not(None)).order_by(custody.c.seq)
        )
    ]
    if rows:
        op.bulk_insert(events, rows)
    op.drop_table("custody_log")
