"""Elasticsearch down at ingest: every document is still stored, marked pending, and caught up later."""

from __future__ import annotations

import time
import uuid

import pytest

from archive.pipeline import IngestRequest
from archive.service import Archive
from archive.settings import load_settings
from tests.clients import client as client_for
from tests.corpus import DOCUMENTS, write_corpus
from tests.es_fixture import drop_test_indices
from tests.es_proxy import FaultyProxy
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
        waiting = up.search("Мамаю")  # the index answers, but holds none of them yet: search says so
        assert waiting.total == 0 and waiting.as_json()["pending"] == len(DOCUMENTS)
        assert up.reindex(pending_only=True) == len(DOCUMENTS)
        assert up.store.pending_count() == 0
        after = up.search("Мамаю")
        assert {r.id for r in results if "mamay" in r.file} <= {hit.id for hit in after.hits}
        assert after.pending == 0
    finally:
        drop_test_indices(up.settings)
        up.close()


def test_the_server_catches_up_by_itself_when_the_node_comes_back(tmp_path, es_url):
    port = closed_port()
    settings = load_settings(
        home=tmp_path / "home",
        backend="elasticsearch",
        elasticsearch_url=f"http://127.0.0.1:{port}",
        elasticsearch_index=f"test-catch-up-{uuid.uuid4().hex[:8]}",
        index_retry_seconds=0.2,
    )
    try:
        with client_for(settings) as client:
            text = b"The court in Oral fined Aigerim Tleuzhan for a picket."
            files = {"file": ("oral.txt", text, "text/plain")}
            created = client.post("/api/documents", files=files)
            assert created.status_code == 201
            doc_id = created.json()["id"]
            assert client.get(f"/api/documents/{doc_id}").json()["indexed"] is False
            with FaultyProxy(es_url, fault=503, times=0, port=port):  # the node is back, on the same address
                deadline = time.monotonic() + 60
                while client.get(f"/api/documents/{doc_id}").json()["indexed"] is False:
                    assert time.monotonic() < deadline, "the pending document was never indexed"
                    time.sleep(0.2)
                hits = client.get("/api/search", params={"q": "Тлеужан"}).json()["hits"]
                assert [hit["id"] for hit in hits] == [doc_id]
    finally:
        drop_test_indices(settings.with_overrides(elasticsearch_url=es_url))
