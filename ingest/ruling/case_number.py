"""The case number: `Дело № 5990-20-00-3/418`, `№ 2712-20-00-3/402 іс`, `Іс № 1-123/2020`, `Case No. …`."""

from __future__ import annotations

import re

_NUMBER = r"(?P<number>[\w]*\d[\w]*(?:[-/.][\w]+)*)"
_NO = r"(?:№|N|No\.?|Nr\.?|number|нөмірі)"
_LABELLED = re.compile(
    rf"(?:\b(?:дело|делу|дела|іс|істі|case|file)\s*{_NO}|\b(?:номер\s+дела|case\s+number))\s*:?\s*{_NUMBER}",
    re.IGNORECASE,
)
# Kazakh puts the word after the number: "№ 2712-20-00-3/402 іс" (also "істі", "іс бойынша").
_KAZAKH = re.compile(rf"№\s*{_NUMBER}\s+іс(?:і|ті|тің|\b)", re.IGNORECASE)


def find_case_number(head: str) -> str | None:
    """The first labelled case number; a bare "№ 2" (a court's own number) is not a case number."""
    found = [match for pattern in (_LABELLED, _KAZAKH) if (match := pattern.search(head))]
    if not found:
        return None
    first = min(found, key=lambda match: match.start())
    return first.group("number").rstrip(".")
