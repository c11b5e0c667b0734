"""Text normalisation shared by all extractors."""

from __future__ import annotations

import re
import unicodedata

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """NFC, one kind of newline, no control characters, single spaces, at most one blank line in a row."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = _CONTROL.sub("", text)
    lines = [line.strip() for line in _SPACES.sub(" ", text).split("\n")]  # no space run holds a newline
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def join_paragraphs(parts: list[str]) -> str:
    return "\n\n".join(part for part in (clean_text(p) for p in parts) if part)


def first_line_title(text: str, max_len: int = 200) -> str | None:
    """The first non-empty line when it is short enough to be a title."""
    for line in text.split("\n"):
        line = line.strip().strip("#").strip()
        if line:
            return line if len(line) <= max_len else None
    return None
