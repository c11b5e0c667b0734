"""Validation of submitted links: absolute http(s) URLs with a well-formed host."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

import httpx

from ingest.capture.errors import CaptureError

SCHEMES = ("http", "https")
_LABEL = re.compile(r"^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):(?!\d)")  # "host:8080/..." has no scheme


def validate_url(url: str) -> httpx.URL:
    """Return the parsed URL, or raise ``CaptureError`` (``invalid_url`` / ``unsupported_scheme``)."""
    if not isinstance(url, str) or not url.strip():
        raise CaptureError("invalid_url", "empty URL", url=url if isinstance(url, str) else None)
    text = url.strip()
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in text):
        message = f"URL contains whitespace or control characters: {text!r}"
        raise CaptureError("invalid_url", message, url=text)
    scheme = _SCHEME.match(text)
    if scheme is None:
        message = f"URL has no scheme (expected http:// or https://): {text!r}"
        raise CaptureError("invalid_url", message, url=text)
    if scheme.group(1).lower() not in SCHEMES:
        raise CaptureError(
            "unsupported_scheme",
            f"only http and https links can be captured, not {scheme.group(1).lower()}: {text!r}",
            url=text,
        )
    try:
        parts = urlsplit(text)
        port = parts.port  # raises ValueError when out of range or not a number
        parsed = httpx.URL(text)
        host = parsed.raw_host.decode("ascii")
    except (ValueError, UnicodeError, httpx.InvalidURL) as exc:
        raise CaptureError("invalid_url", f"malformed URL {text!r}: {exc}", url=text) from exc
    if not parts.netloc or not host:
        raise CaptureError("invalid_url", f"URL has no host: {text!r}", url=text)
    if port == 0:
        raise CaptureError("invalid_url", f"URL has port 0: {text!r}", url=text)
    if not _valid_host(host):
        raise CaptureError("invalid_url", f"URL has a malformed host {host!r}: {text!r}", url=text)
    return parsed


def _valid_host(host: str) -> bool:
    if ":" in host:
        try:
            ipaddress.IPv6Address(host.split("%", 1)[0])
        except ValueError:
            return False
        return True
    name = host.lower().removesuffix(".")
    if not name or len(name) > 253:
        return False
    return all(_LABEL.match(label) for label in name.split("."))
