"""PDF: the text layer, page by page (pypdf); pages without one are read by OCR where Tesseract is
installed (ingest/extract/ocr.py)."""

from __future__ import annotations

import logging
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

from ingest.errors import IngestError
from ingest.extract.cleanup import clean_text, first_line_title
from ingest.extract.limits import MAX_TEXT_CHARS, human_size
from ingest.extract.ocr import INSTALL_HINT, MAX_OCR_PAGES, PdfOcr, ocr_metadata, tesseract_languages
from ingest.extract.result import Extracted
from ingest.sniff import PDF

# Titles that PDF producers write for the user; they say nothing about the document.
_JUNK_TITLES = ("untitled", "microsoft word - ", "document", "doc1", "слайд 1", "презентация")
_EOF_WINDOW = 8192


def _has_eof_marker(path: Path) -> bool:
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - _EOF_WINDOW))
        return b"%%EOF" in handle.read()


def _open(path: Path) -> PdfReader:
    if not _has_eof_marker(path):
        raise IngestError(
            "corrupt_pdf", "The PDF is truncated (it has no end-of-file marker); upload it again."
        )
    try:
        reader = PdfReader(path, strict=False)
        encrypted = reader.is_encrypted
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise IngestError("corrupt_pdf", f"The PDF is damaged and cannot be read ({error}).") from error
    if encrypted:
        # many PDFs are encrypted only against editing and open without a password
        try:
            opened = reader.decrypt("")
        except DependencyError as error:
            raise IngestError(
                "encrypted_pdf", f"The PDF is encrypted with a method not supported here ({error})."
            ) from error
        except (PdfReadError, NotImplementedError) as error:
            raise IngestError(
                "encrypted_pdf", f"The PDF is encrypted and cannot be opened ({error})."
            ) from error
        if not opened:
            raise IngestError(
                "encrypted_pdf", "The PDF is protected by a password; upload a copy without the password."
            )
    return reader


def _title(reader: PdfReader, text: str) -> str | None:
    try:
        title = clean_text(str((reader.metadata or {}).get("/Title") or ""))
    except (PdfReadError, ValueError, TypeError):
        title = ""
    if (
        title
        and not title.lower().startswith(_JUNK_TITLES)
        and not title.lower().endswith((".doc", ".docx", ".pdf"))
    ):
        return title
    return first_line_title(text)


def _metadata(reader: PdfReader, pages: int) -> dict:
    metadata: dict = {"page_count": pages}
    try:
        info = reader.metadata
        if info is None:
            return metadata
        if info.author:
            metadata["author"] = clean_text(str(info.author))
        if info.creation_date:
            metadata["created"] = info.creation_date.isoformat()
        if info.producer:
            metadata["producer"] = clean_text(str(info.producer))
    except (PdfReadError, ValueError, TypeError, AttributeError):
        pass  # broken document information is not a reason to lose the text
    return metadata


def extract_pdf(path: Path) -> Extracted:
    reader = _open(path)
    try:
        pages = reader.pages
        count = len(pages)
    except (PdfReadError, PdfStreamError, FileNotDecryptedError, ValueError, KeyError, TypeError) as error:
        raise IngestError("corrupt_pdf", f"The PDF's page tree is damaged ({error}).") from error
    if count == 0:
        raise IngestError("corrupt_pdf", "The PDF is damaged: it has no pages.")
    texts: list[str] = []
    failed = size = 0
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    for page in pages:
        try:
            text = clean_text(page.extract_text() or "")
        except Exception:  # pypdf raises many kinds on one bad page; keep the other pages
            failed += 1
            text = ""
        texts.append(text)
        size += len(text)
        _check_size(size)
    if failed and failed == count:
        raise IngestError("corrupt_pdf", "The PDF is damaged: no page could be read.")
    metadata = _metadata(reader, count)
    ocr_pages = _read_scanned_pages(path, texts, size)
    if ocr_pages:
        metadata["ocr"] = ocr_metadata(ocr_pages)
    text = "\n\n".join(t for t in texts if t)
    if not text:
        raise _no_text(count, ocr_tried=bool(ocr_pages))
    if failed:
        metadata["unreadable_pages"] = failed
    return Extracted(text=text, title=_title(reader, text), media_type=PDF, metadata=metadata)


def _check_size(size: int) -> None:
    if size > MAX_TEXT_CHARS:
        raise IngestError(
            "too_large", f"The PDF holds more than {human_size(MAX_TEXT_CHARS)} of text, too much to index."
        )


def _read_scanned_pages(path: Path, texts: list[str], size: int) -> list[int]:
    """Fills in, by OCR, the pages with no text layer; returns their numbers (from 1). `size` is the
    length of the text read so far, which OCR adds to."""
    languages = tesseract_languages()
    empty = [number for number, text in enumerate(texts) if not text][:MAX_OCR_PAGES]
    if languages is None or not empty:
        return []
    ocr = PdfOcr(path, languages)
    try:
        for number in empty:
            texts[number] = clean_text(ocr.page_text(number))
            size += len(texts[number])
            _check_size(size)
    finally:
        ocr.close()
    return [number + 1 for number in empty]


def _no_text(count: int, ocr_tried: bool) -> IngestError:
    pages = f"{count} page{'s' if count != 1 else ''}"
    if ocr_tried:
        reason = f"The PDF ({pages}) has no text layer and OCR found no text in its images."
    else:
        reason = (
            f"The PDF ({pages}) has no text layer, probably scanned images, and OCR is not installed "
            f"here ({INSTALL_HINT})."
        )
    return IngestError("no_text", f"{reason} The original file is kept, but it cannot be searched.")
