"""One index of mentions by key in place of two: kind, surface and entity behind the key serve both
what regrouping reads (key, kind and surface counted; each key's entities) and the update of a key's
entity. Every index led by the key takes each new mention at a random place, the costliest part of
ingest's writer (0.6–0.8 ms a document of some 80 names for each such index).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_entity_mentions_key_entity", "entity_mentions")
    op.drop_index("ix_entity_mentions_key_surface", "entity_mentions")
    op.create_index("ix_entity_mentions_key", "entity_mentions", ["key", "kind", "surface", "entity_id"])


def downgrade() -> None:
    op.drop_index("ix_entity_mentions_key", "entity_mentions")
    op.create_index("ix_entity_mentions_key_surface", "entity_mentions", ["key", "kind", "surface"])
    op.create_index("ix_entity_mentions_key_entity", "entity_mentions", ["key", "entity_id"])
