"""Why a document matched, and a snippet of it in its own script with the matches marked.

Both are computed from the document's text with the same analysis that built the query, so the
embedded engine and Elasticsearch explain their hits identically.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein

from archive.analysis import Token, tokenize
from archive.analysis.similarity import MIN_LENGTH
from archive.search.planner import QueryPlan

SNIPPET_TOKENS = 36
MAX_MATCHED = 12


@dataclass(frozen=True)
class Explanation:
    matched: list[str]  # "query form → document form", e.g. "Mamai → Мамайдың"
    snippet: str  # HTML-escaped text with <mark> around the matching words


def _meets(query: Token, doc: Token) -> bool:
    if query.word == doc.word or query.stem == doc.stem or query.key == doc.key:
        return True
    if len(query.key) < MIN_LENGTH or abs(len(query.key) - len(doc.key)) > 1:
        return False
    return DamerauLevenshtein.distance(query.key, doc.key, score_cutoff=1) <= 1


def _matches(plan: QueryPlan, tokens: list[Token]) -> tuple[list[int], list[str]]:
    """Positions of matching document tokens, and the distinct query→document pairs."""
    wanted: list[tuple[str, Token]] = [(t.surface, t) for t in plan.tokens]
    for label, expansion in plan.expansions:
        wanted += [(label, t) for t in expansion]
    positions: list[int] = []
    pairs: dict[str, None] = {}
    for position, doc_token in enumerate(tokens):
        for label, query_token in wanted:
            if _meets(query_token, doc_token):
                positions.append(position)
                pairs.setdefault(f"{label} → {doc_token.surface}", None)
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
