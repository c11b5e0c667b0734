"""The decision date, written `4 февраля 2020 года`, `2020 жылғы 27 қаңтар`, `4 February 2020`,
`February 4, 2020`, `04.02.2020` or `2020-02-04`; stored as YYYY-MM-DD."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    # Russian (genitive and nominative stems), Kazakh, English
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    "қаңтар": 1, "ақпан": 2, "наурыз": 3, "сәуір": 4, "мамыр": 5, "маусым": 6,
    "шілде": 7, "тамыз": 8, "қыркүйек": 9, "қазан": 10, "қараша": 11, "желтоқсан": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
_RU_MONTH = (
    r"(?:январ[ья]|феврал[ья]|марта?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|августа?|сентябр[ья]|октябр[ья]|"
    r"ноябр[ья]|декабр[ья])"
)
_KK_MONTH = r"(?:қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан|қараша|желтоқсан)\w*"
_EN_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
_DAY = r"[«\"“]?(?P<day>\d{1,2})[»\"”]?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_FORMS = [
    re.compile(rf"{_DAY}\s+(?P<month>{_RU_MONTH}|{_KK_MONTH}|{_EN_MONTH}),?\s+{_YEAR}", re.IGNORECASE),
    re.compile(rf"{_YEAR}\s*(?:жылғы|ж\.)\s+{_DAY}\s*-?\s*(?P<month>{_KK_MONTH})", re.IGNORECASE),
    re.compile(rf"\b(?P<month>{_EN_MONTH})\s+{_DAY}(?:st|nd|rd|th)?,\s+{_YEAR}", re.IGNORECASE),
    re.compile(rf"\b(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\.{_YEAR}\b"),
    re.compile(rf"\b{_YEAR}-(?P<month>\d\d)-(?P<day>\d\d)\b"),
]
# Dates of birth and other personal dates come in the parties' description, not as the decision's.
_PERSONAL_BEFORE = re.compile(
    r"(?:рожд\w*|родивш\w*|туған|born|birth|d\.o\.b\.?)\s*(?:on\s+|:\s*)?[«\"“]?$", re.IGNORECASE
)
_PERSONAL_AFTER = re.compile(r"^\W*(?:г\.|года|ж\.|жылы)?\s*(?:рождения|г\.\s?р\.|туған)", re.IGNORECASE)


def find_decision_date(head: str) -> str | None:
    """The first date of the opening that is not someone's date of birth, as YYYY-MM-DD."""
    candidates: list[tuple[int, str]] = []
    for pattern in _FORMS:
        for match in pattern.finditer(head):
            before, after = head[max(0, match.start() - 30) : match.start()], head[match.end() :][:20]
            if _PERSONAL_BEFORE.search(before) or _PERSONAL_AFTER.search(after):
                continue
            if (day := _as_date(match)) is not None:
                candidates.append((match.start(), day.isoformat()))
                break
    return min(candidates)[1] if candidates else None


def _as_date(match: re.Match[str]) -> date | None:
    month = match.group("month")
    number = int(month) if month.isdigit() else _month_number(month)
    try:
        return date(int(match.group("year")), number or 0, int(match.group("day")))
    except ValueError:
        return None


def _month_number(word: str) -> int | None:
    word = word.casefold()
    stems = sorted(_MONTHS, key=len, reverse=True)  # "март" before "ма"
    return next((_MONTHS[stem] for stem in stems if word.startswith(stem)), None)
