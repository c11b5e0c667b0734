"""The query syntax researchers know from web search engines.

    word            should appear (documents with more of the words rank higher)
    "a phrase"      must appear, these words in this order
    +word           must appear
    -word -"a b"    must not appear
    a OR b          either one (also `a | b`)
    a AND b         both must appear
    NOT word        must not appear

Every other operator character is treated as a separator, so a pasted query full of brackets,
colons or wildcards still searches its words instead of failing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_PIECES = re.compile(r'([+-]?)"([^"]*)"?|(\S+)')
_OPERATOR_CHARS = re.compile(r"[\\/:!(){}\[\]^~*?<>=&|+\"]+")
_OR_WORDS = {"OR", "|", "||"}
_AND_WORDS = {"AND", "&&"}
_NOT_WORDS = {"NOT"}


@dataclass(frozen=True)
class Clause:
    text: str
    phrase: bool = False
    required: bool = False
    excluded: bool = False


@dataclass
class Group:
    """Alternatives joined by OR; a plain word is a group of one."""

    alternatives: list[Clause] = field(default_factory=list)


@dataclass
class ParsedQuery:
    raw: str
    groups: list[Group] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(c.text for g in self.groups for c in g.alternatives if not c.excluded)

    @property
    def positive_text(self) -> str:
        """The words the user wants found, for analysis that works on plain text."""
        return " ".join(c.text for g in self.groups for c in g.alternatives if not c.excluded)


def _clean(text: str) -> str:
    words = (w.strip("-'.,;") for w in _OPERATOR_CHARS.sub(" ", text).split())
    return " ".join(w for w in words if w)


def _require_last(parsed: ParsedQuery) -> bool:
    """`a AND b`: the clause before AND becomes required too; says whether there was one."""
    if not parsed.groups or len(parsed.groups[-1].alternatives) != 1:
        return bool(parsed.groups)
    last = parsed.groups[-1].alternatives[0]
    if not last.excluded:
        parsed.groups[-1].alternatives[0] = Clause(last.text, last.phrase, required=True)
    return True


def _clause(sign: str, quoted: str | None, bare: str | None) -> Clause:
    if quoted is not None:
        return Clause(_clean(quoted), phrase=True, required=sign != "-", excluded=sign == "-")
    assert bare is not None
    if len(bare) > 1 and bare[0] in "+-":
        sign, bare = sign or bare[0], bare[1:]
    return Clause(_clean(bare), required=sign == "+", excluded=sign == "-")


def parse_query(raw: str) -> ParsedQuery:
    parsed = ParsedQuery(raw=raw)
    join_next = require_next = exclude_next = False
    for match in _PIECES.finditer(raw or ""):
        sign, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare in _OR_WORDS:
            last = parsed.groups[-1].alternatives[-1] if parsed.groups else None
            join_next = last is not None and not last.excluded
            continue
        if bare in _AND_WORDS:
            require_next = _require_last(parsed)
            continue
        if bare in _NOT_WORDS:
            exclude_next = True
            continue
        clause = _clause("-" if exclude_next else sign, quoted, bare)
        exclude_next = False
        if not clause.text:
            continue
        if require_next and not clause.excluded:
            clause = Clause(clause.text, clause.phrase, required=True)
        require_next = False
        if join_next and not clause.excluded:
            parsed.groups[-1].alternatives.append(clause)
        else:
            parsed.groups.append(Group([clause]))
        join_next = False
    for group in parsed.groups:  # inside an OR group, each side is only one alternative
        if len(group.alternatives) > 1:
            group.alternatives = [Clause(c.text, c.phrase) for c in group.alternatives]
    return parsed
