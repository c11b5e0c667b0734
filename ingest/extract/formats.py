"""Which extractor takes a file that the first sniff (`ingest.sniff`) calls binary, or plain text that
is really an e-mail, a mailbox or a CSV table: ZIP-based office files by their parts, OLE files by
their streams, TAR by its header."""

from __future__ import annotations

import re
import tarfile
import zipfile
from pathlib import Path

from ingest.extract.archives import TAR, ZIP
from ingest.extract.mail import EML, MBOX, MSG
from ingest.extract.office import ODT, PPTX, RTF
from ingest.extract.sheets import CSV, ODS, XLS, XLSX
from ingest.sniff import DOCX

DOC = "application/msword"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAIL_HEADER = re.compile(
    rb"^(?:Return-Path|Received|From|To|Subject|Date|Message-ID|MIME-Version|Delivered-To|X-[\w-]+):",
    re.IGNORECASE,
)
_ODF = {
    b"application/vnd.oasis.opendocument.text": ODT,
    b"application/vnd.oasis.opendocument.spreadsheet": ODS,
}


def binary_format(path: Path, head: bytes, name: str) -> str | None:
    """The media type of a binary file we can read, or None (`name` is the file's original name)."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_format(path)
    if head.startswith(_OLE):
        return _ole_format(path, name)
    if head.startswith(b"{\\rtf"):
        return RTF
    if head[257:262] == b"ustar" or (head.startswith((b"\x1f\x8b", b"BZh", b"\xfd7zXZ")) and _is_tar(path)):
        return TAR
    return None


def text_format(head: bytes, name: str) -> str | None:
    """An e-mail, a mailbox or a CSV table among files that decode as text."""
    lower = name.lower()
    first = head.lstrip()[:200]
    if head.startswith(b"From ") and (lower.endswith(".mbox") or b"\nFrom:" in head or b"\nfrom:" in head):
        return MBOX
    if lower.endswith(".eml") or (_MAIL_HEADER.match(first) and b"\n\n" in head.replace(b"\r\n", b"\n")):
        return EML
    if lower.endswith((".csv", ".tsv")):
        return CSV
    return None


def _zip_format(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and (kind := _ODF.get(archive.read("mimetype").strip())):
                return kind
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return ZIP  # the ZIP extractor says what is wrong with it
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    if "ppt/presentation.xml" in names:
        return PPTX
    return ZIP


def _ole_format(path: Path, name: str) -> str | None:
    """An OLE file by its streams. One named `.msg` whose streams say nothing else, or that olefile
    cannot open, goes to the MSG reader, which tells why it is not a readable message."""
    import olefile

    named_msg = MSG if name.lower().endswith(".msg") else None
    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except OSError:
        return named_msg
    if any(stream.startswith("__substg1.0_") for stream in streams):
        return MSG
    if {"Workbook", "Book"} & streams:
        return XLS
    if "WordDocument" in streams:
        return DOC
    return named_msg


def _is_tar(path: Path) -> bool:
    try:
        return tarfile.is_tarfile(path)
    except (OSError, EOFError, tarfile.TarError):
        return False
