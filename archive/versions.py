"""What changed between two versions of a captured page, in words a reader can check quickly."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

MAX_WORDS = 20_000  # longer texts are compared on their first words only (said in `partial`)


@dataclass(frozen=True)
class Change:
    added: int  # words
    removed: int
    title_changed: bool
    partial: bool = False

    def as_json(self) -> dict:
        return dict(self.__dict__)


def compare(old_title: str, old_text: str, new_title: str, new_text: str) -> Change:
    old, new = old_text.split(), new_text.split()
    partial = len(old) > MAX_WORDS or len(new) > MAX_WORDS
    matcher = difflib.SequenceMatcher(None, old[:MAX_WORDS], new[:MAX_WORDS], autojunk=False)
    added = removed = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            removed += i2 - i1
        if tag in ("replace", "insert"):
            added += j2 - j1
    return Change(added, removed, old_title.strip() != new_title.strip(), partial)
