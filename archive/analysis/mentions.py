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
  - `w:KEY-KEY` — a run of name words that a head noun ends or, in Russian, starts
    (`name_heads.py`: `Norwegian Helsinki Committee`, `Верховный Суд`, `Проспект Абая`): an
    organisation or a place, of the kind the head says, with every word's key in order;
  - `i:LETTER KEY` — a surname with the initial of the given name;
  - `w:KEY` — a lone capitalised word (a surname, a place, anything else written as a name);
  - `s:KEY` — a capitalised word that starts a sentence: a name only where the same key is one
    elsewhere in the archive (`entity_groups.py`).

A capitalised word that also occurs in lower case in the same text is an ordinary word (`Rights`
beside `rights`), and so is a function word; a word that only starts a sentence is taken when it
is part of a longer name, or is written as a name elsewhere in the text.

Before these, a **title-case name** is taken whole, ordinary words and all, so that its name-shaped
words are not left over as lone names (`Bureau`, `Rule`, `Monitor`): capitalised words joined by
a preposition (`Bureau of Human Rights`, `Комитет по Делам`; `the` may follow it: `Office of the
High Commissioner`) and, after such a preposition, by `and` (`… Human Rights and Rule of Law`), or
a Latin-script acronym before capitalised words (`CIVICUS Monitor`). A line break may come between
its words. Its key is `w:` with every word's key joined by `-`, as for a model's span; its kind is
the one of the head noun before its first preposition (`Ministry of Justice`), NAME without one.
People stay out of it: `and` before any preposition ends it (`Ivanov and Petrov`,
`Zhanbolat Mamay and Rule of Law`), and so do two or more name words before its first preposition
(`Zhanbolat Mamay of the party`; after `the`, which no person's name follows, they are a name's:
`the International Bureau for`) or after its last ordinary word (`Minister of Information and
Social Development Dauren Abayev`); an `and` at its end with no ordinary word after it (`Ministry of
Justice and Ivanov`) is left out. A lone word before the first preposition that only ever starts
a sentence is no part of it (`Staff of the Bureau …`: a capital there says nothing). A Cyrillic
acronym is not joined: `председатель КНБ Масимов` is an apposition, the office and then the person.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from archive.analysis.aliases import AliasMatch, find_aliases
from archive.analysis.name_heads import name_kind
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
    r"(?:ович|евич|ьич|инич)\w{0,3}$|(?:овн|евн|ичн)(?:а|ы|е|у|ой|ою)$|(?:ұлы|улы|қызы|кызы)\w{0,4}$"
    r"|(?:ovich|evich|ovna|evna|ichna|uly|ul[iy]|qyzy|kyzy)\w{0,3}$"
)
# Words that join the capitalised words of one title-case name (module docstring): Kazakh names
# have postpositions and lower-case inner words, so only its `and` is here.
PREPOSITIONS = frozenset(("of", "for", "по", "для"))
ARTICLES = frozenset(("the",))
COORDINATORS = frozenset(("and", "и", "және"))
_AFTER_ARTICLE = re.compile(r"\b[Tt]he[ \t]+\Z")
# What a sentence starts after: its end, a line's start, and an opening quote, bracket, dash or list
# bullet (`• Introduces unjustified restrictions`: a list item starts as a sentence does).
_SENTENCE_END = re.compile(r"(?:^|[.!?…:;\n]|[.!?…]\s*[«\"“„(\[—–-])\s*[«\"“„(\[—–\-•◦▪‣●*]?\s*$")


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


def _capitalised(surface: str) -> bool:
    rest = surface[1:]
    return surface[0].isupper() and rest == rest.lower()  # one capital, not an acronym (ӘҚБтК)


def _initial(token: Token, text: str) -> bool:
    return len(token.surface) == 1 and token.surface.isupper() and text[token.end : token.end + 1] == "."


def _latin(token: Token) -> bool:
    return token.surface[:1].isascii()


