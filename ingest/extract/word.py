"""DOCX: paragraphs and tables in document order (python-docx), after a zip-bomb check."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.errors import IngestError
from ingest.extract import limits
from ingest.extract.cleanup import clean_text
from ingest.extract.result import Extracted
from ingest.sniff import DOCX, HEAD_SIZE, describe_binary


def check_zip(path: Path) -> list[str]:
    """Refuse a ZIP whose directory promises more than we are willing to inflate; return its entry names.

    Only the central directory is read. Its sizes cannot lie to us later: zipfile stops at the declared
    size and checks the CRC, so a part that inflates to more than it declares fails instead.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise IngestError("corrupt_docx", f"The file is a damaged ZIP/DOCX archive ({error}).") from error
    if len(entries) > limits.MAX_ZIP_ENTRIES:
        raise IngestError(
            "zip_bomb", f"The archive has {len(entries)} entries; a Word document never has so many."
        )
    total = sum(entry.file_size for entry in entries)
    xml = sum(entry.file_size for entry in entries if entry.filename.endswith((".xml", ".rels")))
    if total > limits.MAX_ZIP_TOTAL_BYTES or xml > limits.MAX_ZIP_XML_BYTES:
        raise IngestError(
            "zip_bomb",
            f"The document would inflate to {limits.human_size(total)} ({limits.human_size(xml)} of XML); "
            "it is refused as a possible zip bomb.",
        )
    for entry in entries:
        ratio = entry.file_size / max(1, entry.compress_size)
        if entry.file_size > limits.MIN_RATIO_CHECK_BYTES and ratio > limits.MAX_ZIP_RATIO:
            raise IngestError(
                "zip_bomb",
                f"The part {entry.filename} is compressed {ratio:.0f} to 1: refused as a possible zip bomb.",
            )
    return [entry.filename for entry in entries]


def _not_word(path: Path, names: list[str]) -> IngestError:
    with path.open("rb") as handle:
        kind = describe_binary(handle.read(HEAD_SIZE)) or "a ZIP archive"
    if kind == "a ZIP archive" and any(name.startswith(("xl/", "ppt/")) for name in names):
        kind = "an Excel or PowerPoint file"
    return IngestError("unsupported_format", f"The file is {kind}, not a Word document (DOCX).")


def _table_rows(table: Table) -> list[str]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is repeated across the columns it spans
                continue
            seen.add(id(cell._tc))
            text = clean_text(cell.text).replace("\n", " ")
            if text:
                cells.append(text)
        if cells:
            rows.append(" | ".join(cells))
    return rows


def _blocks(document: docx.document.Document) -> list[tuple[str, str]]:
    """(style name, text) for each paragraph and table row, in document order."""
    blocks = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph = Paragraph(child, document)
            style = paragraph.style.name if paragraph.style is not None else ""
            blocks.append((style or "", paragraph.text))
        elif child.tag == qn("w:tbl"):
            blocks.extend(("table", row) for row in _table_rows(Table(child, document)))
    return blocks


def extract_docx(path: Path) -> Extracted:
    names = check_zip(path)
    if "word/document.xml" not in names:
        raise _not_word(path, names)
    try:
        document = docx.Document(str(path))
        blocks = _blocks(document)
    except Exception as error:  # python-docx and lxml raise many kinds on a broken part
        raise IngestError(
            "corrupt_docx", f"The Word document is damaged and cannot be read ({error})."
        ) from error
    parts, size = [], 0
    for _, text in blocks:
        text = clean_text(text)
        if text:
            parts.append(text)
            size += len(text)
    if size > limits.MAX_TEXT_CHARS:
        raise IngestError("too_large", "The Word document holds too much text to index.")
    text = "\n\n".join(parts)
    if not text:
        raise IngestError("no_text", "The Word document has no text.")
    props = document.core_properties
    heading = next(
        (clean_text(t) for style, t in blocks if style.startswith(("Heading", "Title")) and clean_text(t)),
        None,
    )
    metadata: dict = {}
    if props.author:
        metadata["author"] = props.author
    if props.created:
        metadata["created"] = props.created.isoformat()
    if props.modified:
        metadata["modified"] = props.modified.isoformat()
    if props.language:
        metadata["declared_language"] = props.language
    title = clean_text(props.title or "") or heading
    return Extracted(text=text, title=title or None, media_type=DOCX, metadata=metadata)
