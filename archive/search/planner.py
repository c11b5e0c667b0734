"""Builds the backend-neutral query tree from a parsed query, through the shared analysis.

Every query word becomes a *concept*: one disjunction over its exact folded form, its stem, its name
key, and its equivalents from the glossary (its other forms too); failing those, the keys one
likely edit away. A concept scores in two tiers: a document that holds the word itself (any of the
forms above) gets a fixed score that no near spelling reaches, plus its term statistics; a document
that holds only a near spelling of a name gets a smaller fixed score by how likely the spelling is
the same name. So a document holding the name ranks above every document holding only a look-alike,
whatever their lengths. Near spellings meet only the document words that may be names
(`archive.analysis.vocabulary`), never ordinary words one letter from the name. Within the first
tier, a document holding the word where it may be a name earns more ("Дании" before "дань" and the
Kazakh ending "-дан", which share the key of Дания), and more again where that name begins as the
word does with nothing stripped ("Дании" before the name "Дана", of the same key). A word written
with a capital may be a name even when the glossary or a word list knows it: it keeps the tiers, and
holds by its glossary equivalents only in a fixed tier between the two, since the glossary meets a
name through a short stem or key (Анна: ана "mother") as often as through its meaning (Семей: the
city, and "families").

A document scores by how many concepts it holds, whatever the language it holds them in. Adjacent
query words found in one document earn a bonus, more when they stand near each other in either
order, so a whole name outranks one part of it. A multi-word glossary term in the query is one
concept, matched as that phrase (or its equivalents), never through one of its words, and weighs as
much as a one-word concept. A document holding several forms of a glossary term in the query's
language (rally, gathering, assembly) earns a share more for each: a report about a topic names it
in several ways, a short story in passing uses the query's words once. Quoted words
stay together and in order in every spelling and in the glossary's other languages. Places and
organisations whose names differ entirely between languages come from the alias table.

In exact mode a word matches only its typed form (case-insensitive): no stems, keys, near keys,
glossary, aliases or translations.

In name mode (a row of a batch name search) the text is one name: every word of it but initials and
function words is required, and found only where a document may hold it as a name (the NAMES and
READINGS fields, by its key, its romanisations and near keys, or the alias groups of a place): an
ordinary word of a document never makes a name match. No glossary, no translations.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache, partial

from archive.analysis import (
    GlossaryExpansion,
    Token,
    expand_glossary,
    find_aliases,
    find_near_aliases,
    is_dictionary_word,
    is_stopword,
    neighbours,
    reading_keys,
    tokenize,
    unstripped_key,
)
from archive.analysis.kazakh import has_kazakh_letters
from archive.analysis.normalize import is_cyrillic
from archive.analysis.similarity import VOWELS
from archive.index.base import (
    ALIASES,
    KEYS,
    NAMES,
    READINGS,
    STEMS,
    TITLE_KEYS,
    TITLE_WORDS,
    UNSTRIPPED,
    WORDS,
    AnyOf,
    Bool,
    Constant,
    Phrase,
    Prefix,
    Query,
    Term,
)
from archive.search.parser import Clause, ParsedQuery
from archive.translation import Translation

# Boosts, in one place: exact spelling first, then stems and name keys, then near misses.
EXACT = 3.0
STEM = 2.0
KEY = 2.0
TITLE = 0.5
GLOSSARY = 2.5  # an equivalent in another language counts nearly as much as the word itself
TRANSLATION = 0.5
PHRASE = 4.0
PROXIMITY = 4.0
TOGETHER = 0.5
ALIAS = 2.5
FORMS = 0.3  # each further form of a glossary term a document holds adds this share
# The two fixed tiers of a concept: holding the word itself, holding only a near spelling of it.
HELD = 4.0
NEAR = 1.5  # times the likeness (at most 1): always below HELD
# Holding the word where it may be a name (capitalised, never in lower case in that document) adds
# this: "Дании" in a sentence about Denmark before "дань" (tribute) or "-дан" (a case ending), which
# share its key. Below HELD, so a document holding more of the query's words still ranks first.
AS_NAME = 1.5
AGREES = 1.5  # and this where that name begins as the query word does (Дании for Дания, not Дана)
MIN_BEGINNING = 4  # letters of a key; a shorter beginning is shared by too many names
# A word that may be a name, held only by a glossary equivalent: below HELD, above any near spelling
# (a fixed score, as a near spelling's, so that no term statistics lift it over the word itself).
EQUIVALENT = 3.0
STATISTICS = 0.25  # the weight of term statistics (BM25) beside the tiers: they order within a tier

MIN_NEAR_WEIGHT = 0.4  # below this a one-letter difference is more likely another name
MIN_STEM = 3  # a shorter stem is another word as often as the same one
PROXIMITY_SLOP = 2
MAX_TOGETHER_WORDS = 3  # a name or a set phrase; in a longer query the words stand for a topic
GLOSSARY_SLOP = 1


@dataclass
class QueryPlan:
    query: Query | None
    tokens: list[Token] = field(default_factory=list)  # the positive query tokens, for explanations
    expansions: list[tuple[str, list[Token]]] = field(default_factory=list)  # (label, tokens)
    exact: bool = False  # True: documents matched only the typed forms (`Token.word`) of `tokens`


def _is_weak(token: Token, name: bool = False) -> bool:
    """An initial or a function word: it cannot find a document on its own. In a name, a function
    word written with a capital is a word of the name ("Nobody Here"), one in lower case a link
    ("Union of Journalists")."""
    if len(token.key) <= 1:
        return True
    return is_stopword(token.word) and not (name and token.surface[:1].isupper())


def _significant(tokens: list[Token], name: bool = False) -> list[Token]:
    """Drops initials and function words, unless nothing else is left."""
    return [t for t in tokens if not _is_weak(t, name)] or tokens


def near_keys(token: Token) -> dict[str, float]:
    """Keys one edit away from the word's key, and from its key with nothing stripped, by likeness;
    none for an ordinary word of a word list (a topic word, not a name). In documents they meet only
    the words that may be names (the NAMES field)."""
    if is_dictionary_word(token.word):
        return {}
    near = dict(neighbours(token.key))
    raw = unstripped_key(token.surface)
    if raw != token.key:
        near[raw] = 1.0
        for key, weight in neighbours(raw):
            near[key] = max(weight, near.get(key, 0.0))
    near.pop(token.key, None)
    return {key: weight for key, weight in near.items() if weight >= MIN_NEAR_WEIGHT}


def stem_usable(token: Token) -> bool:
    """A stem long enough not to be another word; for a Cyrillic word the Russian stemmer knows
    nothing of (a name: Мамаю → мама), the key does the work instead."""
    if len(token.stem) < MIN_STEM and token.stem != token.word:
        return False
    if is_cyrillic(token.word) and not has_kazakh_letters(token.word):
        return token.stem == token.word or is_dictionary_word(token.word)
    return True


@lru_cache(maxsize=4096)
def _near_names(token: Token) -> tuple[Query, ...]:
    """The near keys as fixed scores among the document words that may be names."""
    return tuple(Constant(Term(NAMES, key), NEAR * weight) for key, weight in near_keys(token).items())


@lru_cache(maxsize=4096)
def _held_forms(token: Token) -> tuple[Query, ...]:
    forms: list[Query] = [Term(WORDS, token.word, EXACT), Term(KEYS, token.key, KEY)]
    # every romanisation: the other readings of a Latin word, and the words so read in documents
    readings = reading_keys(token.word)
    forms += [Term(KEYS, key, KEY) for key in readings]
    forms += [Term(READINGS, key, KEY) for key in (token.key, *readings)]
    if stem_usable(token):
        forms.append(Term(STEMS, token.stem, STEM))
    forms += [Term(TITLE_WORDS, token.word, TITLE), Term(TITLE_KEYS, token.key, TITLE)]
    return tuple(forms)


@lru_cache(maxsize=4096)
def _name_forms(token: Token, exact: bool) -> tuple[Query, ...]:
    """The word among a document's possible names: its key, and but in exact mode its other
    romanisations and near keys."""
    if exact:
        return (Term(NAMES, token.key),)
    return (*_among_names(token), *(Term(NAMES, key) for key in near_keys(token)))


def _among_names(token: Token) -> tuple[Query, ...]:
    """The word's key and the keys of its other readings, among a document's possible names."""
    keys = (token.key, *reading_keys(token.word))
    return (*(Term(NAMES, key) for key in keys), *(Term(READINGS, key) for key in keys))


def _beginning(token: Token) -> str | None:
    """The word's key with nothing stripped but a last vowel (Дания: dani), which its case forms
    begin with and a name of the same key rarely does (Дана: dana); None when too short to tell."""
    raw = unstripped_key(token.surface)
    beginning = raw[:-1] if raw[-1:] in VOWELS else raw
    return beginning if len(beginning) >= MIN_BEGINNING else None


@lru_cache(maxsize=4096)
def _as_name(token: Token) -> tuple[Query, ...]:
    """The fixed scores of a document holding the word among its possible names: AS_NAME, and
    AGREES more where that name begins as the word does."""
    beginning = _beginning(token)
    agrees = (Constant(Prefix(UNSTRIPPED, beginning), AGREES),) if beginning else ()
    return (Constant(AnyOf(_among_names(token)), AS_NAME), *agrees)


def _tiered(held: tuple[Query, ...], near: list[Query], as_name: tuple[Query, ...] = ()) -> Query:
    """The two tiers: the fixed HELD score plus term statistics for the word itself (and the scores
    of `as_name` where it may be a name), else the fixed score of the likeliest near spelling found
    among the document's possible names (`near`)."""
    itself = Bool(must=(Constant(AnyOf(held), HELD),), should=(*as_name, AnyOf(held, STATISTICS)))
    return AnyOf((itself, *near)) if near else itself


