"""The court: a header line such as `СПЕЦИАЛИЗИРОВАННЫЙ АДМИНИСТРАТИВНЫЙ СУД ГОРОДА ШЫМКЕНТ`,
`Медеуский районный суд г. Алматы`, `СМАС г. Алматы`, `ОРАЛ ҚАЛАСЫНЫҢ № 2 … СОТЫ` or
`Specialized Inter-District Administrative Court of Almaty`; else the court named at the start of
the opening paragraph ("… суд в составе судьи …")."""

from __future__ import annotations

import re

from ingest.ruling.parts import LOWER, UPPER

# Court words and the abbreviations of Kazakhstan's specialized inter-district courts
# (СМАС administrative, МСАС, СМЭС economic, СМУС criminal, СМСНД juvenile).
_COURT_WORD = re.compile(
    r"(?<![\w-])(?:суд(?:а|у|ом|е)?|сот(?:ы|ының|тың)?|court|СМАС|МСАС|СМЭС|СМУС|СМСНД|МАС|МЭС)(?![\w-])",
    re.IGNORECASE,
)
_ABBREVIATION = re.compile(r"(?<![\w-])(?:СМАС|МСАС|СМЭС|СМУС|СМСНД)(?![\w-])")
# Lines of the header that are not part of the court's name.
_NOT_COURT = re.compile(
    r"(?:именем|атынан|in the name|постановлени|приговор|решени|определени|қаулы|үкім|шешім|ұйғарым|"
    r"judgment|decision|ruling|verdict|order|дело|делу|case|іс\b|№\s*[\w-]*\d[\w-]*[-/])",
    re.IGNORECASE,
)
_HEADER_LINES = 15
_HEADER_LINE_MAX = 160
# A court named in the opening sentence, up to where the sentence turns to the bench.
_BENCH = re.compile(
    r"\s*(?:,|\bв составе\b|\bпод председательством\b|\bпредседательствующ|\bсудья\b|\bтөрағалық\b|"
    r"\bcomposed\b|\bconsisting\b|\bpresided\b|\bwith\b|\bJudge\b)",
    re.IGNORECASE,
)


def find_court(head: str, text: str) -> str | None:
    """The court's name as the ruling writes it, in mixed case where the text repeats it so."""
    header, opening = _header_court(head), _opening_court(head)
    court = header or opening
    if header and opening and _generic(header) and header.casefold() in opening.casefold():
        court = opening  # "суд г. Алматы" above "Бостандыкский районный суд г. Алматы в составе …"
    if court is None:
        return None
    return _mixed_case(court, text) if court.isupper() and not _ABBREVIATION.search(court) else court


def _header_court(head: str) -> str | None:
    """The header block (consecutive short lines) that names a court, joined into one name."""
    lines = [line.strip() for line in head.splitlines()][: _HEADER_LINES * 2]
    for index, line in enumerate(lines):
        if not line or len(line) > _HEADER_LINE_MAX or not _COURT_WORD.search(line):
            continue
        if _NOT_COURT.search(line):
            continue
        block = [line]
        for before in reversed(lines[:index]):  # "ЖАМБЫЛ ОБЛЫСЫ" above "ШУ АУДАНЫНЫҢ … СОТЫ"
            if not _continues(before, line):
                break
            block.insert(0, before)
        for after in lines[index + 1 :]:  # "… СУД" above "ГОРОДА АЛМАТЫ"
            if not _continues(after, line):
                break
            block.append(after)
        return _columns_cut(" ".join(block))
    return None


def _generic(court: str) -> bool:
    """A court named by the word alone ("суд г. Алматы"), no type or level before it."""
    first = _COURT_WORD.match(court)
    return first is not None and first.start() == 0


def _continues(other: str, court_line: str) -> bool:
    """A neighbouring header line written like the court line (both capitals), not a heading of its own."""
    return (
        bool(other)
        and len(other) <= _HEADER_LINE_MAX
        and other.isupper() == court_line.isupper()
        and court_line.isupper()
        and not _NOT_COURT.search(other)
    )


def _columns_cut(line: str) -> str:
    """A header laid out in columns ("суд г. Шымкент            4 февраля 2020") or run on with a
    comma or into the bench ("суд г. Алматы, 17 ноября 2021 года") keeps the court's part."""
    first = " ".join(re.split(r"\s{3,}", line.strip())[0].split())
    court_word = _COURT_WORD.search(first)
    bench = _BENCH.search(first, court_word.end()) if court_word else None
    return first[: bench.start()] if bench else first


_PLACE_AFTER = re.compile(
    rf"^(?:\s+(?:№\s*\d+|г\.\s*[{UPPER}][{LOWER}-]+|города\s+[{UPPER}][{LOWER}-]+|"
    rf"[\w-]+(?:ой|ого|ий|ый)\s+(?:области|района)|(?:области|района)\s+[{UPPER}][{LOWER}-]+|"
    rf"по\s+делам\s+[{LOWER}]+|of\s+(?:the\s+)?(?:city\s+of\s+)?[{UPPER}][{LOWER}-]+(?:\s+Region)?))+"
)


def _opening_court(head: str) -> str | None:
    """ "Медеуский районный суд г. Алматы в составе …": the words from the paragraph's start to the
    court word, and the place after it."""
    for paragraph in re.split(r"\n\s*\n", head):
        paragraph = " ".join(paragraph.split())
        match = _COURT_WORD.search(paragraph[:200])
        if match is None or not 0 < len(paragraph[: match.start()].split()) <= 8:
            continue
        end = match.end()
        if place := _PLACE_AFTER.match(paragraph[end:]):
            end += place.end()
        name = paragraph[:end]
        if _BENCH.match(paragraph[end:]) or end == len(paragraph):
            return name.strip(" ,.")
    return None


def _mixed_case(court: str, text: str) -> str:
    """A header in capitals gives way to the same words written in mixed case elsewhere in the ruling."""
    words = court.split()
    pattern = r"\s+".join(re.escape(word) for word in words)
    for match in re.finditer(pattern, text, re.IGNORECASE):
        if not match.group(0).isupper():
            return " ".join(match.group(0).split())
    return court
