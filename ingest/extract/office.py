"""Office documents other than DOCX: OpenDocument text (odfpy), RTF (striprtf), PowerPoint (python-pptx)."""

from __future__ import annotations

from pathlib import Path

from ingest import encoding
from ingest.errors import IngestError
from ingest.extract.cleanup import clean_text, first_line_title, join_paragraphs
from ingest.extract.result import Extracted

ODT = "application/vnd.oasis.opendocument.text"
RTF = "application/rtf"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def extract_odt(path: Path) -> Extracted:
    from odf import teletype, text
    from odf.opendocument import load

    try:
        document = load(str(path))
    except Exception as error:  # odfpy raises what the zip or XML parser raised
        raise IngestError("corrupt_odf", f"The file is a damaged OpenDocument file ({error}).") from error
    parts = [teletype.extractText(node) for node in document.text.getElementsByType(text.P)]
    headings = [teletype.extractText(node) for node in document.text.getElementsByType(text.H)]
    body = join_paragraphs(headings + parts) if headings else join_paragraphs(parts)
    title = _odf_title(document) or (headings[0].strip() if headings else None)
    return _result(body, title, ODT)


def _odf_title(document: object) -> str | None:
    from odf import dc, teletype

    for node in document.meta.getElementsByType(dc.Title):  # type: ignore[attr-defined]
        if value := teletype.extractText(node).strip():
            return value
    return None


def extract_rtf(path: Path) -> Extracted:
    from striprtf.striprtf import rtf_to_text

    raw = encoding.detect(path.read_bytes()).text
    try:
        body = clean_text(rtf_to_text(raw, errors="replace"))
    except Exception as error:
        raise IngestError("corrupt_rtf", f"The RTF document cannot be read ({error}).") from error
    return _result(body, None, RTF)


def extract_pptx(path: Path) -> Extracted:
    from pptx import Presentation

    try:
        presentation = Presentation(str(path))
    except Exception as error:
        raise IngestError("corrupt_pptx", f"The file is a damaged PowerPoint file ({error}).") from error
    slides = []
    for number, slide in enumerate(presentation.slides, start=1):
        texts = [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        slides.append("\n".join([f"Slide {number}", *texts]))
    title = presentation.core_properties.title or None
    return _result(join_paragraphs(slides), title, PPTX, {"slide_count": len(slides)})


def _result(body: str, title: str | None, media_type: str, metadata: dict | None = None) -> Extracted:
    if not body:
        raise IngestError("no_text", "The document contains no text.")
    return Extracted(
        text=body, title=title or first_line_title(body), media_type=media_type, metadata=metadata or {}
    )
