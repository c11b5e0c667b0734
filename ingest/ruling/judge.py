"""The judge: the signature (`Судья  Б. К. Ахметов`, `Judge A. Seitkali`, `Төраға …`) or, failing it,
the bench in the opening ("в составе судьи Ахметова Б. К.", "төрағалық етуші судья Ахметов Б.К.").
Anonymised names ("[обезличено]", "[иесіздендірілген]") are no name."""

from __future__ import annotations

import re

from ingest.ruling.parts import LOWER, UPPER

_SURNAME = rf"[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?"
_INITIAL = rf"[{UPPER}][{LOWER}]?\.\s?"  # Zh., Sh. in Latin transliteration
_NAME = (
    rf"(?P<name>(?:{_INITIAL}){{1,2}}\s*{_SURNAME}"
    rf"|{_SURNAME}\s+(?:{_INITIAL}){{1,2}}"
    rf"|{_SURNAME}(?:\s+{_SURNAME}){{1,2}})"
)
_ROLE = (
    r"(?:председательствующ(?:ий|его)\s+)?(?:судья|судьи|судьей|судье|judge|presiding judge|"
    r"төрағалық етуші(?:\s+судья)?|төраға|судья-баяндамашы)"
)
_SIGNATURE = re.compile(rf"^\s*{_ROLE}\s*:?\s+{_NAME}\s*$", re.IGNORECASE | re.MULTILINE)
_BENCH = re.compile(rf"{_ROLE}\s*:?\s+{_NAME}(?=\s*[,.;)]|\s+(?:при|и|and|с|сот|with)\b)", re.IGNORECASE)
_NOT_NAMES = re.compile(r"(?:Республик|Казахстан|Қазақстан|Kazakhstan|Суд|Сот|Court)", re.IGNORECASE)


def find_judge(text: str) -> str | None:
    """The judge's name as signed, else as named on the bench; None when anonymised or absent."""
    signatures = [m for m in _SIGNATURE.finditer(text) if not _NOT_NAMES.search(m.group("name"))]
    if signatures:
        return _tidy(signatures[-1].group("name"))
    for match in _BENCH.finditer(text[:5000]):
        if not _NOT_NAMES.search(match.group("name")):
            return _tidy(match.group("name"))
    return None


def _tidy(name: str) -> str:
    return " ".join(name.split())