def _equivalent(tokens: list[Token]) -> Query:
    """A glossary phrase in another language, matched by stems or keys, its words kept together."""
    if len(tokens) == 1:
        t = tokens[0]
        forms: tuple[Query, ...] = (Term(KEYS, t.key, GLOSSARY),)
        if stem_usable(t):
            forms += (Term(STEMS, t.stem, GLOSSARY),)
        return AnyOf(forms)
    return AnyOf(
        (
            Phrase(STEMS, tuple(t.stem for t in tokens), GLOSSARY_SLOP, GLOSSARY),
            Phrase(KEYS, tuple(t.key for t in tokens), GLOSSARY_SLOP, GLOSSARY),
        )
    )


def _with_forms(itself: Query, forms: list[Query], synonyms: set[Query]) -> Query:
    """A glossary term: the best of the query's own words and the term's forms, and a share more for
    each of its other forms in the query's language (`synonyms`) a document holds. A report about
    the topic names it in several ways (rally, gathering, assembly), a passing mention in one."""
    forms = list(dict.fromkeys(forms))
    best = AnyOf((itself, *forms))
    several = tuple(form for form in forms if form in synonyms)
    return Bool(should=(best, Bool(should=several, boost=FORMS))) if several else best


def _equivalents(forms: list[Query]) -> list[Query]:
    """The glossary equivalents of a word that may be a name, in the fixed EQUIVALENT tier."""
    return [Constant(AnyOf(tuple(dict.fromkeys(forms))), EQUIVALENT)] if forms else []


