"""Builds the backend-neutral query tree from a parsed query, through the shared analysis.

Every query word becomes a *concept*: one disjunction over its exact folded form, its stem, its name
key, the keys one likely edit away, and its equivalents in the other two languages from the
glossary. A document scores by how many concepts it holds, whatever the language it holds them in.
Adjacent query words found in one document earn a bonus, more when they stand near each other in
either order, so a whole name outranks one part of it. Places and organisations whose names differ
entirely between languages come from the alias table.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from archive.analysis import (
    GlossaryExpansion,
    Token,
    expand_glossary,
    find_aliases,
    is_stopword,
    neighbours,
    tokenize,
    unstripped_key,
)
from archive.index.base import (
    ALIASES,
    KEYS,
    STEMS,
    TITLE_KEYS,
    TITLE_WORDS,
    WORDS,
    AnyOf,
    Bool,
    Phrase,
    Query,
    Term,
)
from archive.search.parser import Clause, ParsedQuery
from archive.translation import Translation

# Boosts, in one place: exact spelling first, then stems and name keys, then near misses.
EXACT = 3.0
STEM = 2.0
KEY = 2.0
NEAR_KEY = 1.5
TITLE = 0.5
GLOSSARY = 2.5  # an equivalent in another language counts nearly as much as the word itself
TRANSLATION = 0.5
PHRASE = 4.0
PROXIMITY = 4.0
TOGETHER = 0.5
ALIAS = 2.5

MIN_NEAR_WEIGHT = 0.4  # below this a one-letter difference is more likely another name
PROXIMITY_SLOP = 2
MAX_TOGETHER_WORDS = 3  # a name or a set phrase; in a longer query the words stand for a topic
GLOSSARY_SLOP = 1


@dataclass
class QueryPlan:
    query: Query | None
    tokens: list[Token] = field(default_factory=list)  # the positive query tokens, for explanations
    expansions: list[tuple[str, list[Token]]] = field(default_factory=list)  # (label, tokens)


def _is_weak(token: Token) -> bool:
    """An initial or a function word: it cannot find a document on its own."""
    return len(token.key) <= 1 or is_stopword(token.word)


def _significant(tokens: list[Token]) -> list[Token]:
    """Drops initials and function words, unless nothing else is left."""
    return [t for t in tokens if not _is_weak(t)] or tokens


def near_keys(token: Token) -> dict[str, float]:
    """Keys one edit away from the word's key, and from its key with nothing stripped, by likeness."""
    near = dict(neighbours(token.key))
    raw = unstripped_key(token.surface)
    if raw != token.key:
        near[raw] = 1.0
        for key, weight in neighbours(raw):
            near[key] = max(weight, near.get(key, 0.0))
    near.pop(token.key, None)
    return {key: weight for key, weight in near.items() if weight >= MIN_NEAR_WEIGHT}


@lru_cache(maxsize=4096)
def _word_forms(token: Token) -> tuple[Query, ...]:
    forms: list[Query] = [
        Term(WORDS, token.word, EXACT),
        Term(STEMS, token.stem, STEM),
        Term(KEYS, token.key, KEY),
    ]
    forms += [Term(KEYS, key, NEAR_KEY * weight) for key, weight in near_keys(token).items()]
    forms += [Term(TITLE_WORDS, token.word, TITLE), Term(TITLE_KEYS, token.key, TITLE)]
    return tuple(forms)


def _equivalent(tokens: list[Token]) -> Query:
    """A glossary phrase in another language, matched by stems or keys, its words kept together."""
    if len(tokens) == 1:
        return AnyOf((Term(STEMS, tokens[0].stem, GLOSSARY), Term(KEYS, tokens[0].key, GLOSSARY)))
    return AnyOf(
        (
            Phrase(STEMS, tuple(t.stem for t in tokens), GLOSSARY_SLOP, GLOSSARY),
            Phrase(KEYS, tuple(t.key for t in tokens), GLOSSARY_SLOP, GLOSSARY),
        )
    )


