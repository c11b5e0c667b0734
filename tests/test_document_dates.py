"""A document's own date: decided, published, else archived; malformed and unindexable dates ignored."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from archive.domain import Document, Kind
from archive.search.dates import document_date

ARCHIVED_AT = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)


def document(kind: Kind = Kind.RULING, **metadata: object) -> Document:
    return Document(id="d", kind=kind, title="t", language="ru", text="x", sha256="0" * 64, size=1,
                    media_type="text/plain", original_name="x.txt", ingested_at=ARCHIVED_AT,
                    metadata=metadata)


@pytest.mark.parametrize(("metadata", "day", "kind"), [
    ({"decision_date": "2021-03-04"}, "2021-03-04", "decided"),
    ({"published_date": "2022-05-06T10:00:00+06:00"}, "2022-05-06", "published"),
    ({"decision_date": "2021-03-04", "published_date": "2022-05-06"}, "2021-03-04", "decided"),
    ({}, "2026-11-30", "archived"),
    ({"decision_date": "04.03.2021"}, "2026-11-30", "archived"),  # not the stored form
    ({"decision_date": "2021-02-30"}, "2026-11-30", "archived"),
    ({"published_date": "1500-01-01"}, "2026-11-30", "archived"),  # no engine indexes it
    ({"published_date": None}, "2026-11-30", "archived"),
])
def test_the_document_date(metadata: dict, day: str, kind: str) -> None:
    found = document_date(document(**metadata))
    assert (found.day, found.kind) == (day, kind)
    assert found.moment.tzinfo is not None
