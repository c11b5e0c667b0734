"""How to cite an archived document: as a sentence, and as CSL-JSON for reference managers (Zotero...).

The permalink is built from the configured public base URL (ARCHIVE_PUBLIC_URL), never from a request's
Host header, which a client chooses: a citation must not point wherever the asker wanted. Without a
base URL the permalink is the path alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from archive.domain import Document, Kind

ENGLISH = {
    "cite.case": "case {value}",
    "cite.decided": "decided {value}",
    "cite.published": "published {value}",
    "cite.archived": "archived {value}",
    "cite.file": "file “{value}”",
}
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def permalink(document_id: str, public_url: str | None) -> str:
    path = f"/d/{document_id}"
    return f"{public_url.rstrip('/')}{path}" if public_url else path


@dataclass(frozen=True)
class Citation:
    id: str
    kind: str
    title: str
    author: str | None
    publisher: str | None
    published: str | None
    url: str | None  # where the original was found on the web
    file_name: str
    archived_at: str
    permalink: str
    sha256: str
    court: str | None = None
    case_number: str | None = None
    decision_date: str | None = None

    def text(self, label: Callable[..., str] | None = None) -> str:
        """One sentence; `label(key, value=...)` words it in the reader's language (English by default)."""
        say = label or (lambda key, value: ENGLISH[key].format(value=value))
        parts = [self.author, f"“{self.title}”"]
        if self.kind == Kind.RULING:
            parts += [self.court, self.case_number and say("cite.case", value=self.case_number),
                      self.decision_date and say("cite.decided", value=self.decision_date)]
        parts += [self.publisher, self.published and say("cite.published", value=self.published)]
        parts += [self.url or say("cite.file", value=self.file_name),
                  say("cite.archived", value=self.archived_at), f"SHA-256 {self.sha256}", self.permalink]
        return ". ".join(part for part in parts if part) + "."

    def csl(self) -> dict[str, Any]:
        """One CSL-JSON item (wrap it in a list for a file Zotero imports)."""
        item: dict[str, Any] = {
            "id": self.id,
            "type": _csl_type(self),
            "title": self.title,
            "URL": self.url or self.permalink,
            "archive": "Evidence archive",
            "archive_location": self.permalink,
            "accessed": _csl_date(self.archived_at),
            "note": f"SHA-256: {self.sha256}",
        }
        if self.author:
            item["author"] = [{"literal": self.author}]
        if self.publisher:
            item["publisher"] = self.publisher
            item["container-title"] = self.publisher
        issued = self.decision_date if self.kind == Kind.RULING else self.published
        if issued:
            item["issued"] = _csl_date(issued)
        if self.court:
            item["authority"] = self.court
        if self.case_number:
            item["number"] = self.case_number
        return item

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text(), "csl": [self.csl()]}


def cite(document: Document, public_url: str | None) -> Citation:
    meta = document.metadata
    return Citation(
        id=document.id,
        kind=str(document.kind),
        title=document.title,
        author=_text(meta.get("author")),
        publisher=_text(meta.get("publisher")),
        published=_text(meta.get("published_date")),
        url=_text(meta.get("url")),
        file_name=document.original_name,
        archived_at=_utc(_text(meta.get("captured_at"))) or _utc(document.ingested_at),
        permalink=permalink(document.id, public_url),
        sha256=document.sha256,
        court=_text(meta.get("court")),
        case_number=_text(meta.get("case_number")),
        decision_date=_text(meta.get("decision_date")),
    )


def _utc(value: str | datetime | None) -> str | None:
    """`2024-03-01T04:00:00Z`: the archive's times are cited in UTC, to the second."""
    if not value:
        return None
    try:
        moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    except ValueError:
        return value  # type: ignore[return-value]
    if moment.tzinfo is None:
        return moment.isoformat(timespec="seconds")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _text(value: object) -> str | None:
    if value in (None, "", []):
        return None
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return " ".join(str(value).split())


def _csl_type(citation: Citation) -> str:
    if citation.kind == Kind.RULING:
        return "legal_case"
    if citation.kind == Kind.MEDIA:
        return "article-newspaper" if citation.publisher and citation.url else "webpage"
    return "report"


def _csl_date(value: str) -> dict[str, Any]:
    match = _DATE.match(value)
    if not match:
        return {"raw": value}
    return {"date-parts": [[int(part) for part in match.groups()]]}