def _starts_sentence(text: str, start: int) -> bool:
    return bool(_SENTENCE_END.search(text[max(0, start - 6) : start]))


def _acronym(token: Token) -> bool:
    """A Latin-script acronym, not a possessive one (`CIVICUS`, not `EU’s`)."""
    surface = token.surface
    return len(surface) > 1 and surface.isascii() and surface.isalpha() and surface.isupper()


def _name_word(token: Token) -> bool:
    """Written as a name: capitalised, no function word, no month or weekday."""
    return _written_as_name(token.surface, token.word, token.key)


@lru_cache(maxsize=100_000)
def _written_as_name(surface: str, word: str, key: str) -> bool:
    """`_name_word` of a token, kept by its surface: the mention rules ask it of every word."""
    return (len(surface) > 1 and _capitalised(surface) and bool(key) and not is_stopword(word)
            and word not in CALENDAR)


def _preposition(token: Token) -> bool:
    """A preposition that joins the words of a title-case name (written in lower case)."""
    return token.word in PREPOSITIONS and token.surface.islower()


def _joinable_gap(gap: str) -> bool:
    """Spaces with at most one line break: a name wrapped over two lines, not two paragraphs."""
    return gap.strip() == "" and gap.count("\n") <= 1 and len(gap) <= 3


def _title_run(tokens: list[Token], at: int, text: str) -> list[tuple[int, str]]:
    """The longest run from `tokens[at]` of (index, role) that title-case names are made of: roles
    `A` acronym (first only), `W` capitalised word, `H` a word joined to the previous by a hyphen
    (`Co-operation`), `P` preposition, `T` article after a preposition, `C` `and` after a preposition."""
    first = tokens[at]
    if not (_name_word(first) or _acronym(first)):
        return []
    run = [(at, "A" if _acronym(first) else "W")]
    for i in range(at + 1, len(tokens)):
        token, (previous, role) = tokens[i], run[-1]
        gap = text[tokens[previous].end : token.start]
        if gap == "-" and role in "WH" and token.surface[:1].isalpha():
            run.append((i, "H"))
        elif not _joinable_gap(gap):
            break
        elif _name_word(token):
            run.append((i, "W"))
        elif _preposition(token) and role in "AWH":
            run.append((i, "P"))
        elif token.word in ARTICLES and token.surface.islower() and role == "P":
            run.append((i, "T"))
        elif (token.word in COORDINATORS and token.surface.islower() and role in "WH"
              and any(r == "P" for _, r in run)):
            run.append((i, "C"))
        else:
            break
    return run


