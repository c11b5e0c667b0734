"""Why a document matched, and a snippet of it in its own script with the matches marked.

Both are computed from the document's text with the same analysis that built the query, so the
embedded engine and Elasticsearch explain their hits identically.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from archive.analysis import Token, tokenize
from archive.search.indexing import index_stem
from archive.search.planner import QueryPlan, near_keys

SNIPPET_TOKENS = 36
MAX_MATCHED = 12


@dataclass(frozen=True)
class Explanation:
    matched: list[str]  # "query form → document form", e.g. "Mamai → Мамайдың"
    snippet: str  # HTML-escaped text with <mark> around the matching words


class _Wanted:
    """The query's tokens and glossary equivalents, looked up by the word, stem or key a document
    token must share with one of them; the earliest in query order wins."""

    def __init__(self, plan: QueryPlan):
        self.labels: list[str] = []
        self.by_word: dict[str, int] = {}
        self.by_stem: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        for t in plan.tokens:
            self._add(t.surface, t, {t.key, *near_keys(t)})
        for label, expansion in plan.expansions:
            for t in expansion:
                self._add(label, t, {t.key})

    def _add(self, label: str, token: Token, keys: set[str]) -> None:
        number = len(self.labels)
        self.labels.append(label)
        self.by_word.setdefault(token.word, number)
        self.by_stem.setdefault(token.stem, number)
        for key in keys:
            self.by_key.setdefault(key, number)

    def label_for(self, token: Token) -> str | None:
        found = [
            number
            for number in (
                self.by_key.get(token.key),
                self.by_word.get(token.word),
                self.by_stem.get(index_stem(token)),
            )
            if number is not None
        ]
        return self.labels[min(found)] if found else None


def _matches(wanted: _Wanted, tokens: list[Token]) -> tuple[list[int], list[str]]:
    """Positions of matching document tokens, and the distinct query→document pairs."""
    positions: list[int] = []
    pairs: dict[str, None] = {}
    for position, doc_token in enumerate(tokens):
        label = wanted.label_for(doc_token)
        if label is not None:
            positions.append(position)
            pairs.setdefault(f"{label} → {doc_token.surface}", None)
    return positions, list(pairs)[:MAX_MATCHED]


def _best_window(positions: list[int], total: int) -> int:
    """Start of the window of SNIPPET_TOKENS tokens holding the most matches."""
    if not positions:
        return 0
    best_start, best_count, left = positions[0], 0, 0
    for right, position in enumerate(positions):
        while position - positions[left] >= SNIPPET_TOKENS:
            left += 1
        if right - left + 1 > best_count:
            best_count, best_start = right - left + 1, positions[left]
    return max(0, min(best_start - 4, total - SNIPPET_TOKENS))


def _render(text: str, tokens: list[Token], start: int, marked: set[int]) -> str:
    window = tokens[start : start + SNIPPET_TOKENS]
    if not window:
        return html.escape(text[:240])
    pieces: list[str] = ["… " if start > 0 else ""]
    cursor = window[0].start
    for index, token in enumerate(window, start):
        pieces.append(html.escape(text[cursor : token.start]))
        word = html.escape(text[token.start : token.end])
        pieces.append(f"<mark>{word}</mark>" if index in marked else word)
        cursor = token.end
    if start + SNIPPET_TOKENS < len(tokens):
        pieces.append(" …")
    return " ".join("".join(pieces).split())


class Explainer:
    """Explains the hits of one query; what the query wants is worked out once for all its hits."""

    def __init__(self, plan: QueryPlan):
        self.wanted = _Wanted(plan)

    def explain(self, title: str, text: str) -> Explanation:
        tokens = tokenize(text)
        positions, pairs = _matches(self.wanted, tokens)
        if not positions:
            _, pairs = _matches(self.wanted, tokenize(title))
        start = _best_window(positions, len(tokens))
        return Explanation(matched=pairs, snippet=_render(text, tokens, start, set(positions)))
