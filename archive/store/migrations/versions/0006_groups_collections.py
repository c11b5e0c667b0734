"""Collections of documents, groups of users, and grants to a user or a group of one document or of a
whole collection (the grants of 0004 were of one document to one user; they are carried over).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("documents", sa.Column("collection", sa.String(200), nullable=False, server_default=""))
    op.create_index("ix_documents_collection", "documents", ["collection"])
    op.create_table(
        "groups",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.UniqueConstraint("name", name="uq_groups_name"),
    )
    op.create_table(
        "group_members",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("group_id", sa.Integer(), nullable=False, index=True),
        sa.Column("user_id", sa.Integer(), nullable=False, index=True),
        sa.UniqueConstraint("group_id", "user_id", name="uq_group_members"),
    )
    op.create_table(
        "access_grants",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer(), index=True),
        sa.Column("group_id", sa.Integer(), index=True),
        sa.Column("document_id", sa.String(32)),
        sa.Column("collection", sa.String(200)),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.CheckConstraint("(user_id IS NULL) <> (group_id IS NULL)", name="ck_access_grants_subject"),
        sa.CheckConstraint("(document_id IS NULL) <> (collection IS NULL)", name="ck_access_grants_object"),
    )
    op.execute(
        "INSERT INTO access_grants (user_id, document_id, created_at) "
        "SELECT user_id, document_id, created_at FROM grants"
    )
    op.drop_table("grants")


def downgrade() -> None:
    op.create_table(
        "grants",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("user_id", sa.Integer(), nullable=False, index=True),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("created_at", UTC_DATETIME, nullable=False),
        sa.UniqueConstraint("user_id", "document_id", name="uq_grants_user_document"),
    )
    op.execute(
        "INSERT INTO grants (user_id, document_id, created_at) SELECT user_id, document_id, created_at "
        "FROM access_grants WHERE user_id IS NOT NULL AND document_id IS NOT NULL"
    )
    for table in ("access_grants", "group_members", "groups"):
        op.drop_table(table)
    op.drop_index("ix_documents_collection", table_name="documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("collection")
