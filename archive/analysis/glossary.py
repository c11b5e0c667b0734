"""The field's vocabulary in English, Russian and Kazakh (`data/glossary.tsv`).

A query term found in any of the three languages, in any inflected form, brings its equivalents in
the other two, and its other forms in its own (rally: gathering, assembly). Words are compared by
language stem or name key (either may meet: the stem handles English and Russian suffixes, the key
Kazakh endings and spelling variants); function words are skipped on both sides, so "search of the
home" meets "search of a home". Multi-word terms match as sequences; the longest term comes first,
then the multi-word terms inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from archive.analysis.phrases import (
    PhraseIndex,
    alternatives,
    content_tokens,
    longest_non_overlapping,
    phrase_forms,
    read_table,
    token_forms,
)
from archive.analysis.tokenize import tokenize
from archive.domain import LANGUAGES


@dataclass(frozen=True)
class GlossaryExpansion:
    language: str  # "en" | "ru" | "kk"
    phrase: str  # the equivalent phrase in that language, as written in the glossary
    source: str  # the query words that triggered it, e.g. "hunger strike"
    synonym: bool = False  # another form of the term in the language the query wrote it in (rally: gathering)


@dataclass(frozen=True)
class _Entry:
    concept: int
    language: str


@cache
def _concepts() -> list[dict[str, list[str]]]:
    concepts = []
    for row in read_table("glossary.tsv"):
        if row and row[0] == "en":
            continue  # the header
        cells = [*row, "", "", ""][:3]
        concepts.append({lang: alternatives(cell) for lang, cell in zip(LANGUAGES, cells, strict=True)})
    return concepts


@cache
def _index() -> PhraseIndex:
    index = PhraseIndex()
    for number, concept in enumerate(_concepts()):
        for language, phrases in concept.items():
            for phrase in phrases:
                index.add(phrase_forms(phrase, with_stem=True, drop_stopwords=True), _Entry(number, language))
    index.finalise()
    return index


def _spells(span: list[frozenset[str]], phrase: str) -> bool:
    """Whether the tokens of `span` spell `phrase` word by word (the query's own form of a term)."""
    forms = phrase_forms(phrase, with_stem=True, drop_stopwords=True)
    return len(forms) == len(span) and all(not a.isdisjoint(b) for a, b in zip(forms, span, strict=True))


def expand_glossary(text: str) -> list[GlossaryExpansion]:
    """Equivalents, in the other two languages, of every glossary term found in `text`."""
    tokens = content_tokens(t for t in tokenize(text) if t.key or t.stem)
    found = _index().matches([token_forms(t, with_stem=True) for t in tokens])
    expansions: list[GlossaryExpansion] = []
    seen: set[tuple[str, str]] = set()
    chosen = longest_non_overlapping(found)
    # terms of two words or more inside a longer one count too, after it: "защита чести и достоинства"
    # also brings "honour and dignity", which documents write without "protection". Single words stay
    # out: the strike in "hunger strike" is not a strike.
    inside = sorted(
        (
            m
            for m in found
            if m not in chosen and m[1] - m[0] > 1 and any(s <= m[0] and m[1] <= e for s, e, _ in chosen)
        ),
        key=lambda m: (m[0] - m[1], m[0]),
    )
    for start, end, pattern in chosen + inside:
        # every language in which this span matched the same concept counts as a source language
        entry = pattern.payload
        assert isinstance(entry, _Entry)
        matched = {
            p.payload.language
            for s, e, p in found
            if (s, e) == (start, end) and isinstance(p.payload, _Entry) and p.payload.concept == entry.concept
        }
        source = text[tokens[start].start : tokens[end - 1].end]
        span = [token_forms(t, with_stem=True) for t in tokens[start:end]]
        for language in LANGUAGES:
            for phrase in _concepts()[entry.concept][language]:
                # in a language the span matched, only the term's other forms (rally: gathering)
                if language in matched and _spells(span, phrase):
                    continue
                if (language, phrase) not in seen:
                    seen.add((language, phrase))
                    expansions.append(GlossaryExpansion(language, phrase, source, language in matched))
    return expansions