def _words_of(text: str) -> tuple[str, ...]:
    return tuple(t.word for t in tokenize(text) if t.key and not is_stopword(t.word))


class _Concepts:
    """The query's words and glossary terms, with the other-language equivalents of each term.

    A single-word term adds its equivalents to that word; a term of several words is kept whole
    (`phrases`), so that one of its words alone never brings its equivalents."""

    def __init__(self, expansions: list[GlossaryExpansion], text: str = ""):
        self.extra: dict[str, list[Query]] = {}
        self.aliases: dict[str, list[Query]] = {}  # word → its alias groups, held like the word
        self.near_aliases: dict[str, dict[str, float]] = {}
        self._add_aliases(text)
        self.phrases: dict[tuple[str, ...], list[Query]] = {}
        self.synonyms: set[Query] = set()  # the equivalents that are forms in the query's own language
        self._built: dict[Token, Query] = {}
        self.labelled: list[tuple[str, list[Token]]] = []
        for expansion in expansions:
            tokens = _significant([t for t in tokenize(expansion.phrase) if t.key])
            if not tokens:
                continue
            self.labelled.append((f"{expansion.source} → {expansion.phrase} ({expansion.language})", tokens))
            source = _words_of(expansion.source)
            equivalent = _equivalent(tokens)
            if expansion.synonym:
                self.synonyms.add(equivalent)
            if len(source) == 1:
                self.extra.setdefault(source[0], []).append(equivalent)
            elif source:
                self.phrases.setdefault(source, []).append(equivalent)

    def _add_aliases(self, text: str) -> None:
        """A word inside a place's or organisation's name also holds by any other name of it."""
        tokens = tokenize(text)
        for match in find_aliases(tokens):
            for token in tokens[match.start : match.end]:
                self.aliases.setdefault(token.word, []).append(Term(ALIASES, match.group, ALIAS))
        for token in tokens:
            if token.word not in self.aliases:
                near = find_near_aliases([token])
                if near:
                    self.near_aliases[token.word] = near

    def of(self, token: Token) -> Query:
        if token not in self._built:
            self._built[token] = self._concept(token)
        return self._built[token]

    def _concept(self, token: Token) -> Query:
        held = (*_held_forms(token), *self.aliases.get(token.word, ()))
        extra = self.extra.get(token.word, [])
        if (extra or is_dictionary_word(token.word)) and not token.surface[:1].isupper():
            # a word of the language: ranked by term statistics, its equivalents nearly as its own;
            # written with a capital, it may be a name (Семей, Анна) and keeps the tiers below
            return _with_forms(AnyOf(held), extra, self.synonyms) if extra else AnyOf(held)
        near = [
            Constant(Term(ALIASES, group), NEAR * weight)
            for group, weight in self.near_aliases.get(token.word, {}).items()
        ]
        return _tiered(held, [*_near_names(token), *near, *_equivalents(extra)], _as_name(token))

    def named(self, query: Query, tokens: list[Token], exact: bool) -> Query:
        """`query`, where a document may hold each of the words as a name (or a place by another of
        its names). The names only filter, with no score: `query` ranks."""
        held = []
        for token in _significant(tokens, name=True):
            aliases = [Term(ALIASES, group) for group in self.near_aliases.get(token.word, {})]
            forms = (*_name_forms(token, exact), *self.aliases.get(token.word, ()), *aliases)
            held.append(Constant(AnyOf(forms), 0.0))
        return Bool(must=(query, *held))

    def phrase(self, tokens: list[Token], boost: float = PHRASE) -> Query:
        """The words together and in order, in any spelling or case form, or an equivalent."""
        words = tuple(t.word for t in tokens)
        equivalents = self._inside(tuple(w for w in words if not is_stopword(w)))
        held: tuple[Query, ...] = (
            Phrase(WORDS, words, 0, boost),
            Phrase(KEYS, tuple(t.key for t in tokens), 0, boost / 2),
            *equivalents,
        )
        if all(map(stem_usable, tokens)):
            held += (Phrase(STEMS, tuple(t.stem for t in tokens), 0, boost / 2),)
        return _with_forms(AnyOf(held), equivalents, self.synonyms) if equivalents else _tiered(held, [])

    def term(self, tokens: list[Token]) -> Query:
        """A multi-word glossary term of the query: one concept, weighing as much as one word (a
        phrase's statistics add up those of its words)."""
        return self.phrase(tokens, EXACT / len(_significant(tokens)))

    def _inside(self, words: tuple[str, ...]) -> list[Query]:
        """Equivalents of the glossary terms these words spell, and of the multi-word terms inside
        them ("защита чести и достоинства" also brings "honour and dignity")."""
        found: list[Query] = []
        for term, equivalents in self.phrases.items():
            if any(words[i : i + len(term)] == term for i in range(len(words) - len(term) + 1)):
                found += equivalents
        return found