def _groups(run: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """The run split at its joining words: each group is the capitalised words between two."""
    groups: list[list[tuple[int, str]]] = [[]]
    for item in run:
        if item[1] in "PTC":
            if groups[-1]:
                groups.append([])
        else:
            groups[-1].append(item)
    return [g for g in groups if g]


def _trailing_names(
    group: list[tuple[int, str]], tokens: list[Token], lower: frozenset[str]
) -> tuple[int, int]:
    """How many name words (not ordinary ones, `rights`; not acronyms) end a group, and the position
    in the group where they start."""
    count, at = 0, len(group)
    for position in range(len(group) - 1, -1, -1):
        i, role = group[position]
        if role == "A" or tokens[i].word in lower:
            break
        count, at = count + (role == "W"), position
    return count, at


def _title_name(
    run: list[tuple[int, str]], tokens: list[Token], lower: frozenset[str], after_article: bool
) -> list[int]:
    """The token indices of the title-case name a run holds, trimmed of people; empty if none.
    ``after_article``: `the` comes just before the run, as it does before a name but not a person."""
    groups = _groups(run)
    if not groups:
        return []
    if (len(groups) > 1 and groups[0][0][1] != "A" and not after_article
            and _trailing_names(groups[0], tokens, lower)[0] >= 2):
        return []  # a person before `of`: Zhanbolat Mamay of the party
    last = groups[-1]
    names, at = _trailing_names(last, tokens, lower)
    if names >= 2 and at > 0:  # a person after the name: … and Social Development Dauren Abayev
        run = run[: run.index(last[at])]
    elif at == 0 and len(groups) > 1 and run[run.index(last[0]) - 1][1] == "C":
        run = run[: run.index(last[0])]  # Ministry of Justice and Ivanov: no ordinary word, a person apart
    while run and run[-1][1] in "PTC":
        run = run[:-1]
    roles = "".join(role for _, role in run)
    if "P" in roles or (roles.startswith("A") and "W" in roles):
        return [i for i, _ in run]
    return []


def _title_kind(name: list[Token]) -> str:
    """A title-case name's kind, as the head noun before its first preposition says (`Ministry of
    Justice`, `Комитет по делам`, `Republic of Kazakhstan`); NAME without one (`Rule of Law`)."""
    before = []
    for token in name:
        if _preposition(token):
            break
        before.append(token)
    return name_kind(before[0].word, before[-1].word) or NAME


def _after_article(text: str, start: int) -> bool:
    return bool(_AFTER_ARTICLE.search(text[max(0, start - 8) : start]))


def _title_names(tokens: list[Token], text: str, lower: frozenset[str]) -> list[list[int]]:
    """The token indices of each title-case name (module docstring), in reading order."""
    names: list[list[int]] = []
    after = 0  # the first token not yet looked at
    mid_sentence: set[str] | None = None  # words written with a capital inside a sentence, when needed
    for at in [i for i, t in enumerate(tokens) if t.surface[:1].isupper()]:
        if at < after:
            continue
        run = _title_run(tokens, at, text)
        if len(run) < 2:
            continue
        if run[1][1] == "P" and _starts_sentence(text, tokens[at].start):
            if mid_sentence is None:
                mid_sentence = {t.word for t in tokens if t.surface[:1].isupper()
                                and not _starts_sentence(text, t.start)}
            if tokens[at].word not in mid_sentence:
                continue  # Staff of the Bureau …: a capital that starts a sentence says nothing
        found = _title_name(run, tokens, lower, _after_article(text, tokens[at].start))
        if found:
            names.append(found)
            after = found[-1] + 1
        else:  # not from inside its first words either: Mamay of the party is no name
            after = _groups(run)[0][-1][0] + 1
    return names


def _words(tokens: list[Token], text: str, lower: frozenset[str]) -> list[list[_Word]]:
    """Runs of capitalised words and initials, split where anything but a space comes between."""
    runs: list[list[_Word]] = []
    run: list[_Word] = []
    previous_end = -1
    for token in tokens:
        # Neither an initial nor a name word starts in lower case: most words are passed over here.
        initial = name_like = False
        if token.surface[:1].isupper():
            initial = _initial(token, text)
            name_like = initial or (_name_word(token) and token.word not in lower)
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
        kind = name_kind(run[0].tokens[0].word, run[-1].tokens[-1].word)
        if kind is not None:  # Norwegian Helsinki Committee, Верховный Суд: named by a head noun
            return _joined_key(w.key for w in run if not w.initial), kind
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
    in_names: set[int] = set()
    for name in _title_names(free, text, lower):
        first, last = free[name[0]], free[name[-1]]
        key = _joined_key(free[i].key for i in name if free[i].key)
        mentions.append(Mention(first.start, last.end, text[first.start : last.end], key,
                                _title_kind([free[i] for i in name])))
        in_names.update(range(name[0], name[-1] + 1))
    if in_names:
        free = [t for i, t in enumerate(free) if i not in in_names]
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
        key = _joined_key(w.key for w in words if not w.initial)
    return Mention(start, end, text[start:end], key, kind)


def _joined_key(word_keys: Iterable[str]) -> str:
    """The key of a name of several words that is not a person's: every word's key, in order."""
    return "w:" + "-".join(word_keys)
