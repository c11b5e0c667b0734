"""JSON shapes of documents and ingest results, shared by the API and the pages."""

from __future__ import annotations

from dataclasses import asdict

from archive.domain import Document
from archive.evidence import metadata_json


def document_json(document: Document, include_text: bool = True) -> dict:
    answer = {
        **metadata_json(document),  # the record as the evidence package describes it
        "indexed": document.indexed,
        "withdrawn": document.withdrawn,
        "spans": [asdict(span) for span in document.spans],
        "permalink": f"/d/{document.id}",
        "original": f"/api/documents/{document.id}/original",
    }
    if include_text:
        answer["text"] = document.text
    return answer
