"""Decoding an HTML page's bytes to text: the one decoder of pages, uploaded or captured.

Order follows browsers: byte-order mark, then the HTTP charset, then a ``<meta>`` declaration, then a guess.
A declared charset that does not fit the bytes is skipped: servers in the region often announce UTF-8 for
windows-1251 pages and the reverse. Undeclared pages go to ``ingest.encoding.detect``, which knows
the Cyrillic code pages.
"""

from __future__ import annotations

import codecs
import re

from ingest.encoding import detect

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-zA-Z0-9_:.()-]+)""", re.IGNORECASE)
_PRESCAN_BYTES = 16 * 1024
# Labels that browsers treat as another encoding (WHATWG Encoding Standard).
_ALIASES = {"latin-1": "cp1252", "iso8859-1": "cp1252", "ascii": "cp1252", "utf-16-le": "utf-8",
            "utf-16-be": "utf-8", "utf-16": "utf-8"}
_TOLERATED_ERRORS = 1 / 1000  # share of undecodable bytes still accepted for a declared charset


def normalize_label(label: str | None) -> str | None:
    """Python codec name for a charset label, or None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return _ALIASES.get(name, name)


def meta_charset(data: bytes) -> str | None:
    """The charset declared by ``<meta charset>`` or ``http-equiv`` near the top of the document."""
    match = _META_CHARSET.search(data[:_PRESCAN_BYTES])
    return normalize_label(match.group(1).decode("ascii")) if match else None


def decode_html(data: bytes, header_charset: str | None = None) -> tuple[str, str]:
    """``(text, encoding)`` of a page; ``header_charset`` is the one its HTTP response declared."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode(data[len(bom):], encoding, "replace"), encoding
    declared = [enc for enc in (normalize_label(header_charset), meta_charset(data)) if enc]
    for encoding in dict.fromkeys(declared):
        text = _decode(data, encoding, "replace")
        if text.count("\ufffd") <= len(data) * _TOLERATED_ERRORS:
            return text, encoding
    guess = detect(data)
    return guess.text, guess.encoding


def _decode(data: bytes, encoding: str, errors: str) -> str:
    return codecs.decode(data, encoding, errors)
