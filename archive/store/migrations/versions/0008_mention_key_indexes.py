"""Mentions indexed by key with what regrouping reads (kind and surface; entity), so that grouping
the archive's names again reads two small indexes instead of every mention row, and sorts nothing.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_entity_mentions_key", "entity_mentions")
    op.create_index("ix_entity_mentions_key_surface", "entity_mentions", ["key", "kind", "surface"])
    op.create_index("ix_entity_mentions_key_entity", "entity_mentions", ["key", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_entity_mentions_key_entity", "entity_mentions")
    op.drop_index("ix_entity_mentions_key_surface", "entity_mentions")
    op.create_index("ix_entity_mentions_key", "entity_mentions", ["key"])
