"""Name mentions in a document's text: people, places and organisations, each with where it is, how
it is written and its key.

Two sources, the alias table first:

* **aliases** (`aliases.py`, `data/aliases.tsv`): places and organisations whose names differ
  between languages; the mention's key is the alias group (`a:@shymkent`);
* **name-shaped capitalised sequences**: one to four capitalised words (a hyphen joins two into one
  word) with court-style initials (`Сыздыкбек С.`, `Д. А. Жуков`) and patronymics (`Андреевича`,
  `Сабитұлы`) recognised by their shape. Their key is built from the words' script-independent name
  keys (`keys.py`), so `Сыздыкбека Сабита` and `Sabit Syzdykbek` share one:
  - `p:KEY KEY` — a full name: given name and surname (patronymic left out), in sorted order;
  - `i:LETTER KEY` — a surname with the initial of the given name;
  - `w:KEY` — a lone capitalised word (a surname, a place, anything else written as a name);
  - `s:KEY` — a capitalised word that starts a sentence: a name only where the same key is one
    elsewhere in the archive (`entity_groups.py`).

A capitalised word that also occurs in lower case in the same text is an ordinary word (`Rights`
beside `rights`), and so is a function word; a word that only starts a sentence is taken when it
is part of a longer name, or is written as a name elsewhere in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from archive.analysis.aliases import AliasMatch, find_aliases
from archive.analysis.phrases import read_table
from archive.analysis.stopwords import is_stopword
from archive.analysis.tokenize import Token, tokenize

PERSON, PLACE, ORGANISATION, NAME = "person", "place", "organisation", "name"
KINDS = (PERSON, PLACE, ORGANISATION, NAME)
MAX_NAME_WORDS = 4  # a longer run of capitalised words is a heading or a title, not a person
CALENDAR = frozenset((  # written with a capital in English, never a name there
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
))
PLACE_WORDS = ("city", "capital", "country", "region", "district", "village", "river", "lake")

_PATRONYMIC = re.compile(
    r"(?:ович|евич|ьич|овн|евн|ичн|инич)\w{0,3}$|(?:ұлы|улы|қызы|кызы)\w{0,4}$"
    r"|(?:ovich|evich|ovna|evna|ichna|uly|ul[iy]|qyzy|kyzy)\w{0,3}$"
)
_SENTENCE_END = re.compile(r"(?:^|[.!?…:;\n]|[.!?…]\s*[«\"“„(\[—–-])\s*[«\"“„(\[—–-]?\s*$")


@dataclass(frozen=True)
class Mention:
    start: int  # character offsets in the analysed text
    end: int
    surface: str  # as written
    key: str  # `p:`, `i:`, `w:` or `a:` key (module docstring)
    kind: str  # one of KINDS; a lone word is NAME until grouping says more

    @property
    def word_keys(self) -> tuple[str, ...]:
        """The name keys of the words the key holds (an initial is one letter)."""
        return tuple(self.key[2:].split(" "))


@dataclass
class _Word:
    tokens: list[Token]
    initial: bool  # `С.`: one capital letter and a full stop

    @property
    def key(self) -> str:
        return "-".join(t.key for t in self.tokens)

    @property
    def start(self) -> int:
        return self.tokens[0].start

    @property
    def end(self) -> int:
        return self.tokens[-1].end + (1 if self.initial else 0)

    @property
    def patronymic(self) -> bool:
        return not self.initial and bool(_PATRONYMIC.search(self.tokens[-1].word))


@cache
def _alias_kinds() -> dict[str, str]:
    kinds = {}
    for row in read_table("aliases.tsv"):
        if len(row) >= 3:
            what = row[1].lower()
            kinds[row[0]] = PLACE if any(word in what for word in PLACE_WORDS) else ORGANISATION
    return kinds


def alias_kind(group: str) -> str:
    """Place or organisation, as the alias table's second column says."""
    return _alias_kinds().get(group, ORGANISATION)


def _capitalised(token: Token) -> bool:
    surface = token.surface
    return surface[0].isupper() and sum(ch.isupper() for ch in surface) == 1  # not an acronym (ӘҚБтК)


def _initial(token: Token, text: str) -> bool:
    return len(token.surface) == 1 and token.surface.isupper() and text[token.end : token.end + 1] == "."


def _latin(token: Token) -> bool:
    return token.surface[:1].isascii()


def _starts_sentence(text: str, start: int) -> bool:
    return bool(_SENTENCE_END.search(text[max(0, start - 6) : start]))


