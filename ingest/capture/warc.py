"""A capture as a WARC file (ISO 28500, written by `warcio`): every request and response, redirects too.

Records are those web archivists' tools read (warcio, pywb, ReplayWeb.page): a warcinfo, then a request
and a response per hop, linked by WARC-Concurrent-To. The response keeps the body as transferred
(gzip stays gzip). What must not be kept is left out: the Authorization and Cookie headers the client
sent, and the secrets `redact` removes from every URL.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ingest.capture.page import Exchange

SOFTWARE = "evidence-archive (warcio)"
_DROPPED_REQUEST = {"authorization", "cookie", "proxy-authorization"}
# The body is kept de-chunked, so the response no longer is chunked.
_DROPPED_RESPONSE = {"transfer-encoding"}


def build_warc(
    exchanges: Sequence[Exchange], requested_url: str, redact: Callable[[str], str] = lambda url: url
) -> bytes:
    """The gzipped WARC of a capture's exchanges (those of a failed one too: a 404 is evidence)."""
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record("capture.warc.gz", {
        "software": SOFTWARE,
        "format": "WARC File Format 1.1",
        "isPartOf": redact(requested_url),
    }))
    for exchange in exchanges:
        request, response = _records(writer, exchange, redact)
        writer.write_request_response_pair(request, response)
    return out.getvalue()


def _records(writer: WARCWriter, exchange: Exchange, redact: Callable[[str], str]) -> tuple:
    url = redact(exchange.url)
    date = exchange.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request_headers = [(name, redact(value) if name.lower() in ("referer", "host") else value)
                       for name, value in exchange.request_headers if name.lower() not in _DROPPED_REQUEST]
    request = writer.create_warc_record(
        url, "request", payload=io.BytesIO(b""), warc_headers_dict={"WARC-Date": date},
        http_headers=StatusAndHeaders(f"{exchange.method} {target} {exchange.http_version}",
                                      request_headers, is_http_request=True),
    )
    response_headers = [(name, redact(value) if name.lower() in ("location", "content-location") else value)
                        for name, value in exchange.response_headers
                        if name.lower() not in _DROPPED_RESPONSE]
    response = writer.create_warc_record(
        url, "response", payload=io.BytesIO(exchange.body), length=None,
        warc_headers_dict={"WARC-Date": date},
        http_headers=StatusAndHeaders(f"{exchange.status} {exchange.reason}".strip(), response_headers,
                                      protocol=exchange.http_version),
    )
    return request, response
