"""From extracted text to everything a document record needs but its identity and provenance."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from archive.domain import Kind, LanguageSpan
from ingest.extract import Extracted
from ingest.extract.members import Member
from ingest.kind import guess_kind, ruling_metadata
from ingest.langid import detect_document
from ingest.title import TITLE_MAX, first_line_title, is_chrome, ruling_title


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
    members: Iterator[Member] | None = None  # what a container holds, for the pipeline to store


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
        title=_title(title, extracted, filename, kind, metadata),
        language=language,
        spans=spans,
        kind=kind,
        media_type=extracted.media_type,
        metadata=metadata,
        members=extracted.members,
    )


def _title(given: str | None, extracted: Extracted, filename: str, kind: Kind, metadata: dict) -> str:
    """The archivist's title, else the document's own, else (a ruling) court, case number and date,
    else its first line of words."""
    if given and given.strip():
        return " ".join(given.split())[:TITLE_MAX]
    if own := _own_title(extracted):
        return own
    if kind == Kind.RULING and (composed := ruling_title(metadata)):
        return composed
    return first_line_title(extracted.text) or filename


def _own_title(extracted: Extracted) -> str | None:
    """A title the document states (HTML, PDF or Word metadata, a Markdown heading), not its first line
    read as one, which for a ruling is the court's name shared by all its rulings, and never chrome."""
    title = " ".join((extracted.title or "").split())
    first = next((" ".join(line.split()) for line in extracted.text.splitlines() if line.strip()), "")
    if not title or is_chrome(title) or title == first[: len(title)]:
        return None
    return title[:TITLE_MAX]
