"""Fetching a link over HTTP(S) with limits on size, time and redirects."""

from __future__ import annotations

import socket
import ssl
import time
import zlib
from datetime import UTC, datetime

import httpx

from ingest.capture.addresses import check_host, check_peer
from ingest.capture.errors import CaptureError
from ingest.capture.mediatype import parse_content_type, resolve_media_type
from ingest.capture.page import CapturedPage, Exchange
from ingest.capture.urls import validate_url

DEFAULT_USER_AGENT = "Mozilla/5.0 (compatible; evidence-archive-capture/0.1)"
KEPT_HEADERS = ("content-type", "content-language", "content-disposition", "last-modified", "etag",
                "server", "date")
_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,application/pdf;q=0.9,*/*;q=0.8"
# Only codings undone here, so that the bytes as transferred (kept in the WARC) and the decoded body
# (the snapshot) are both known.
_ACCEPT_ENCODING = "gzip, deflate"
REDIRECT_BODY_MAX = 64 * 1024


def capture(
    url: str,
    *,
    timeout: float = 20.0,
    max_bytes: int = 50 * 1024 * 1024,
    max_redirects: int = 10,
    user_agent: str = DEFAULT_USER_AGENT,
    public_only: bool = False,
) -> CapturedPage:
    """Fetch ``url`` and return its snapshot; raise ``CaptureError`` on any failure.

    ``timeout`` bounds the whole capture (every redirect hop, connecting and reading the body), checked
    between network operations, so it can be overrun by at most one stalled operation (itself bounded by the
    time left). Name resolution uses the system resolver and is not bounded. With ``public_only``,
    hosts at private or local addresses are refused (see ``ingest.capture.addresses``).
    """
    if timeout <= 0 or max_bytes <= 0 or max_redirects < 0:
        raise ValueError("timeout and max_bytes must be positive, max_redirects non-negative")
    requested = url.strip() if isinstance(url, str) else url
    current = validate_url(url)
    deadline = time.monotonic() + timeout
    redirects: list[str] = []
    exchanges: list[Exchange] = []
    headers = {"User-Agent": user_agent, "Accept": _ACCEPT, "Accept-Encoding": _ACCEPT_ENCODING}
    try:
        with httpx.Client(headers=headers, follow_redirects=False) as client:
            while True:
                request_timeout = httpx.Timeout(_remaining(deadline, timeout, current))
                if public_only:
                    check_host(current)
                with client.stream("GET", current, timeout=request_timeout) as response:
                    if public_only:
                        check_peer(response)
                    at = datetime.now(UTC)
                    if response.status_code in (301, 302, 303, 307, 308):
                        exchanges.append(_exchange(response, _read_small(response), at))
                        current = _next_hop(response, redirects, max_redirects)
                        continue
                    captured_at = at
                    try:
                        _check_status(response)
                    except CaptureError as error:  # the error page is kept as evidence of the failure
                        error.exchanges = [*exchanges, _exchange(response, _read_small(response), at)]
                        raise
                    raw, content = _read_body(response, max_bytes, deadline, timeout)
                    exchanges.append(_exchange(response, raw, at))
                    break
    except httpx.TimeoutException as exc:
        message = f"timed out after {timeout:g} s fetching {current}"
        raise CaptureError("timeout", message, url=str(current)) from exc
    except httpx.HTTPError as exc:
        raise _network_error(exc, current) from exc

    declared, charset = parse_content_type(response.headers.get("content-type"))
    media_type = resolve_media_type(declared, content)
    return CapturedPage(
        requested_url=requested,
        final_url=str(response.url),
        status=response.status_code,
        content=content,
        media_type=media_type,
        headers={name: response.headers[name] for name in KEPT_HEADERS if name in response.headers},
        captured_at=captured_at,
        redirects=redirects,
        charset=charset,
        exchanges=exchanges,
    )


def _exchange(response: httpx.Response, body: bytes, at: datetime) -> Exchange:
    request = response.request
    return Exchange(
        url=str(request.url),
        method=request.method,
        request_headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in request.headers.raw],
        http_version=response.http_version,
        status=response.status_code,
        reason=response.reason_phrase or "",
        response_headers=[(k.decode("latin-1"), v.decode("latin-1")) for k, v in response.headers.raw],
        body=body,
        at=at,
    )


def _read_small(response: httpx.Response) -> bytes:
    """A redirect's body, kept for the WARC up to a small limit."""
    chunks, size = [], 0
    for chunk in response.iter_raw():
        chunks.append(chunk)
        size += len(chunk)
        if size >= REDIRECT_BODY_MAX:
            break
    return b"".join(chunks)[:REDIRECT_BODY_MAX]


def _remaining(deadline: float, timeout: float, url: httpx.URL) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise CaptureError("timeout", f"timed out after {timeout:g} s fetching {url}", url=str(url))
    return left


def _next_hop(response: httpx.Response, redirects: list[str], max_redirects: int) -> httpx.URL:
    here = str(response.url)
    location = response.headers.get("location", "").strip()
    if not location:
        message = f"HTTP {response.status_code} redirect without a Location from {here}"
        raise CaptureError("http_status", message, url=here, status=response.status_code)
    redirects.append(here)
    try:
        target = response.url.join(location)
    except httpx.InvalidURL as exc:
        message = f"{here} redirects to a malformed URL {location!r}"
        raise CaptureError("invalid_url", message, url=here) from exc
    if len(redirects) > max_redirects:
        loop = " (a redirect loop)" if str(target) in redirects else ""
        raise CaptureError("too_many_redirects", f"more than {max_redirects} redirects{loop} starting at "
                           f"{redirects[0]}", url=redirects[0])
    return validate_url(str(target))


def _check_status(response: httpx.Response) -> None:
    status = response.status_code
    if status >= 400 or status < 200:
        reason = response.reason_phrase or ""
        raise CaptureError("http_status", f"HTTP {status} {reason}".rstrip() + f" from {response.url}",
                           url=str(response.url), status=status)


def _read_body(
    response: httpx.Response, max_bytes: int, deadline: float, timeout: float
) -> tuple[bytes, bytes]:
    """(the body as transferred, the body with its content-coding undone), both within `max_bytes`."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(response, max_bytes, f"declares {int(declared)} bytes")
    decoder = _Decoder(response)
    raw: list[bytes] = []
    decoded: list[bytes] = []
    raw_size = size = 0
    for chunk in response.iter_raw():
        raw_size += len(chunk)
        piece = decoder.decode(chunk, max_bytes - size + 1)
        size += len(piece)
        if raw_size > max_bytes or size > max_bytes:
            raise _too_large(response, max_bytes, "sent more")
        raw.append(chunk)
        decoded.append(piece)
        _remaining(deadline, timeout, response.url)
    decoded.append(decoder.flush())
    return b"".join(raw), b"".join(decoded)


class _Decoder:
    """gzip and deflate undone chunk by chunk, never producing more than asked (no decompression bomb)."""

    def __init__(self, response: httpx.Response):
        coding = response.headers.get("content-encoding", "").strip().lower()
        self.url = response.url
        if coding in ("gzip", "x-gzip"):
            self._zlib: zlib._Decompress | None = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif coding == "deflate":
            self._zlib = zlib.decompressobj()
        elif coding in ("", "identity"):
            self._zlib = None
        else:
            raise CaptureError("connection", f"unsupported content coding {coding!r} from {self.url}",
                               url=str(self.url))
        self._first = coding == "deflate"

    def decode(self, chunk: bytes, limit: int) -> bytes:
        if self._zlib is None:
            return chunk
        try:
            return self._zlib.decompress(self._zlib.unconsumed_tail + chunk, max(limit, 1))
        except zlib.error as exc:
            if self._first:  # "deflate" sent as a raw stream without the zlib header
                self._first, self._zlib = False, zlib.decompressobj(-zlib.MAX_WBITS)
                return self.decode(chunk, limit)
            raise CaptureError("connection", f"undecodable response body from {self.url}: {exc}",
                               url=str(self.url)) from exc
        finally:
            self._first = False

    def flush(self) -> bytes:
        return self._zlib.flush() if self._zlib is not None else b""


def _too_large(response: httpx.Response, max_bytes: int, detail: str) -> CaptureError:
    return CaptureError("too_large", f"{response.url} {detail}; the limit is {max_bytes} bytes",
                        url=str(response.url))


def _network_error(exc: httpx.HTTPError, url: httpx.URL) -> CaptureError:
    causes = _causes(exc)
    if isinstance(exc, httpx.ConnectError) and any(isinstance(c, socket.gaierror) for c in causes):
        return CaptureError("dns", f"cannot resolve host {url.host!r}: {exc}", url=str(url))
    if any(isinstance(c, ssl.SSLError) for c in causes):
        return CaptureError("connection", f"TLS failure connecting to {url.host!r}: {exc}", url=str(url))
    if isinstance(exc, httpx.ConnectError):
        return CaptureError("connection", f"cannot connect to {url.host!r}: {exc}", url=str(url))
    if isinstance(exc, httpx.DecodingError):
        return CaptureError("connection", f"undecodable response body from {url}: {exc}", url=str(url))
    return CaptureError("connection", f"connection failed fetching {url}: {exc}", url=str(url))


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen
