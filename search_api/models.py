"""Response models of the JSON API: they describe the answers in the OpenAPI schema.

They describe, they do not reshape: every model keeps fields it does not declare (`extra="allow"`), and
routes that return plain dicts are serialised with `response_model_exclude_unset`, so a field the service
leaves out stays out and nothing is renamed or dropped. The shapes themselves are made by the service
(`archive.service`) and `search_api.serialize`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Described(BaseModel):
    model_config = ConfigDict(extra="allow")


class FoundIn(Described):
    id: str
    title: str
    path: str = Field(description="the member's path inside the container")


class EntityRef(Described):
    id: str
    label: str = Field(description="the spelling shown: the most frequent of the fullest")
    kind: str = Field(description="person, place, organisation or name")
    permalink: str = Field(description="its page, /e/{id}")


class EntitySummary(EntityRef):
    documents: int = Field(description="documents the caller may see that mention it")


class EntityList(Described):
    query: str
    entities: list[EntitySummary] = Field(description="most documents first")


class Hit(Described):
    id: str
    sha256: str
    title: str
    kind: str = Field(description="report, ruling or media")
    language: str = Field(description="en, ru, kk or mixed")
    score: float
    snippet: str = Field(description="HTML: the passage with the matched words in <mark>")
    matched: list[str] = Field(description="the forms in the document that met the query")
    original_name: str
    ingested_at: str = Field(description="when it was archived (ISO 8601)")
    snippet_text: str = Field(description="the snippet as plain text")
    highlights: list[tuple[int, int]] = Field(description="[start, end) of each mark in snippet_text")
    mode: str = Field(description='how `matched` was found: "exact" or "any spelling"')
    date: str | None = Field(default=None, description="the document's own date (YYYY-MM-DD)")
    date_kind: str | None = Field(
        default=None, description='which date: "decided", "published" or "archived"')
    found_in: FoundIn | None = Field(default=None, description="the container (e-mail, ZIP) it came from")
    entities: list[EntityRef] = Field(
        default_factory=list, description="people, places and organisations it names, most mentioned first")


class SearchResult(Described):
    query: str
    total: int = Field(description="documents found, of which `hits` is one page")
    hits: list[Hit]
    message: str | None = Field(default=None, description="why the query could not be run as typed")
    facets: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="counts by field (language, kind, year, …) for the query")
    pending: int = Field(default=0, description="documents kept but not yet searchable")


class ProvenanceModel(Described):
    source: str
    ingested_by: str
    note: str


class Span(Described):
    start: int
    end: int
    language: str


class DocumentRecord(Described):
    id: str
    kind: str
    title: str
    language: str
    sha256: str
    size: int
    media_type: str
    original_name: str
    ingested_at: str
    provenance: ProvenanceModel
    access: str = Field(description="public or restricted")
    collection: str = Field(default="", description="the collection it is filed in, empty for none")
    metadata: dict[str, Any] = Field(description="court, case_number, decision_date, articles, url, …")
    indexed: bool
    withdrawn: str | None = Field(description="why an archivist withdrew it, or null")
    spans: list[Span] = Field(description="each paragraph's range in `text` and its language")
    permalink: str
    original: str = Field(description="where the exact bytes are downloaded")
    text: str | None = None


class Relative(Described):
    id: str
    title: str
    path: str
    permalink: str


class Family(Described):
    containers: list[Relative] = Field(description="what the document was found in (a ZIP, an e-mail)")
    members: list[Relative] = Field(description="what it holds")


class DocumentWithFamily(DocumentRecord):
    family: Family


class IngestResult(Described):
    file: str
    status: str = Field(description="created, duplicate or failed")
    id: str | None
    sha256: str | None
    language: str | None = None
    kind: str | None = None
    title: str | None = None
    error: str | None = Field(default=None, description="why it failed")
    code: str | None = Field(default=None, description="the failure's code: unsupported_format, …")
    capture: dict[str, Any] | None = Field(default=None, description="a capture's entry and files")
    members: list[IngestResult] = Field(default_factory=list, description="a container's members")


class Capture(Described):
    seq: int = Field(description="its custody entry")
    at: str
    document_id: str | None
    status: str
    url: str
    changed: bool
    change: Any = None


class Captures(Described):
    captures: list[Capture]


class Failure(Described):
    seq: int = Field(description="the custody entry of the failed attempt: the id to retry")
    action: str = Field(description="ingest, capture or retry")
    subject: str
    error: str
    at: str
    retried_by: int | None
    retry_status: str | None
    retry_document: str | None
    code: str | None = Field(None, description="why, as a machine code (empty, too_large, timeout …); "
                             "`error` says it in English")


class Failures(Described):
    failures: list[Failure]


class Citation(Described):
    text: str
    csl: list[dict[str, Any]] = Field(description="CSL-JSON items")


class Health(Described):
    status: str


class Readiness(Described):
    status: str = Field(description="ok, or unavailable when a part does not answer")
    store: str
    blobs: str
    index: str
