"""A first guess at a document's kind when the archivist gives none: court rulings announce themselves."""

from __future__ import annotations

import re

from archive.domain import Kind
from ingest.ruling import ruling_metadata

__all__ = ["guess_kind", "ruling_metadata"]

_RULING_MARKS = re.compile(
    r"\b(ИМЕНЕМ РЕСПУБЛИКИ КАЗАХСТАН|ПРИГОВОР|ПОСТАНОВЛЕНИЕ|РЕШЕНИЕ СУДА|"
    r"ҚАЗАҚСТАН РЕСПУБЛИКАСЫНЫҢ АТЫНАН|ҮКІМ|ҚАУЛЫ|СОТ ШЕШІМІ|"
    r"IN THE NAME OF THE REPUBLIC OF KAZAKHSTAN|JUDGMENT|VERDICT)\b",
)


def guess_kind(text: str) -> Kind:
    """A ruling when its opening carries a court's formula in capitals; otherwise a report."""
    return Kind.RULING if _RULING_MARKS.search(text[:1500]) else Kind.REPORT
