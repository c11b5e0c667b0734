"""The archive's vocabulary: documents, their kinds, provenance and kind-specific metadata."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Kind(StrEnum):
    REPORT = "report"
    RULING = "ruling"
    MEDIA = "media"


class AccessLevel(StrEnum):
    PUBLIC = "public"
    RESTRICTED = "restricted"


LANGUAGES = ("en", "ru", "kk")
MIXED = "mixed"
UNKNOWN = "und"
DOCUMENT_LANGUAGES = (*LANGUAGES, MIXED)  # what a document's language filter may ask for
KINDS = tuple(kind.value for kind in Kind)
ACCESS_LEVELS = tuple(level.value for level in AccessLevel)


WITHDRAWN = "withdrawn"  # the access value the index holds for a withdrawn document
MAX_COLLECTION = 200


def collection_name(value: str) -> str:
    """A collection's name as stored and granted: spaces folded, 1 to MAX_COLLECTION characters."""
    name = " ".join(value.split())
    if not name or len(name) > MAX_COLLECTION:
        raise ValueError(f"a collection's name is 1 to {MAX_COLLECTION} characters")
    return name


@dataclass(frozen=True)
class Visibility:
    """What a reader who does not see everything may see: public documents (when allowed) and the
    restricted ones granted to them, one by one or by collection; never a withdrawn one."""

    public: bool
    granted: frozenset[str] = frozenset()  # document ids
    collections: frozenset[str] = frozenset()  # every document of these collections


@dataclass(frozen=True)
class LanguageSpan:
    """A paragraph's character range in the extracted text and the language detected for it."""

    start: int
    end: int
    language: str


@dataclass(frozen=True)
class Provenance:
    source: str = ""  # where the original came from: a path, a URL, a person or an organisation
    ingested_by: str = ""
    note: str = ""


@dataclass
class Document:
    id: str
    kind: Kind
    title: str
    language: str
    text: str
    sha256: str
    size: int
    media_type: str
    original_name: str
    ingested_at: datetime
    provenance: Provenance = field(default_factory=Provenance)
    spans: list[LanguageSpan] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)  # ruling: court, case_number, decision_date, articles;
    # media: url, publisher, published_date, captured_at
    access: AccessLevel = AccessLevel.PUBLIC
    collection: str = ""  # the named set an archivist filed it in (a case, a source), "" for none
    indexed: bool = False  # False until the active index backend has accepted it
    withdrawn: str | None = None  # why an archivist withdrew it: hidden, its original and history kept


@dataclass(frozen=True)
class DocumentHead:
    """What a list of search hits shows of a document: its description and the opening of its text."""

    id: str
    sha256: str
    title: str
    kind: Kind
    language: str
    original_name: str
    ingested_at: datetime
    opening: str  # the text, or its first characters when `cut`
    cut: bool  # the text goes on after `opening`
    metadata: dict = field(default_factory=dict)  # kind-specific: the document's dates among them
    access: AccessLevel = AccessLevel.PUBLIC  # who may read it, as the store says now
    collection: str = ""
    withdrawn: str | None = None
