"""The parts of a ruling the field rules look in, and the letters they are written with."""

from __future__ import annotations

import re

UPPER = "A-ZА-ЯЁӘҒҚҢӨҰҮҺІ"
LOWER = "a-zа-яёәғқңөұүһі"
HEAD_LIMIT = 3000

# The word that ends the opening (parties, charge) and starts the court's findings.
_FINDINGS = re.compile(
    r"^\s*(?:У\s?С\s?Т\s?А\s?Н\s?О\s?В\s?И\s?Л|А\s?Н\s?Ы\s?Қ\s?Т\s?А\s?Д\s?Ы|АНЫҚТАҒАНЫ|"
    r"ESTABLISHED|FOUND|THE COURT (?:HAS )?FOUND|FINDINGS)\w*\s*:?\s*$",
    re.MULTILINE | re.IGNORECASE,
)


def head_of(text: str) -> str:
    """The opening of a ruling: everything before its findings, at most ``HEAD_LIMIT`` characters."""
    head = text[:HEAD_LIMIT]
    if match := _FINDINGS.search(head):
        return head[: match.start()]
    return head