def _exact_word(token: Token) -> Query:
    return AnyOf((Term(WORDS, token.word, EXACT), Term(TITLE_WORDS, token.word, TITLE)))


def _exact_phrase(tokens: list[Token]) -> Query:
    words = tuple(t.word for t in tokens)
    return AnyOf((Phrase(WORDS, words, 0, PHRASE), Phrase(TITLE_WORDS, words, 0, TITLE)))


class _Builder:
    """Turns clauses into queries, in the normal or the exact mode."""

    def __init__(self, concepts: _Concepts, exact: bool, name: bool = False):
        self.concepts = concepts
        self.exact = exact
        self.name = name

    def word(self, token: Token) -> Query:
        return _exact_word(token) if self.exact else self.concepts.of(token)

    def phrase(self, tokens: list[Token]) -> Query:
        if len(tokens) == 1:
            return self.word(tokens[0])
        return _exact_phrase(tokens) if self.exact else self.concepts.phrase(tokens)

    def clause(self, clause: Clause, tokens: list[Token]) -> tuple[Query, list[Token]]:
        if clause.phrase or clause.excluded:
            return self.phrase(tokens), tokens
        words = _significant(tokens, self.name)
        if len(words) == 1:
            return self.word(words[0]), words
        # a hyphenated or punctuated word (Ust-Kamenogorsk): its parts, preferably together
        together = (
            _exact_phrase(words) if self.exact else Phrase(KEYS, tuple(t.key for t in words), 0, PROXIMITY)
        )
        return Bool(should=(*(self.word(t) for t in words), together)), words

    def together(self, tokens: list[Token]) -> list[Query]:
        """Bonuses for adjacent query words found in one document, more when near each other in
        either order: a first name and a surname, a set phrase. Near spellings and equivalents count
        for the first bonus, so a typo in one part still lets the whole name outrank documents with
        one part."""
        field_name = WORDS if self.exact else KEYS
        bonus: list[Query] = []
        for first, second in itertools.pairwise(tokens):
            bonus.append(Bool(must=(self.word(first), self.word(second)), boost=TOGETHER))
            values = (first.word, second.word) if self.exact else (first.key, second.key)
            bonus.append(Phrase(field_name, values, PROXIMITY_SLOP, PROXIMITY))
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


