"""A first guess at a document's kind when the archivist gives none: court rulings announce themselves."""

from __future__ import annotations

import re

from archive.domain import Kind

_RULING_MARKS = re.compile(
    r"\b(ИМЕНЕМ РЕСПУБЛИКИ КАЗАХСТАН|ПРИГОВОР|ПОСТАНОВЛЕНИЕ|РЕШЕНИЕ СУДА|"
    r"ҚАЗАҚСТАН РЕСПУБЛИКАСЫНЫҢ АТЫНАН|ҮКІМ|ҚАУЛЫ|СОТ ШЕШІМІ|"
    r"IN THE NAME OF THE REPUBLIC OF KAZAKHSTAN|JUDGMENT|VERDICT)\b",
)


def guess_kind(text: str) -> Kind:
    """A ruling when its opening carries a court's formula in capitals; otherwise a report."""
    return Kind.RULING if _RULING_MARKS.search(text[:1500]) else Kind.REPORT


_CASE_NUMBER = re.compile(r"(?:Дело|Case|Іс)?\s*№\s*([\w./-]*\d[\w./-]*)(?:\s+іс)?", re.IGNORECASE)
_COURT_LINE = re.compile(r"^\s*(.*\b(?:СУД|СОТ|СОТЫ|COURT)\b.*?)\s*$", re.MULTILINE)
_ARTICLE = re.compile(r"(?:стать[еяиюей]+|бабы(?:ның)?|Article)\s+(\d+(?:[-.]\d+)*)", re.IGNORECASE)


def ruling_metadata(text: str) -> dict[str, object]:
    """Court, case number and articles read from a ruling's opening lines, where they are written plainly."""
    head = text[:3000]
    found: dict[str, object] = {}
    if court := _COURT_LINE.search(head):
        found["court"] = " ".join(court.group(1).split())
    if number := _CASE_NUMBER.search(head):
        found["case_number"] = number.group(1)
    articles = sorted({m.group(1) for m in _ARTICLE.finditer(text[:20000])})
    if articles:
        found["articles"] = articles
    return found
