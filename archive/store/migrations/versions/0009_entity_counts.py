"""Indexes that let entities' document counts be read from indexes alone: a name search counts, for
each candidate entity, the documents the reader may see among those mentioning it, which read every
such mention's document id and every such document's access, withdrawal and collection from the
tables themselves (a document's row holds its whole text before those columns).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_entity_mentions_entity_id", "entity_mentions")
    op.create_index("ix_entity_mentions_entity_document", "entity_mentions", ["entity_id", "document_id"])
    op.create_index("ix_documents_visibility", "documents", ["id", "access", "withdrawn", "collection"])


def downgrade() -> None:
    op.drop_index("ix_documents_visibility", "documents")
    op.drop_index("ix_entity_mentions_entity_document", "entity_mentions")
    op.create_index("ix_entity_mentions_entity_id", "entity_mentions", ["entity_id"])