def _words(tokens: list[Token], text: str, lower: frozenset[str]) -> list[list[_Word]]:
    """Runs of capitalised words and initials, split where anything but a space comes between."""
    runs: list[list[_Word]] = []
    run: list[_Word] = []
    previous_end = -1
    for token in tokens:
        initial = _initial(token, text)
        name_like = initial or (
            len(token.surface) > 1 and _capitalised(token) and bool(token.key) and token.word not in lower
            and not is_stopword(token.word) and token.word not in CALENDAR
        )
        if not name_like:
            if run:
                runs.append(run)
            run, previous_end = [], -1
            continue
        gap = text[previous_end : token.start] if previous_end >= 0 else None
        after_initials = run and run[-1].initial and any(not w.initial for w in run)
        if run and not initial and not run[-1].initial and _latin(token) != _latin(run[-1].tokens[-1]):
            gap = None  # a Latin word beside a Cyrillic one (Кәкімованың Facebook) is not one name
        if run and gap == "-" and not run[-1].initial and not initial:
            run[-1].tokens.append(token)
        elif run and gap is not None and gap.strip() == "" and "\n" not in gap and len(gap) <= 2 and (
            initial or not after_initials
        ):
            run.append(_Word([token], initial))
        else:
            if run:
                runs.append(run)
            run = [_Word([token], initial)]
        previous_end = token.end + (1 if initial else 0)
    if run:
        runs.append(run)
    return runs


def _person_key(run: list[_Word]) -> tuple[str, str] | None:
    """The key and kind of a run of name words, or None when it is not a name."""
    initials = [w for w in run if w.initial]
    names = [w for w in run if not w.initial and not w.patronymic]
    if not names or len(run) > MAX_NAME_WORDS:
        return None
    if len(names) >= 2:
        return "p:" + " ".join(sorted(w.key for w in names[:2])), PERSON
    if initials:
        return f"i:{initials[0].tokens[0].key[:1]} {names[0].key}", PERSON
    if len(run) > 1:  # given name and patronymic: still one person, known by the given name
        return "w:" + names[0].key, PERSON
    return "w:" + names[0].key, NAME


def find_mentions(
    text: str, tokens: list[Token] | None = None, aliases: list[AliasMatch] | None = None
) -> list[Mention]:
    """Every name mention in `text`, in reading order; ``tokens`` and ``aliases``: the text's, if known."""
    tokens = tokenize(text) if tokens is None else tokens
    mentions: list[Mention] = []
    taken = [False] * len(tokens)
    for match in find_aliases(tokens) if aliases is None else aliases:
        first = tokens[match.start]
        if not first.surface[0].isupper():
            continue
        last = tokens[match.end - 1]
        mentions.append(Mention(first.start, last.end, text[first.start : last.end], "a:" + match.group,
                                alias_kind(match.group)))
        for i in range(match.start, match.end):
            taken[i] = True
    free = [t for t, used in zip(tokens, taken, strict=True) if not used]
    lower = frozenset(t.word for t in free if t.surface[:1].islower())
    runs = _words(free, text, lower)
    mid_sentence = {w.key for run in runs for w in run if not _starts_sentence(text, w.start)}
    for run in runs:
        while run and run[0].patronymic and len(run) == 1:
            run = run[1:]
        if not run or all(w.initial for w in run):
            continue
        first = run[0]
        if _starts_sentence(text, first.start) and first.key not in mid_sentence and not first.initial:
            # A capitalised first word of a sentence is a name only if it is one elsewhere: in this text
            # (checked here) or in the archive (`s:`, decided when mentions are grouped).
            mentions.append(Mention(first.start, first.end, text[first.start : first.end], "s:" + first.key,
                                    NAME))
            run = run[1:]
        if not run or all(w.initial for w in run):
            continue
        found = _person_key(run)
        if found is None:
            continue
        key, kind = found
        start, end = run[0].start, run[-1].end
        mentions.append(Mention(start, end, text[start:end], key, kind))
    mentions.sort(key=lambda m: m.start)
    return mentions


def with_spans(text: str, mentions: list[Mention], spans: list[tuple[int, int, str]]) -> list[Mention]:
    """The rules' mentions with a named-entity model's spans (start, end, kind) added: a word the rules
    could only take as starting a sentence (`s:`) is a name where a span holds it (`w:`), and a span
    the rules missed altogether becomes a mention of its own. Elsewhere the rules' keys stand."""
    result = list(mentions)
    for start, end, kind in spans:
        inside = [m for m in result if m.start < end and start < m.end]
        if not inside:
            found = _span_mention(text, start, end, kind)
            result += [found] if found is not None else []
        for m in inside:
            if m.key.startswith("s:"):
                result[result.index(m)] = Mention(m.start, m.end, m.surface, "w:" + m.key[2:], kind)
    result.sort(key=lambda m: m.start)
    return result


def _span_mention(text: str, start: int, end: int, kind: str) -> Mention | None:
    tokens = [t for t in tokenize(text[start:end]) if t.key]
    words = [_Word([t], _initial(t, text[start:end])) for t in tokens]
    if not words or all(w.initial for w in words):
        return None
    if kind == PERSON:
        found = _person_key(words)
        if found is None:
            return None
        key = found[0]
    else:
        key = "w:" + "-".join(w.key for w in words if not w.initial)
    return Mention(start, end, text[start:end], key, kind)
