"""Elasticsearch down at ingest: every document is still stored, marked pending, and caught up later."""

from __future__ import annotations

import uuid

import pytest

from archive.service import Archive
from archive.settings import load_settings
from ingest.pipeline import IngestRequest
from tests.corpus import DOCUMENTS, write_corpus
from tests.es_fixture import drop_test_indices
from tests.http_fixture import closed_port

pytestmark = pytest.mark.elasticsearch


def test_documents_ingested_while_the_node_is_down_are_indexed_by_reindex_pending(tmp_path, es_url):
    home = tmp_path / "home"
    down = load_settings(
        home=home,
        backend="elasticsearch",
        elasticsearch_url=f"http://127.0.0.1:{closed_port()}",
        elasticsearch_index=f"test-pending-{uuid.uuid4().hex[:8]}",
    )
    archive = Archive(down)
    results = list(
        archive.ingest_paths([write_corpus(tmp_path / "docs")["en-mamay"].parent], IngestRequest())
    )
    assert [r.status for r in results] == ["created"] * len(DOCUMENTS)
    assert archive.store.pending_count() == len(DOCUMENTS)
    assert archive.verify().ok
    archive.close()

    up = Archive(down.with_overrides(elasticsearch_url=es_url))
    try:
        assert up.reindex(pending_only=True) == len(DOCUMENTS)
        assert up.store.pending_count() == 0
        found = {hit.id for hit in up.search("Мамаю").hits}
        assert {r.id for r in results if "mamay" in r.file} <= found
    finally:
        drop_test_indices(up.settings)
        up.close()
