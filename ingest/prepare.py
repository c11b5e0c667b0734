"""From extracted text to everything a document record needs but its identity and provenance."""

from __future__ import annotations

from dataclasses import dataclass

from archive.domain import Kind, LanguageSpan
from ingest.extract import Extracted
from ingest.kind import guess_kind, ruling_metadata
from ingest.langid import detect_document

TITLE_MAX = 200


@dataclass(frozen=True)
class Prepared:
    """An extracted document with its title, language, language spans, kind and metadata settled."""

    text: str
    title: str
    language: str
    spans: list[LanguageSpan]
    kind: Kind
    media_type: str
    metadata: dict


def prepare(
    extracted: Extracted, filename: str, kind: Kind | None = None, title: str | None = None
) -> Prepared:
    """``kind`` and ``title`` are what the archivist gave, if anything; the rest comes from the text."""
    language, spans = detect_document(extracted.text)
    kind = kind or guess_kind(extracted.text)
    metadata = dict(extracted.metadata)
    if kind == Kind.RULING:
        metadata = {**ruling_metadata(extracted.text), **metadata}
    return Prepared(
        text=extracted.text,
        title=_title(title, extracted, filename),
        language=language,
        spans=spans,
        kind=kind,
        media_type=extracted.media_type,
        metadata=metadata,
    )


def _title(given: str | None, extracted: Extracted, filename: str) -> str:
    if given and given.strip():
        return " ".join(given.split())[:TITLE_MAX]
    if extracted.title and extracted.title.strip():
        return " ".join(extracted.title.split())[:TITLE_MAX]
    for line in extracted.text.splitlines():
        if line.strip():
            return " ".join(line.split())[:TITLE_MAX]
    return filename
