"""A media link becomes a document: the page as served is the original, the capture is its provenance.

Secrets in links (a user and password, query parameters named in `secret_params`) are used to fetch
and then removed from everything kept: the label, the metadata, the provenance and error messages.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import replace

from archive.domain import Kind, Provenance
from ingest.capture import CaptureError, capture
from ingest.capture.urls import redact_text, redact_url, redact_value
from ingest.errors import IngestError
from ingest.pipeline import Ingestor, IngestRequest, IngestResult


def capture_link(
    ingestor: Ingestor,
    url: str,
    request: IngestRequest,
    *,
    public_only: bool = False,
    secret_params: Sequence[str] = (),
) -> IngestResult:
    label = redact_url(url.strip(), secret_params) if isinstance(url, str) else url
    try:
        page = capture(url, public_only=public_only)
    except CaptureError as error:
        safe = IngestError(error.code, redact_text(str(error), secret_params))
        return ingestor.failed(label, safe, actor=request.provenance.ingested_by)
    metadata = {
        **{k: v for k, v in page.metadata.items() if v},
        "url": page.requested_url,
        "final_url": page.final_url,
        "http_status": page.status,
        "redirects": page.redirects,
        "response_headers": page.headers,
        "captured_at": page.captured_at.isoformat(),
    }
    metadata = {key: redact_value(value, secret_params) for key, value in metadata.items()}
    provenance = request.provenance
    if not provenance.source:
        provenance = Provenance(
            source=metadata["url"], ingested_by=provenance.ingested_by, note=provenance.note
        )
    link_request = replace(
        request,
        kind=request.kind or Kind.MEDIA,
        provenance=provenance,
        metadata={**metadata, **(request.metadata or {})},
    )
    return ingestor.ingest_stream(
        io.BytesIO(page.content), _file_name(metadata["final_url"]), link_request, label=label
    )


def _file_name(url: str) -> str:
    tail = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail or "index.html"
