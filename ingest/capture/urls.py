"""Submitted links: validation (absolute http(s) URLs with a well-formed host) and redaction of the
secrets they may carry (a user and password, tokens in the query) before anything is kept or shown."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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


_URL_IN_TEXT = re.compile(r"""https?://[^\s'"<>]+""", re.IGNORECASE)
REDACTED = "REDACTED"


def redact_url(url: str, secret_params: Iterable[str] = ()) -> str:
    """The URL without user and password, and with the values of secret query parameters replaced.

    The parameter stays (with the value REDACTED) so a reader sees that the link carried a secret;
    names are compared without regard to case. Anything unparsable is returned with only its
    userinfo cut, so a malformed URL cannot smuggle a password through.
    """
    secret = {name.lower() for name in secret_params}
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r"//[^/@\s]*@", "//", url)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    query = parts.query
    if query and secret:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(name.lower() in secret for name, _ in pairs):
            query = urlencode([(n, REDACTED if n.lower() in secret else v) for n, v in pairs], safe="/:")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_text(text: str, secret_params: Iterable[str] = ()) -> str:
    """Every URL in a message (an error, a log line) redacted."""
    params = tuple(secret_params)
    return _URL_IN_TEXT.sub(lambda match: redact_url(match.group(0), params), text)


def redact_value(value: object, secret_params: Iterable[str] = ()) -> object:
    """URLs redacted inside metadata values: strings, lists and dicts of them."""
    params = tuple(secret_params)
    if isinstance(value, str):
        return redact_text(value, params)
    if isinstance(value, list):
        return [redact_value(item, params) for item in value]
    if isinstance(value, dict):
        return {key: redact_value(item, params) for key, item in value.items()}
    return value
