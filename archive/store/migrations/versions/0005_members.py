"""Members of containers: the files of a ZIP or TAR and the attachments of an e-mail, each a document
linked to the container it came from with its path inside it.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("container_id", sa.String(32), nullable=False, index=True),
        sa.Column("member_id", sa.String(32), nullable=False, index=True),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("container_id", "path", name="uq_members_container_path"),
    )


def downgrade() -> None:
    op.drop_table("members")
