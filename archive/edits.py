"""Archivists' corrections of a document's record, and the metadata an archivist may give at ingest.

The original, its hash and the ingest time never change: those are the evidence. Everything said
about it may be corrected, and every correction is kept in the custody log with its old value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from archive.domain import (
    ACCESS_LEVELS,
    DOCUMENT_LANGUAGES,
    KINDS,
    UNKNOWN,
    AccessLevel,
    Document,
    Kind,
    collection_name,
)

RULING_FIELDS = ("court", "case_number", "decision_date", "articles", "judge")
MEDIA_FIELDS = ("publisher", "published_date")
EDITABLE_METADATA = (*RULING_FIELDS, *MEDIA_FIELDS)
DATE_FIELDS = frozenset({"decision_date", "published_date"})
MAX_TEXT = 500
EDITABLE_LANGUAGES = (*DOCUMENT_LANGUAGES, UNKNOWN)  # an archivist may say the language is unknown


class InvalidChange(ValueError):
    """A value that cannot be stored as given; the message names the field and the expected form."""


@dataclass(frozen=True)
class DocumentChanges:
    """What to change; None leaves a field as it is. A metadata value of None or "" removes it."""

    title: str | None = None
    kind: str | None = None
    language: str | None = None
    source: str | None = None
    ingested_by: str | None = None
    note: str | None = None
    metadata: dict[str, object] | None = None
    access: str | None = None
    collection: str | None = None  # "" takes the document out of its collection
    withdraw: str | None = None  # the reason: the document is hidden, its original and history kept
    restore: bool = False  # undoes a withdrawal


def validated_metadata(values: dict[str, object]) -> dict[str, object]:
    """Known kind-specific fields in their stored form: dates as YYYY-MM-DD, articles as a list."""
    clean: dict[str, object] = {}
    for name, value in values.items():
        if name not in EDITABLE_METADATA:
            known = ", ".join(EDITABLE_METADATA)
            raise InvalidChange(f"unknown metadata field {name!r}: choose from {known}")
        if value is None or value == "" or value == []:
            clean[name] = None
        elif name in DATE_FIELDS:
            clean[name] = _date(name, value)
        elif name == "articles":
            clean[name] = _articles(value)
        else:
            clean[name] = _text(name, value)
    return clean


def given_collection(value: str) -> str:
    """The collection a document is filed in, as stored; "" for none."""
    if not value.strip():
        return ""
    try:
        return collection_name(value)
    except ValueError as error:
        raise InvalidChange(str(error)) from None


def _date(name: str, value: object) -> str:
    text = str(value).strip()
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidChange(f"{name} must be a date written YYYY-MM-DD, not {text!r}") from None


def _articles(value: object) -> list[str]:
    items = value if isinstance(value, list) else str(value).split(",")
    articles = [_text("articles", item) for item in items if str(item).strip()]
    return list(dict.fromkeys(articles))


def _text(name: str, value: object) -> str:
    if not isinstance(value, str | int):
        raise InvalidChange(f"{name} must be text")
    text = " ".join(str(value).split())
    if len(text) > MAX_TEXT:
        raise InvalidChange(f"{name} is longer than {MAX_TEXT} characters")
    return text


def apply_changes(document: Document, changes: DocumentChanges) -> tuple[Document, dict[str, dict]]:
    """The edited document, and each changed field's old and new value."""
    values: dict[str, object] = {}
    if changes.title is not None:
        title = " ".join(changes.title.split())
        if not title:
            raise InvalidChange("the title must not be empty")
        values["title"] = title[:MAX_TEXT]
    if changes.kind is not None:
        values["kind"] = _choice("kind", changes.kind, KINDS, Kind)
    if changes.language is not None:
        values["language"] = _choice("language", changes.language, EDITABLE_LANGUAGES, str)
    if changes.access is not None:
        values["access"] = _choice("access", changes.access, ACCESS_LEVELS, AccessLevel)
    if changes.collection is not None:
        values["collection"] = given_collection(changes.collection)
    if changes.withdraw is not None:
        if not changes.withdraw.strip():
            raise InvalidChange("withdrawing a document needs a reason")
        values["withdrawn"] = _text("withdraw", changes.withdraw)
    elif changes.restore:
        values["withdrawn"] = None
    provenance = {
        name: _text(name, given) if given else ""
        for name in ("source", "ingested_by", "note")
        if (given := getattr(changes, name)) is not None
    }
    edited = replace(document, **values)  # type: ignore[arg-type]
    if provenance:
        edited = replace(edited, provenance=replace(document.provenance, **provenance))
    if changes.metadata:
        merged = dict(document.metadata)
        for name, value in validated_metadata(changes.metadata).items():
            if value is None:
                merged.pop(name, None)
            else:
                merged[name] = value
        edited = replace(edited, metadata=merged)
    return edited, _changed(document, edited)


def _choice(name: str, value: str, accepted: tuple, make: type) -> object:
    value = value.strip().lower()
    if value not in accepted:
        raise InvalidChange(f"unknown {name} {value!r}: choose from {', '.join(map(str, accepted))}")
    return make(value)


def _shown(value: object) -> str | None:
    return None if value is None else str(value)


def _changed(before: Document, after: Document) -> dict[str, dict]:
    changed: dict[str, dict] = {}
    for name in ("title", "kind", "language", "access", "collection", "withdrawn"):
        old, new = getattr(before, name), getattr(after, name)
        if old != new:
            changed[name] = {"old": _shown(old), "new": _shown(new)}
    for name in ("source", "ingested_by", "note"):
        old, new = getattr(before.provenance, name), getattr(after.provenance, name)
        if old != new:
            changed[name] = {"old": old, "new": new}
    for name in sorted(set(before.metadata) | set(after.metadata)):
        old, new = before.metadata.get(name), after.metadata.get(name)
        if old != new:
            changed[f"metadata.{name}"] = {"old": old, "new": new}
    return changed




def given_metadata(values: dict[str, object]) -> dict[str, object]:
    """What an archivist gave at ingest, validated; fields left empty are not given."""
    return validated_metadata({name: value for name, value in values.items() if value not in (None, "", [])})
