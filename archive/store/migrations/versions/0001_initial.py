"""Initial schema: documents and the ingest audit trail.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("original_name", sa.Text(), nullable=False),
        sa.Column("media_type", sa.String(255), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("ingested_by", sa.String(255), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("access", sa.String(16), nullable=False),
        sa.Column("metadata", JSON, nullable=False),
        sa.Column("spans", JSON, nullable=False),
        sa.Column("indexed", sa.Boolean(), nullable=False),
        sa.Column("index_error", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
        sa.CheckConstraint("access IN ('public', 'restricted')", name="ck_documents_access"),
    )
    op.create_index("ix_documents_indexed", "documents", ["indexed"])
    op.create_index("ix_documents_kind", "documents", ["kind"])
    op.create_index("ix_documents_language", "documents", ["language"])
    op.create_index("ix_documents_ingested_at", "documents", ["ingested_at"])

    op.create_table(
        "ingest_events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(32), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("file", sa.Text(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status IN ('created', 'duplicate', 'failed')", name="ck_ingest_events_status"),
    )
    op.create_index("ix_ingest_events_document_id", "ingest_events", ["document_id"])
    op.create_index("ix_ingest_events_sha256", "ingest_events", ["sha256"])
    op.create_index("ix_ingest_events_status_at", "ingest_events", ["status", "at"])


def downgrade() -> None:
    op.drop_table("ingest_events")
    op.drop_table("documents")
