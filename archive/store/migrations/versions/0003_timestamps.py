"""RFC 3161 timestamp tokens of originals and of the custody log's head, append-only.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

REFUSED = "timestamp tokens cannot be changed or deleted"
TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER timestamps_no_update BEFORE UPDATE ON timestamps
            BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
        f"""CREATE TRIGGER timestamps_no_delete BEFORE DELETE ON timestamps
            BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END""",
    ],
    "postgresql": [
        f"""CREATE FUNCTION timestamps_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{REFUSED}'; END $$""",
        """CREATE TRIGGER timestamps_no_change BEFORE UPDATE OR DELETE ON timestamps
            FOR EACH ROW EXECUTE FUNCTION timestamps_refuse()""",
        """CREATE TRIGGER timestamps_no_truncate BEFORE TRUNCATE ON timestamps
            FOR EACH STATEMENT EXECUTE FUNCTION timestamps_refuse()""",
    ],
}
DROP_TRIGGERS = {
    "sqlite": ["DROP TRIGGER timestamps_no_update", "DROP TRIGGER timestamps_no_delete"],
    "postgresql": [
        "DROP TRIGGER timestamps_no_truncate ON timestamps",
        "DROP TRIGGER timestamps_no_change ON timestamps",
        "DROP FUNCTION timestamps_refuse()",
    ],
}


def upgrade() -> None:
    op.create_table(
        "timestamps",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("subject", sa.String(16), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("document_id", sa.String(32), nullable=True),
        sa.Column("custody_seq", sa.Integer(), nullable=True),
        sa.Column("tsa_url", sa.Text(), nullable=False),
        sa.Column("gen_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("token", sa.LargeBinary(), nullable=False),
        sa.CheckConstraint("subject IN ('original', 'custody_head')", name="ck_timestamps_subject"),
    )
    op.create_index("ix_timestamps_sha256", "timestamps", ["sha256"])
    op.create_index("ix_timestamps_document_id", "timestamps", ["document_id"])
    for statement in TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)


def downgrade() -> None:
    for statement in DROP_TRIGGERS.get(op.get_bind().dialect.name, []):
        op.execute(statement)
    op.drop_table("timestamps")
