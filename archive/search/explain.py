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


@dataclass(frozen=True)
class _Wanted:
    """What a document token must share with one query token (or glossary equivalent) to match it."""

    label: str
    word: str
    stem: str
    keys: frozenset[str]

    def met_by(self, token: Token) -> bool:
        return token.key in self.keys or token.word == self.word or index_stem(token) == self.stem


def _wanted(plan: QueryPlan) -> list[_Wanted]:
    wanted = [_Wanted(t.surface, t.word, t.stem, frozenset({t.key, *near_keys(t)})) for t in plan.tokens]
    for label, expansion in plan.expansions:
        wanted += [_Wanted(label, t.word, t.stem, frozenset({t.key})) for t in expansion]
    return wanted


def _matches(plan: QueryPlan, tokens: list[Token]) -> tuple[list[int], list[str]]:
    """Positions of matching document tokens, and the distinct query→document pairs."""
    wanted = _wanted(plan)
    positions: list[int] = []
    pairs: dict[str, None] = {}
    for position, doc_token in enumerate(tokens):
        for query in wanted:
            if query.met_by(doc_token):
                positions.append(position)
                pairs.setdefault(f"{query.label} → {doc_token.surface}", None)
                break
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


def explain(plan: QueryPlan, title: str, text: str) -> Explanation:
    tokens = tokenize(text)
    positions, pairs = _matches(plan, tokens)
    if not positions:
        _, title_pairs = _matches(plan, tokenize(title))
        pairs = title_pairs
    start = _best_window(positions, len(tokens))
    return Explanation(matched=pairs, snippet=_render(text, tokens, start, set(positions)))
