"""A media link becomes a document: the page as served is the original, the capture is its provenance."""

from __future__ import annotations

import io
from dataclasses import replace

from archive.domain import Kind, Provenance
from ingest.capture import CaptureError, capture
from ingest.pipeline import Ingestor, IngestRequest, IngestResult


def capture_link(
    ingestor: Ingestor, url: str, request: IngestRequest, *, public_only: bool = False
) -> IngestResult:
    try:
        page = capture(url, public_only=public_only)
    except CaptureError as error:
        return ingestor.failed(url, error)
    metadata = {
        **{k: v for k, v in page.metadata.items() if v},
        "url": page.requested_url,
        "final_url": page.final_url,
        "http_status": page.status,
        "redirects": page.redirects,
        "response_headers": page.headers,
        "captured_at": page.captured_at.isoformat(),
    }
    provenance = request.provenance
    if not provenance.source:
        provenance = Provenance(
            source=page.requested_url, ingested_by=provenance.ingested_by, note=provenance.note
        )
    link_request = replace(
        request,
        kind=request.kind or Kind.MEDIA,
        provenance=provenance,
        metadata={**metadata, **(request.metadata or {})},
    )
    return ingestor.ingest_stream(
        io.BytesIO(page.content), _file_name(page.final_url), link_request, label=url
    )


def _file_name(url: str) -> str:
    tail = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail or "index.html"
