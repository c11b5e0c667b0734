"""Articles of the codes a ruling cites: `ст. 488`, `статьями 821, 822`, `488-бабы`, `Article 488`."""

from __future__ import annotations

import re

_NUMBER = r"\d{1,4}(?:-\d{1,2}(?!\d))?"  # 73-1 is an article of its own; 393-397 a range
_LIST = rf"{_NUMBER}(?:\s*(?:,|и|және|and|&|-|–)\s*{_NUMBER})*"
# Russian and English name the article first: "частью 3 статьи 488", "ст.ст. 821, 822", "Article 174".
_NAMED_FIRST = re.compile(
    rf"(?:\bст\.\s*(?:ст\.)?|\bстать(?:я|и|е|ю|ей|ями|ях|и)\b|\bArt(?:icles?|\.)|\bбап\b)\s*(?P<list>{_LIST})",
    re.IGNORECASE,
)
# Kazakh puts the word after the number: "488-бабының", "821, 822-баптарын", "174 бабы".
_NUMBER_FIRST = re.compile(rf"(?P<list>{_LIST})\s*-?\s*(?:бап|баб)\w*", re.IGNORECASE)
_ONE = re.compile(_NUMBER)


def find_articles(text: str) -> list[str]:
    """Every article number cited, once each, in numeric order; a range gives its two ends."""
    found: set[str] = set()
    for pattern in (_NAMED_FIRST, _NUMBER_FIRST):
        for match in pattern.finditer(text):
            found.update(_ONE.findall(match.group("list")))
    return sorted(found, key=_numeric)


def _numeric(article: str) -> tuple[int, ...]:
    return tuple(int(part) for part in article.split("-"))