def _glossary_terms(groups: list[list[tuple[Clause, list[Token]]]], concepts: _Concepts) -> list[list[int]]:
    """Runs of plain one-word groups that spell a multi-word glossary term (function words between
    them included): each run becomes one concept."""
    if not concepts.phrases:
        return []

    def plain_word(i: int) -> str | None:
        group = groups[i]
        if len(group) != 1 or group[0][0].phrase or group[0][0].excluded or len(group[0][1]) != 1:
            return None
        return group[0][1][0].word

    def run_at(start: int, term: tuple[str, ...]) -> list[int] | None:
        run: list[int] = []
        matched = 0
        i = start
        while matched < len(term) and i < len(groups):
            word = plain_word(i)
            if word is None or (word != term[matched] and not (matched and is_stopword(word))):
                return None
            run.append(i)
            matched += word == term[matched]
            i += 1
        return run if matched == len(term) else None

    terms = sorted(concepts.phrases, key=len, reverse=True)
    runs: list[list[int]] = []
    position = 0
    while position < len(groups):
        run = next((r for r in (run_at(position, term) for term in terms) if r), None)
        if run:
            runs.append(run)
            position = run[-1] + 1
        else:
            position += 1
    return runs


def plan(
    parsed: ParsedQuery, translations: Iterable[Translation] = (), *, exact: bool = False, name: bool = False
) -> QueryPlan:
    """The query tree of `parsed`; ``exact``: the typed forms only; ``name``: the text is one name
    (see the module docstring)."""
    positive_text = parsed.positive_text
    if exact:
        concepts = _Concepts([], "")
    else:
        concepts = _Concepts([] if name else expand_glossary(positive_text), positive_text)
    builder = _Builder(concepts, exact, name)
    analysed = [[(c, [t for t in tokenize(c.text) if t.key]) for c in g.alternatives] for g in parsed.groups]
    weak = partial(_is_weak, name=name)
    has_strong = any(not weak(t) for g in analysed for c, ts in g if not c.excluded for t in ts)
    must: list[Query] = []
    should: list[Query] = []
    must_not: list[Query] = []
    positive: list[Token] = []
    term_runs = [] if exact or name else _glossary_terms(analysed, concepts)
    run_of = {i: run for run in term_runs for i in run}
    for number, group in enumerate(analysed):
        if number in run_of:
            run = run_of[number]
            if number == run[0]:
                tokens = [analysed[i][0][1][0] for i in run]
                required = any(analysed[i][0][0].required for i in run)
                (must if required else should).append(concepts.term(tokens))
                positive += tokens
            continue
        built = [
            (clause, *builder.clause(clause, tokens))
            for clause, tokens in group
            if tokens
            and (clause.phrase or clause.excluded or not has_strong or not all(map(weak, tokens)))
        ]
        if not built:
            continue
        if name:  # each word held as a name, every part of a hyphenated one too
            built = [(c, q if c.excluded else concepts.named(q, ts, exact), ts) for c, q, ts in built]
        if len(built) == 1:
            clause, query, _tokens = built[0]
            if clause.excluded:
                must_not.append(query)
                continue
            (must if clause.required or name else should).append(query)
        else:
            (must if name else should).append(Bool(should=tuple(q for _, q, _ in built)))
        positive += [t for _, _, toks in built for t in toks]
    if not must and not should:
        return QueryPlan(None, exact=exact)
    words = _significant(positive)
    if 1 < len(words) <= MAX_TOGETHER_WORDS and not (term_runs and len(term_runs[0]) == len(words)):
        should += builder.together(words)
    if exact:
        query = _combine(must, should, must_not)
        return QueryPlan(query, positive, [], exact=True)
    translated, translation_labels = _translations(() if name else translations)
    should += translated
    return QueryPlan(_combine(must, should, must_not), positive, concepts.labelled + translation_labels)


def _combine(must: list[Query], should: list[Query], must_not: list[Query]) -> Query:
    if must:  # the optional parts only rank documents that hold every required part
        return Bool(must=tuple(must), should=tuple(should), must_not=tuple(must_not))
    return Bool(should=tuple(should), must_not=tuple(must_not))

