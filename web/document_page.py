"""The permalink page `/d/{id}`: everything needed to cite and verify one archived document."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from archive.domain import LANGUAGES, Document, Kind
from archive.search.explain import Highlight
from archive.service import Archive, BackendUnavailable, Principal
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
    highlights: tuple[Highlight, ...] = ()  # the searched words, [start, end) in `text`
    marker: str | None = None  # its language, when not the document's (`main_language`): a label shows it


def html_lang(language: str) -> str | None:
    return language if language in LANGUAGES else None


def paragraphs(document: Document, marks: Sequence[Highlight] = ()) -> list[Paragraph]:
    """The text cut at the detected language spans, each piece tagged with its language; text
    outside any span (or a document without spans) takes the document's language. `marks` (ranges
    of the whole text, in order) are handed to the paragraphs they fall in."""
    text = document.text
    pieces: list[tuple[int, int, str]] = []  # start, end, language
    position = 0
    for span in sorted(document.spans, key=lambda s: s.start):
        if span.start > position:
            pieces.append((position, span.start, document.language))
        pieces.append((max(span.start, position), span.end, span.language))
        position = max(position, span.end)
    pieces.append((position, len(text), document.language))
    found: list[Paragraph] = []
    pending = iter(sorted(marks))
    mark = next(pending, None)
    main = main_language(document)
    for start, end, language in pieces:
        marker = language if language != main and language in LANGUAGES else None
        cursor = start
        for block in text[start:end].split("\n\n"):
            stripped = block.strip()
            first = cursor + len(block) - len(block.lstrip())
            cursor += len(block) + 2
            if not stripped:
                continue
            last = first + len(stripped)
            local: list[Highlight] = []
            while mark is not None and mark[0] < last:
                if mark[1] > first:
                    local.append((max(mark[0], first) - first, min(mark[1], last) - first))
                if mark[1] > last:
                    break  # it goes on into the next paragraph
                mark = next(pending, None)
            found.append(Paragraph(stripped, html_lang(language), tuple(local), marker))
    return found


def main_language(document: Document) -> str:
    """The document's language; for one of mixed languages, the one most of its text is in."""
    if document.language in LANGUAGES or not document.spans:
        return document.language
    sizes: Counter[str] = Counter()
    for span in document.spans:
        sizes[span.language] += span.end - span.start
    return sizes.most_common(1)[0][0]


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
    query = request.query_params.get("q", "").strip()
    exact = request.query_params.get("exact") in ("1", "true", "on")
    marks = archive.marks(document, query, exact) if query else []
    return render(request, "document.html", {
        "document": document,
        "doc_lang": html_lang(document.language),
        "paragraphs": paragraphs(document, marks),
        "query": query,
        "mark_count": len(marks),
        "back_url": _back_url(request),
        "related": _related(archive, document, viewer),
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


def _back_url(request: Request) -> str:
    """The search the reader came from: its query and filters travel with the link to this page."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return f"/search?{urlencode(kept)}" if any(k == "q" for k, _ in kept) else "/"


def _related(archive: Archive, document: Document, viewer: Principal) -> list:
    """Related documents come from the index; the page of a document never depends on it (a slow or
    hung index leaves the list out, not the page)."""
    try:
        return archive.related(document, viewer)
    except BackendUnavailable:
        return []
