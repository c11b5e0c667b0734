"""The permalink page `/d/{id}`: everything needed to cite and verify one archived document."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from archive.domain import LANGUAGES, Document, Kind
from search_api.auth import Reader
from search_api.deps import ArchiveDep
from web.render import render, utc_iso

router = APIRouter(include_in_schema=False)

RULING_FIELDS = ("court", "case_number", "decision_date", "articles", "judge")
MEDIA_FIELDS = ("url", "publisher", "published_date", "captured_at", "final_url", "http_status")
LINK_FIELDS = {"url", "final_url"}
DATE_FIELDS = {"captured_at"}
WEB_SCHEMES = ("http://", "https://")


@dataclass(frozen=True)
class Paragraph:
    text: str
    language: str | None  # a BCP 47 tag for the `lang` attribute, None when not known


def html_lang(language: str) -> str | None:
    return language if language in LANGUAGES else None


def paragraphs(document: Document) -> list[Paragraph]:
    """The text cut at the detected language spans, each piece tagged with its language; text
    outside any span (or a document without spans) takes the document's language."""
    text, default = document.text, html_lang(document.language)
    pieces: list[Paragraph] = []
    position = 0
    for span in sorted(document.spans, key=lambda s: s.start):
        if span.start > position:
            pieces.append(Paragraph(text[position:span.start], default))
        pieces.append(Paragraph(text[max(span.start, position):span.end], html_lang(span.language)))
        position = max(position, span.end)
    pieces.append(Paragraph(text[position:], default))
    found: list[Paragraph] = []
    for piece in pieces:
        found.extend(Paragraph(block.strip(), piece.language)
                     for block in piece.text.split("\n\n") if block.strip())
    return found


def span_summary(document: Document) -> list[tuple[str, int]]:
    """How many paragraphs are in each language, most first."""
    return Counter(span.language for span in document.spans).most_common()


@dataclass(frozen=True)
class Row:
    name: str
    value: str
    link: bool  # shown as a link: only web addresses, never `javascript:` or the like


def metadata_rows(document: Document) -> list[Row]:
    """Kind-specific metadata worth showing, in a fixed order, skipping what is not known."""
    fields = {Kind.RULING: RULING_FIELDS, Kind.MEDIA: MEDIA_FIELDS}.get(document.kind, ())
    rows = []
    for name in fields:
        value = document.metadata.get(name)
        if value in (None, "", []):
            continue
        if name in DATE_FIELDS:
            shown = utc_iso(str(value))
        elif isinstance(value, list):
            shown = ", ".join(str(v) for v in value)
        else:
            shown = str(value)
        rows.append(Row(name, shown, name in LINK_FIELDS and shown.lower().startswith(WEB_SCHEMES)))
    return rows


@router.get("/d/{document_id}", response_class=HTMLResponse)
def permalink(document_id: str, request: Request, archive: ArchiveDep, viewer: Reader) -> HTMLResponse:
    document = archive.document(document_id, viewer)
    if document is None:
        return render(request, "error.html", {"status": 404, "detail": None, "missing_id": document_id}, 404)
    cited = archive.citation(document)  # the permalink from ARCHIVE_PUBLIC_URL, never the Host header
    captures = archive.captures(document, viewer)
    state = archive.original_state(document)
    own_shots = [c for c in captures if c.get("screenshot_sha256") and c["document_id"] == document.id]
    return render(request, "document.html", {
        "document": document,
        "doc_lang": html_lang(document.language),
        "paragraphs": paragraphs(document),
        "spans": span_summary(document),
        "metadata": metadata_rows(document),
        "ocr": document.metadata.get("ocr"),
        "permalink_url": cited.permalink,
        "cited": cited,
        "original_state": state,
        "timestamps": archive.trusted_timestamps(document),
        "captures": captures,
        "screenshot": own_shots[-1] if own_shots and state != "purged" else None,  # the latest
        "family": archive.family(document, viewer),
        "entities": archive.document_entities(document),
    })
