"""A document's own date: when a ruling was decided or an article published, else when it was archived.

One rule for the index (date filter, sort, the year facet) and for what a hit shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from archive.domain import Document, DocumentHead

DECIDED = "decided"  # a ruling's decision date
PUBLISHED = "published"  # a media link's publication date
ARCHIVED = "archived"  # when the archive received it: no better date is known
DATE_KINDS = (DECIDED, PUBLISHED, ARCHIVED)

# The days an index can hold on both backends (tantivy keeps nanoseconds in 64 bits: 1677 to 2262).
EARLIEST = date(1700, 1, 1)
LATEST = date(2200, 12, 31)

_DAY = re.compile(r"\s*(\d{4}-\d\d-\d\d)")  # stored dates are YYYY-MM-DD; captured ones may carry a time


@dataclass(frozen=True)
class DocumentDate:
    moment: datetime  # UTC; a day given without a time is its midnight
    kind: str  # one of DATE_KINDS

    @property
    def day(self) -> str:
        return self.moment.date().isoformat()


def document_date(document: Document | DocumentHead) -> DocumentDate:
    """The decision date (rulings), else the publication date (media, a report that has one), else
    the ingest time; a malformed stored date, or one outside EARLIEST–LATEST, counts as none."""
    for field, kind in (("decision_date", DECIDED), ("published_date", PUBLISHED)):
        day = _day(document.metadata.get(field))
        if day is not None:
            return DocumentDate(datetime(day.year, day.month, day.day, tzinfo=UTC), kind)
    return DocumentDate(document.ingested_at.astimezone(UTC), ARCHIVED)


def _day(value: object) -> date | None:
    found = _DAY.match(str(value or ""))
    if found is None:
        return None
    try:
        day = date.fromisoformat(found.group(1))
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None
