"""Decide a file's media type from its first bytes; the name only breaks the text/Markdown tie."""

from __future__ import annotations

import re

from ingest import encoding

HEAD_SIZE = 8192

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
MARKDOWN = "text/markdown"
PLAIN = "text/plain"
BINARY = "application/octet-stream"

# (offset, magic, human description) for formats we recognise but do not extract
_MAGIC: tuple[tuple[int, bytes, str], ...] = (
    (0, b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (0, b"\xff\xd8\xff", "a JPEG image"),
    (0, b"GIF87a", "a GIF image"),
    (0, b"GIF89a", "a GIF image"),
    (0, b"II*\x00", "a TIFF image"),
    (0, b"MM\x00*", "a TIFF image"),
    (0, b"BM", "a BMP image"),
    (0, b"\x00\x00\x01\x00", "an icon image"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file (.doc/.xls/.ppt)"),
    (0, b"{\\rtf", "an RTF document"),
    (0, b"\x7fELF", "a Linux executable"),
    (0, b"MZ", "a Windows executable"),
    (0, b"\x1f\x8b", "a gzip archive"),
    (0, b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (0, b"Rar!\x1a\x07", "a RAR archive"),
    (0, b"BZh", "a bzip2 archive"),
    (0, b"\xfd7zXZ\x00", "an xz archive"),
    (0, b"SQLite format 3\x00", "an SQLite database"),
    (0, b"ID3", "an MP3 audio file"),
    (0, b"OggS", "an Ogg audio/video file"),
    (0, b"fLaC", "a FLAC audio file"),
    (0, b"\x1aE\xdf\xa3", "a Matroska/WebM video"),
    (4, b"ftyp", "an MP4/MOV video or HEIC image"),
    (0, b"%!PS", "a PostScript file"),
    (0, b"AT&TFORM", "a DjVu document"),
)
# Magic numbers that are also plausible starts of text ("BMW ...", "MZ ..."): trusted only with a NUL byte.
_WEAK_MAGIC = {b"BM", b"MZ", b"BZh", b"ID3", b"OggS", b"fLaC"}
_RIFF_KINDS = {b"WEBP": "a WebP image", b"WAVE": "a WAV audio file", b"AVI ": "an AVI video"}

_ZIP_KINDS: tuple[tuple[bytes, str], ...] = (
    (b"xl/", "an Excel spreadsheet (XLSX)"),
    (b"ppt/", "a PowerPoint presentation (PPTX)"),
    (b"mimetypeapplication/vnd.oasis.opendocument.text", "an OpenDocument text (ODT)"),
    (b"mimetypeapplication/vnd.oasis.opendocument", "an OpenDocument file"),
    (b"mimetypeapplication/epub+zip", "an EPUB e-book"),
)

_HTML_START = re.compile(
    r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_ANYWHERE = re.compile(r"<(?:html|body)\b[^>]*>", re.IGNORECASE)
_MD_SIGNALS = (
    re.compile(r"^#{1,6} \S", re.MULTILINE),  # ATX heading
    re.compile(r"\[[^\]\n]+\]\([^)\s]+\)"),  # [text](url)
    re.compile(r"^\s*```", re.MULTILINE),  # fenced code
    re.compile(r"(\*\*|__)\S[^\n]*?\S\1"),  # **bold**
    re.compile(r"^\S[^\n]*\n(?:=+|-+)[ \t]*$", re.MULTILINE),  # setext heading
    re.compile(r"^\s*(?:[-*+]|\d+\.) \S", re.MULTILINE),  # list item
    re.compile(r"^> \S", re.MULTILINE),  # block quote
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")


def describe_binary(head: bytes) -> str | None:
    """A human description of a recognised non-text format ("a PNG image"), or None."""
    if head.startswith(b"RIFF") and head[8:12] in _RIFF_KINDS:
        return _RIFF_KINDS[head[8:12]]
    if head.startswith(b"PK\x03\x04"):
        for marker, kind in _ZIP_KINDS:
            if marker in head:
                return kind
        return "a ZIP archive"
    for offset, magic, kind in _MAGIC:
        if head[offset : offset + len(magic)] == magic and (magic not in _WEAK_MAGIC or b"\x00" in head):
            return kind
    return None


def is_docx_head(head: bytes) -> bool:
    """A ZIP whose first local headers name the parts of a Word document."""
    return (
        head.startswith(b"PK\x03\x04")
        and (b"word/" in head)
        and not any(marker in head for marker, _ in _ZIP_KINDS[:2])
    )


def looks_like_markdown(text: str) -> bool:
    """Two different Markdown constructs (a heading and a link, say); one alone is common in plain text."""
    return sum(1 for pattern in _MD_SIGNALS if pattern.search(text)) >= 2


def decode_text_head(head: bytes) -> str | None:
    """The head decoded as text, or None when it is binary (NUL bytes or control characters)."""
    decoded = encoding.detect(head, final=False)
    text = decoded.text
    if not decoded.encoding.startswith(("utf-16", "utf-32")) and b"\x00" in head:
        return None
    if text and len(_CONTROL.findall(text)) > max(2, len(text) // 200):
        return None
    if text and text.count("\ufffd") > max(8, len(text) // 20):
        return None
    return text


def sniff(head: bytes, name: str = "") -> str:
    """The media type of a file from its first bytes (``HEAD_SIZE`` is enough)."""
    head = head[:HEAD_SIZE]
    if b"%PDF-" in head[:1024]:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return DOCX if is_docx_head(head) else BINARY
    if encoding.bom_encoding(head) is None and describe_binary(head):
        return BINARY
    text = decode_text_head(head)
    if text is None:
        return BINARY
    if _HTML_START.match(text) or _HTML_ANYWHERE.search(text[:2048]):
        return HTML
    lower = name.lower()
    if lower.endswith((".md", ".markdown")) or looks_like_markdown(text):
        return MARKDOWN
    return PLAIN
