"""JSON shapes of documents and ingest results, shared by the API and the pages."""

from __future__ import annotations

from dataclasses import asdict

from archive.domain import Document


def document_json(document: Document, include_text: bool = True) -> dict:
    answer = {
        "id": document.id,
        "kind": str(document.kind),
        "title": document.title,
        "language": document.language,
        "sha256": document.sha256,
        "size": document.size,
        "media_type": document.media_type,
        "original_name": document.original_name,
        "ingested_at": document.ingested_at.isoformat(),
        "provenance": asdict(document.provenance),
        "metadata": document.metadata,
        "access": str(document.access),
        "indexed": document.indexed,
        "withdrawn": document.withdrawn,
        "spans": [asdict(span) for span in document.spans],
        "permalink": f"/d/{document.id}",
        "original": f"/api/documents/{document.id}/original",
    }
    if include_text:
        answer["text"] = document.text
    return answer
