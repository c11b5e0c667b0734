"""Entities: name mentions found in documents, the entities they are grouped into, and archivists'
decisions about them (merge, split, confirm).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "entity_mentions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("surface", sa.Text(), nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("language", sa.String(16), nullable=False, server_default=""),
        sa.Column("entity_id", sa.String(16)),
    )
    op.create_index("ix_entity_mentions_document_id", "entity_mentions", ["document_id"])
    op.create_index("ix_entity_mentions_key", "entity_mentions", ["key"])
    op.create_index("ix_entity_mentions_entity_id", "entity_mentions", ["entity_id"])
    op.create_table(
        "mention_scans",
        sa.Column("document_id", sa.String(32), primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.String(16), primary_key=True),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("word_keys", sa.Text(), nullable=False, server_default=""),
        sa.Column("mentions", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("confirmed", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.UniqueConstraint("key", name="uq_entities_key"),
        sa.CheckConstraint("kind IN ('person', 'place', 'organisation', 'name')", name="ck_entities_kind"),
    )
    op.create_table(
        "entity_decisions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", UTC_DATETIME, nullable=False),
        sa.Column("actor", sa.String(255), nullable=False, server_default=""),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("entity_key", sa.String(300), nullable=False),
        sa.Column("other_key", sa.String(300), nullable=False, server_default=""),
        sa.Column("spelling", sa.String(300), nullable=False, server_default=""),
        sa.CheckConstraint("action IN ('merge', 'split', 'confirm')", name="ck_entity_decisions_action"),
    )


def downgrade() -> None:
    for table in ("entity_decisions", "entities", "mention_scans", "entity_mentions"):
        op.drop_table(table)
