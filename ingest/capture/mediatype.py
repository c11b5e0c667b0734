"""The media type of a response: the declared Content-Type, checked against the bytes."""

from __future__ import annotations

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Declarations that say nothing about the content; the bytes decide.
_GENERIC = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/unknown",
                      "unknown/unknown", "application/x-download", "application/force-download",
                      "application/download"})
# Declarations that servers put on everything by default; a binary signature overrides them.
_DEFAULTS = frozenset({"text/html", "text/plain"})
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"PK\x03\x04", "application/zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
)
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<title", b"<meta", b"<!--", b"<script",
                b"<div", b"<p>", b"<p ")


def parse_content_type(value: str | None) -> tuple[str, str | None]:
    """``("text/html", "windows-1251")`` from ``"text/html; charset=windows-1251"``."""
    if not value:
        return "", None
    mime, *params = value.split(";")
    charset = None
    for param in params:
        key, _, val = param.partition("=")
        if key.strip().lower() == "charset":
            charset = val.strip().strip("\"'") or None
    return mime.strip().lower(), charset


def sniff(data: bytes) -> str:
    """A media type guessed from the first bytes of a document."""
    head = data[:1024]
    binary = _binary_signature(head)
    if binary:
        return binary
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith(_HTML_STARTS):
        return "text/html"
    if text.startswith(b"<?xml"):
        return "application/xhtml+xml" if b"<html" in text else "application/xml"
    if text.startswith(b"{") or text.startswith(b"["):
        return "application/json" if _is_text(head) else "application/octet-stream"
    return "text/plain" if head and _is_text(head) else "application/octet-stream"


def resolve_media_type(declared: str, data: bytes) -> str:
    """Keep a specific declaration; sniff when it is missing or generic, or when a default hides a binary."""
    if declared in _GENERIC:
        return sniff(data)
    if declared in _DEFAULTS:
        return _binary_signature(data[:16]) or declared
    return declared


def _binary_signature(head: bytes) -> str | None:
    for signature, mime in _SIGNATURES:
        if head.startswith(signature):
            return mime
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # a prefix may end mid-character; anything earlier is a real failure (or a legacy 8-bit encoding)
        return exc.start >= len(head) - 3 or not any(b < 0x09 for b in head)
    return True
