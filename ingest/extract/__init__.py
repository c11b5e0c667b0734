"""Turn a file's bytes into clean text, a title and metadata; every bad input becomes an IngestError."""

from __future__ import annotations

from pathlib import Path

from ingest.errors import IngestError
from ingest.extract import limits
from ingest.extract.archives import TAR, ZIP, extract_tar, extract_zip
from ingest.extract.formats import DOC, binary_format, text_format
from ingest.extract.html import extract_html
from ingest.extract.image import extract_image, image_media_type
from ingest.extract.mail import EML, MBOX, MSG, extract_eml, extract_mbox, extract_msg
from ingest.extract.ocr import INSTALL_HINT, tesseract_languages
from ingest.extract.office import ODT, PPTX, RTF, extract_odt, extract_pptx, extract_rtf
from ingest.extract.pdf import extract_pdf
from ingest.extract.result import Extracted
from ingest.extract.sheets import CSV, ODS, XLS, XLSX, extract_calamine, extract_csv, extract_xlsx
from ingest.extract.text import extract_text
from ingest.extract.word import extract_docx
from ingest.sniff import BINARY, DOCX, HEAD_SIZE, HTML, MARKDOWN, PDF, PLAIN, describe_binary, sniff

__all__ = ["CONTAINERS", "Extracted", "IngestError", "extract", "extract_html"]

CONTAINERS = frozenset({EML, MBOX, MSG, ZIP, TAR})  # formats whose members are documents of their own

_TEXT_NAMES = (".txt", ".text", ".md", ".markdown", ".html", ".htm", ".csv")

# Formats read by one call on the file: (path, original name) -> Extracted.
_READERS = {
    ODT: lambda path, _name: extract_odt(path),
    RTF: lambda path, _name: extract_rtf(path),
    PPTX: lambda path, _name: extract_pptx(path),
    XLSX: lambda path, _name: extract_xlsx(path),
    ODS: lambda path, _name: extract_calamine(path, ODS),
    XLS: lambda path, _name: extract_calamine(path, XLS),
    CSV: lambda path, _name: extract_csv(path),
    EML: lambda path, name: extract_eml(path.read_bytes(), name),
    MBOX: extract_mbox,
    MSG: extract_msg,
    ZIP: extract_zip,
    TAR: extract_tar,
}


def _size_limit(size: int, limit: int, kind: str) -> None:
    if size > limit:
        raise IngestError(
            "too_large",
            f"The {kind} is {limits.human_size(size)}; files over {limits.human_size(limit)} are not indexed "
            "(the original is kept).",
        )


def _refuse_binary(name: str, head: bytes) -> IngestError:
    kind = describe_binary(head)
    if name.lower().endswith(_TEXT_NAMES):
        what = f"looks like {kind}" if kind else "contains binary data, not text"
        return IngestError("binary_not_text", f"The file is named {name!r} but {what}.")
    if kind and image_media_type(head):
        return IngestError(
            "unsupported_format",
            f"The file looks like {kind}; images of documents are read by OCR, which needs Tesseract "
            f"({INSTALL_HINT}).",
        )
    if kind:
        return IngestError(
            "unsupported_format", f"The file looks like {kind}, which cannot be ingested as a document."
        )
    return IngestError(
        "unsupported_format",
        "The file is not a supported document (HTML, PDF, DOCX, ODT, RTF, XLSX, XLS, ODS, CSV, PPTX, "
        "EML, MBOX, MSG, ZIP, TAR, plain text, Markdown, or a JPEG, PNG or TIFF image of a document).",
    )


def extract(
    path: Path,
    media_type: str | None = None,
    *,
    name: str | None = None,
    charset: str | None = None,
    url: str | None = None,
) -> Extracted:
    """Extract a document from a file on disk.

    ``media_type`` overrides sniffing when the caller knows it. ``name`` is the original file name when
    ``path`` is not (a blob named by its hash): it only tells Markdown from plain text and words messages.
    A captured page also brings the ``charset`` its server declared and the ``url`` it was served from.
    """
    path = Path(path)
    name = name or path.name
    size = path.stat().st_size
    if size == 0:
        raise IngestError("empty", "The file is empty (0 bytes).")
    with path.open("rb") as handle:
        head = handle.read(HEAD_SIZE)
    media_type = media_type or sniff(head, name)
    if media_type == BINARY:
        media_type = binary_format(path, head, name) or BINARY
    elif media_type == PLAIN:
        media_type = text_format(head, name) or PLAIN
    if media_type in _READERS:
        _size_limit(size, limits.MAX_OFFICE_FILE_BYTES, "file")
        return _READERS[media_type](path, name)
    if media_type == DOC:
        raise IngestError(
            "unsupported_format",
            "The file is an old Word document (.doc): no maintained library reads it; save it as DOCX or "
            "ODT and ingest that (the original is kept).",
        )
    if media_type == PDF:
        _size_limit(size, limits.MAX_PDF_FILE_BYTES, "PDF")
        return extract_pdf(path)
    if media_type == DOCX:
        _size_limit(size, limits.MAX_DOCX_FILE_BYTES, "Word document")
        return extract_docx(path)
    if media_type == HTML:
        _size_limit(size, limits.MAX_HTML_FILE_BYTES, "HTML page")
        return extract_html(path.read_bytes(), url=url, charset=charset)
    if media_type in (PLAIN, MARKDOWN):
        return extract_text(path, media_type)
    if media_type == BINARY:
        image_type = image_media_type(head)
        if image_type and (languages := tesseract_languages()) and not name.lower().endswith(_TEXT_NAMES):
            _size_limit(size, limits.MAX_IMAGE_FILE_BYTES, "image")
            return extract_image(path, image_type, languages)
        raise _refuse_binary(name, head)
    raise IngestError("unsupported_format", f"Files of type {media_type} are not supported.")
