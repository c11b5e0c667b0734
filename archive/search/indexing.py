"""Turns a document of the store into the analysed fields (and passages) every index backend receives."""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from operator import attrgetter

from archive.analysis import (
    AliasMatch,
    Token,
    find_aliases,
    name_candidates,
    reading_keys,
    tokenize,
    unstripped_key,
)
from archive.domain import WITHDRAWN, Document
from archive.index import base
from archive.search.dates import ARCHIVED, document_date

# A text longer than this (in characters) is also indexed as passages, so that its snippet is found
# from the engine's positions instead of by reading the text (archive/search/snippets.py).
LONG_TEXT = 20_000
PASSAGE_TOKENS = 200
# More than a snippet's width (explain.SNIPPET_TOKENS), so every snippet lies whole in one passage.
PASSAGE_OVERLAP = 50


def _terms(tokens: list[Token], attribute: str) -> str:
    return " ".join([value or "_" for value in map(attrgetter(attribute), tokens)])


def index_stem(token: Token) -> str:
    """The stem of a lower-case word; a capitalised word keeps its folded form. A language stemmer
    cuts names as if they were nouns (Оспанов → оспан, the stem of Оспан), and names are matched by
    their keys anyway."""
    return token.word if token.surface[:1].isupper() else token.stem


def _stems(tokens: list[Token]) -> str:
    return " ".join([index_stem(t) or "_" for t in tokens])


def _body_fields(tokens: list[Token], candidates: list[bool], aliases: list[AliasMatch]) -> dict[str, str]:
    """One term a token in WORDS, STEMS, KEYS and NAMES, so that positions line up across them.

    NAMES holds the keys of the words that may be names ("_" for the others: near keys meet only
    these), READINGS the keys of their other readings (`reading_keys`: other romanisations of Latin
    words, the other reading of an end Kazakh and Russian grammar read differently), UNSTRIPPED their
    keys with nothing stripped (where a query word's beginning is looked for)."""
    names = " ".join(t.key if keep else "_" for t, keep in zip(tokens, candidates, strict=True))
    kept = [t for t, keep in zip(tokens, candidates, strict=True) if keep]
    readings = dict.fromkeys(key for t in kept for key in reading_keys(t.word))
    unstripped = dict.fromkeys(unstripped_key(t.word) for t in kept)
    return {
        base.WORDS: _terms(tokens, "word"),
        base.STEMS: _stems(tokens),
        base.KEYS: _terms(tokens, "key"),
        base.NAMES: names,
        base.UNSTRIPPED: " ".join(unstripped),
        base.READINGS: " ".join(readings),
        base.ALIASES: " ".join(sorted({m.group for m in aliases})),
    }


def name_keys(text: str) -> Counter[str]:
    """How often each name key stands in `text`: the terms its NAMES field holds, "_" left out."""
    tokens = tokenize(text)
    return Counter(t.key for t, keep in zip(tokens, name_candidates(tokens), strict=True) if keep)


def analysed_fields(title: str, text: str) -> dict[str, str]:
    return _fields(tokenize(title), tokenize(text))[0]


def _fields(
    head: list[Token], body: list[Token], body_aliases: list[AliasMatch] | None = None
) -> tuple[dict[str, str], list[AliasMatch], list[bool]]:
    """The document's fields, and what its passages are cut from: the body's aliases and which of its
    words may be names (decided over the whole text: a word it writes in lower case is no name)."""
    body_aliases = find_aliases(body) if body_aliases is None else body_aliases
    candidates = name_candidates(body)
    fields = _body_fields(body, candidates, body_aliases + find_aliases(head))
    fields |= {
        base.TITLE_WORDS: _terms(head, "word"),
        base.TITLE_STEMS: _stems(head),
        base.TITLE_KEYS: _terms(head, "key"),
    }
    return fields, body_aliases, candidates


def _windows(count: int) -> Iterator[tuple[int, int]]:
    """Token ranges of PASSAGE_TOKENS overlapping by PASSAGE_OVERLAP, the last one ending at `count`."""
    start = 0
    while True:
        end = min(start + PASSAGE_TOKENS, count)
        yield start, end
        if end == count:
            return
        start += PASSAGE_TOKENS - PASSAGE_OVERLAP


def passages(
    text: str, tokens: list[Token], aliases: list[AliasMatch], candidates: list[bool]
) -> tuple[base.Passage, ...]:
    """The passages of a long text, from the tokens the document's own fields were built from."""
    if not tokens:
        return ()
    aliases = sorted(aliases, key=lambda m: m.start)
    starts = [m.start for m in aliases]
    cut = []
    for start, end in _windows(len(tokens)):
        nearby = aliases[bisect_left(starts, start) : bisect_left(starts, end)]
        fields = _body_fields(tokens[start:end], candidates[start:end], [m for m in nearby if m.end <= end])
        first, last = tokens[start].start, tokens[end - 1].end
        cut.append(base.Passage(first, last, text[first:last], end == len(tokens), fields))
    return tuple(cut)


@dataclass(frozen=True)
class Analysed:
    """The analysed fields and passages of a title and a text: the costly part of an index entry,
    which worker processes compute ahead of the writer."""

    title: str
    text: str
    fields: dict[str, str]
    passages: tuple[base.Passage, ...]


def analyse(
    title: str, text: str, body: list[Token] | None = None, aliases: list[AliasMatch] | None = None
) -> Analysed:
    """``body`` and ``aliases``: the text's tokens and the aliases among them, when the caller has them
    already (ingest finds names in them too)."""
    body = tokenize(text) if body is None else body
    fields, body_aliases, candidates = _fields(tokenize(title), body, aliases)
    cut = passages(text, body, body_aliases, candidates) if len(text) > LONG_TEXT else ()
    return Analysed(title, text, fields, cut)


def to_index_document(doc: Document, analysed: Analysed | None = None) -> base.IndexDocument:
    """The document's index entry; ``analysed`` is used when it is of the document's title and text."""
    if analysed is None or analysed.title != doc.title or analysed.text != doc.text:
        analysed = analyse(doc.title, doc.text)
    when = document_date(doc)
    return base.IndexDocument(
        id=doc.id,
        kind=str(doc.kind),
        language=doc.language,
        access=WITHDRAWN if doc.withdrawn is not None else str(doc.access),
        ingested_at=doc.ingested_at,
        collection=doc.collection,
        fields=analysed.fields,
        passages=analysed.passages,
        date=None if when.kind == ARCHIVED else when.moment,
        court=_keyword(doc.metadata.get("court")),
        publisher=_keyword(doc.metadata.get("publisher")),
    )


def _keyword(value: object) -> str:
    """A facet value as people wrote it, white space folded (a court's name is no search term)."""
    return " ".join(str(value).split())[:base.MAX_KEYWORD] if isinstance(value, str) else ""
