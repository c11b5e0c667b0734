"""Builds the backend-neutral query tree from a parsed query, through the shared analysis.

Every query word becomes one disjunction over its forms: the exact folded word, its stem, its name
key, and keys within one edit. A document that holds several query words near each other (a first
name and a surname, in either order) earns a proximity bonus, so the whole name outranks one part.
Glossary terms add their equivalents in the other two languages, and alias tables add the group of
a place or organisation whose names differ entirely between languages.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from archive.analysis import Token, expand_glossary, find_aliases, is_stopword, tokenize
from archive.index.base import (
    ALIASES,
    KEYS,
    STEMS,
    TITLE_KEYS,
    TITLE_WORDS,
    WORDS,
    AnyOf,
    Bool,
    Fuzzy,
    Phrase,
    Query,
    Term,
)
from archive.search.parser import Clause, ParsedQuery

# Boosts, in one place: exact spelling first, then stems and name keys, then near misses.
EXACT = 3.0
STEM = 2.0
KEY = 2.0
NEAR_KEY = 0.8
TITLE = 0.5
PROXIMITY = 4.0
ALIAS = 2.5
GLOSSARY = 1.0
PHRASE = 4.0

MIN_FUZZY_KEY = 5  # shorter keys have too many neighbours one edit away
PROXIMITY_SLOP = 2


@dataclass
class QueryPlan:
    query: Query | None
    tokens: list[Token] = field(default_factory=list)  # the positive query tokens, for explanations
    expansions: list[tuple[str, list[Token]]] = field(default_factory=list)  # (label, tokens)


def _significant(tokens: list[Token]) -> list[Token]:
    """Drops initials and function words, unless nothing else is left."""
    kept = [t for t in tokens if len(t.key) > 1 and not is_stopword(t.word)]
    return kept or [t for t in tokens if t.key]


def _word_forms(token: Token) -> Query:
    forms: list[Query] = [
        Term(WORDS, token.word, EXACT),
        Term(STEMS, token.stem, STEM),
        Term(KEYS, token.key, KEY),
    ]
    if len(token.key) >= MIN_FUZZY_KEY:
        forms.append(Fuzzy(KEYS, token.key, distance=1, prefix_length=0, boost=NEAR_KEY))
    forms += [Term(TITLE_WORDS, token.word, TITLE), Term(TITLE_KEYS, token.key, TITLE)]
    return AnyOf(tuple(forms))


def _phrase(tokens: list[Token], boost: float = PHRASE) -> Query:
    if len(tokens) == 1:
        return _word_forms(tokens[0])
    return AnyOf(
        (
            Phrase(WORDS, tuple(t.word for t in tokens), 0, boost),
            Phrase(KEYS, tuple(t.key for t in tokens), 0, boost / 2),
        )
    )


def _clause_query(clause: Clause) -> tuple[Query | None, list[Token]]:
    tokens = [t for t in tokenize(clause.text) if t.key]
    if not tokens:
        return None, []
    if clause.phrase or clause.excluded:
        return _phrase(tokens), tokens
    words = _significant(tokens)
    if len(words) == 1:
        return _word_forms(words[0]), words
    # a hyphenated or punctuated word (Ust-Kamenogorsk): its parts, preferably together
    return Bool(should=(*(_word_forms(t) for t in words), _phrase(words, PROXIMITY))), words


def _proximity(tokens: list[Token]) -> list[Query]:
    """Adjacent query words found near each other in either order: a full name, a set phrase."""
    bonus: list[Query] = []
    for first, second in itertools.pairwise(tokens):
        for a, b in ((first, second), (second, first)):
            bonus.append(Phrase(KEYS, (a.key, b.key), PROXIMITY_SLOP, PROXIMITY))
    return bonus


def _glossary(text: str) -> tuple[list[Query], list[tuple[str, list[Token]]]]:
    queries: list[Query] = []
    expansions: list[tuple[str, list[Token]]] = []
    for expansion in expand_glossary(text):
        tokens = [t for t in tokenize(expansion.phrase) if t.key]
        if not tokens:
            continue
        label = f"{expansion.source} → {expansion.phrase} ({expansion.language})"
        expansions.append((label, tokens))
        if len(tokens) == 1:
            only = tokens[0]
            queries.append(AnyOf((Term(STEMS, only.stem, GLOSSARY), Term(KEYS, only.key, GLOSSARY))))
        else:
            queries.append(
                AnyOf(
                    (
                        Phrase(STEMS, tuple(t.stem for t in tokens), 1, GLOSSARY * 1.5),
                        Phrase(KEYS, tuple(t.key for t in tokens), 1, GLOSSARY * 1.5),
                    )
                )
            )
    return queries, expansions


def plan(parsed: ParsedQuery) -> QueryPlan:
    must: list[Query] = []
    should: list[Query] = []
    must_not: list[Query] = []
    positive: list[Token] = []
    for group in parsed.groups:
        built = [(c, *_clause_query(c)) for c in group.alternatives]
        built = [(c, q, toks) for c, q, toks in built if q is not None]
        if not built:
            continue
        if len(built) == 1:
            clause, query, _tokens = built[0]
            if clause.excluded:
                must_not.append(query)
                continue
            (must if clause.required else should).append(query)
        else:
            should.append(Bool(should=tuple(q for _, q, _ in built)))
        positive += [t for _, _, toks in built for t in toks]
    if not must and not should:
        return QueryPlan(None)
    should += _proximity(_significant(positive)) if len(positive) > 1 else []
    positive_text = parsed.positive_text
    alias_tokens = tokenize(positive_text)
    should += [Term(ALIASES, m.group, ALIAS) for m in find_aliases(alias_tokens)]
    glossary_queries, expansions = _glossary(positive_text)
    should += glossary_queries
    if must:  # the optional parts only rank documents that hold every required part
        query: Query = Bool(must=tuple(must), should=tuple(should), must_not=tuple(must_not))
    else:
        query = Bool(should=tuple(should), must_not=tuple(must_not))
    return QueryPlan(query, positive, expansions)
