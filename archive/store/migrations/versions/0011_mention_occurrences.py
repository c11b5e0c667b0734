"""A mention row for each way a name is written in a document, with how often it occurs there, in
place of a row for every occurrence: a report names the same people again and again (1.9 rows for
each distinct one in the sample report, 2.4 in the benchmark's corpus), and each row costs ingest's
writer an entry in three indexes. No reader needs where the later occurrences are.

Rows stored before are folded together here, keeping the first occurrence's place.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_WRITTEN = 'document_id, surface, "key", kind, "language", entity_id'


def upgrade() -> None:
    occurrences = sa.Column("occurrences", sa.Integer(), nullable=False, server_default="1")
    op.add_column("entity_mentions", occurrences)
    last = op.get_bind().execute(sa.text("SELECT max(id) FROM entity_mentions")).scalar()
    if last is None:
        return
    op.execute(sa.text(
        f'INSERT INTO entity_mentions (start, "end", occurrences, {_WRITTEN}) '
        f'SELECT min(start), min("end"), count(*), {_WRITTEN} FROM entity_mentions '
        f"WHERE id <= :last GROUP BY {_WRITTEN}").bindparams(last=last))
    op.execute(sa.text("DELETE FROM entity_mentions WHERE id <= :last").bindparams(last=last))


def downgrade() -> None:
    # The older schema has a row for every occurrence, which the folded rows no longer tell: the
    # mentions are found again (`archive reindex` scans the documents that have none).
    op.execute(sa.text("DELETE FROM entity_mentions"))
    op.execute(sa.text("DELETE FROM mention_scans"))
    with op.batch_alter_table("entity_mentions") as batch:
        batch.drop_column("occurrences")
