"""Ruling metadata read from a ruling's own text: court, case number, decision date, articles, judge.

Each field has its own module and its own rules for Russian, Kazakh and English, written for the
way Kazakhstani courts lay out a ruling (a header with the court, the case number and the date and
place; the body; a signature). The keys are those archivists correct (`archive.edits`).
"""

from __future__ import annotations

from ingest.ruling.articles import find_articles
from ingest.ruling.case_number import find_case_number
from ingest.ruling.court import find_court
from ingest.ruling.dates import find_decision_date
from ingest.ruling.judge import find_judge
from ingest.ruling.parts import head_of

__all__ = ["ruling_metadata"]


def ruling_metadata(text: str) -> dict[str, object]:
    """The fields found; a field the text does not state plainly is left out, never guessed."""
    head = head_of(text)
    found: dict[str, object] = {
        "court": find_court(head, text),
        "case_number": find_case_number(head),
        "decision_date": find_decision_date(head),
        "articles": find_articles(text),
        "judge": find_judge(text),
    }
    return {key: value for key, value in found.items() if value}