class _Concepts:
    """Each query word with the other-language equivalents of the glossary terms it belongs to."""

    def __init__(self, expansions: list[GlossaryExpansion]):
        self.extra: dict[str, list[Query]] = defaultdict(list)
        self.labelled: list[tuple[str, list[Token]]] = []
        for expansion in expansions:
            tokens = _significant([t for t in tokenize(expansion.phrase) if t.key])
            if not tokens:
                continue
            self.labelled.append((f"{expansion.source} → {expansion.phrase} ({expansion.language})", tokens))
            for word in {t.word for t in tokenize(expansion.source)}:
                self.extra[word].append(_equivalent(tokens))

    def of(self, token: Token) -> Query:
        return AnyOf((*_word_forms(token), *self.extra.get(token.word, ())))


def _phrase(tokens: list[Token]) -> Query:
    return AnyOf(
        (
            Phrase(WORDS, tuple(t.word for t in tokens), 0, PHRASE),
            Phrase(KEYS, tuple(t.key for t in tokens), 0, PHRASE / 2),
        )
    )


def _clause_query(clause: Clause, tokens: list[Token], concepts: _Concepts) -> tuple[Query, list[Token]]:
    if clause.phrase or clause.excluded:
        return (_phrase(tokens) if len(tokens) > 1 else concepts.of(tokens[0])), tokens
    words = _significant(tokens)
    if len(words) == 1:
        return concepts.of(words[0]), words
    # a hyphenated or punctuated word (Ust-Kamenogorsk): its parts, preferably together
    parts = (*(concepts.of(t) for t in words), Phrase(KEYS, tuple(t.key for t in words), 0, PROXIMITY))
    return Bool(should=parts), words


def _together(tokens: list[Token], concepts: _Concepts) -> list[Query]:
    """Bonuses for adjacent query words found in one document, more when near each other in either
    order: a first name and a surname, a set phrase. Near spellings and equivalents count for the
    first bonus, so a typo in one part still lets the whole name outrank documents with one part."""
    bonus: list[Query] = []
    for first, second in itertools.pairwise(tokens):
        bonus.append(Bool(must=(concepts.of(first), concepts.of(second)), boost=TOGETHER))
        bonus.append(Phrase(KEYS, (first.key, second.key), PROXIMITY_SLOP, PROXIMITY))
    return bonus


def _translations(translations: Iterable[Translation]) -> tuple[list[Query], list[tuple[str, list[Token]]]]:
    """Machine translations of the whole query: bags of words, as their phrasing rarely matches."""
    queries: list[Query] = []
    labelled: list[tuple[str, list[Token]]] = []
    for translation in translations:
        tokens = _significant([t for t in tokenize(translation.text) if t.key])
        if tokens:
            labelled.append((f"translation ({translation.language}): {translation.text}", tokens))
            words = tuple(AnyOf((Term(STEMS, t.stem), Term(KEYS, t.key))) for t in tokens)
            queries.append(Bool(should=words, boost=TRANSLATION))
    return queries, labelled


def plan(parsed: ParsedQuery, translations: Iterable[Translation] = ()) -> QueryPlan:
    positive_text = parsed.positive_text
    concepts = _Concepts(expand_glossary(positive_text))
    analysed = [[(c, [t for t in tokenize(c.text) if t.key]) for c in g.alternatives] for g in parsed.groups]
    has_strong = any(not _is_weak(t) for g in analysed for c, ts in g if not c.excluded for t in ts)
    must: list[Query] = []
    should: list[Query] = []
    must_not: list[Query] = []
    positive: list[Token] = []
    for group in analysed:
        built = [
            (clause, *_clause_query(clause, tokens, concepts))
            for clause, tokens in group
            if tokens
            and (clause.phrase or clause.excluded or not has_strong or not all(map(_is_weak, tokens)))
        ]
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
    words = _significant(positive)
    if 1 < len(words) <= MAX_TOGETHER_WORDS:
        should += _together(words, concepts)
    should += [Term(ALIASES, m.group, ALIAS) for m in find_aliases(tokenize(positive_text))]
    translated, translation_labels = _translations(translations)
    should += translated
    if must:  # the optional parts only rank documents that hold every required part
        query: Query = Bool(must=tuple(must), should=tuple(should), must_not=tuple(must_not))
    else:
        query = Bool(should=tuple(should), must_not=tuple(must_not))
    return QueryPlan(query, positive, concepts.labelled + translation_labels)
