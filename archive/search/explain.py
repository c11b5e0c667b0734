"""Why a document matched, and a snippet of it in its own script with the matches marked.

Both are computed from a window of the document's text (the whole of a short one; the best passage
of a long one, see `archive.search.snippets`) with the same analysis that built the query, so the
embedded engine and Elasticsearch explain their hits identically. A snippet is plain text with
highlight ranges; `mark` renders it for a page or a terminal.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from archive.analysis import Token
from archive.analysis.tokenize import token_of, word_pieces, word_spans, words_of
from archive.search.indexing import index_stem
from archive.search.planner import QueryPlan, near_keys, stem_usable

SNIPPET_TOKENS = 36
MAX_MATCHED = 12
ELLIPSIS = "…"
_SPACES = re.compile(r"\s+")

Highlight = tuple[int, int]  # start and end, in characters, of a marked word in a snippet's text


def mark(
    text: str,
    highlights: list[Highlight],
    opening: str,
    closing: str,
    escape: Callable[[str], str] = lambda piece: piece,
) -> str:
    """`text` with each highlight between `opening` and `closing`, and everything `escape`d."""
    pieces: list[str] = []
    cursor = 0
    for start, end in highlights:
        pieces += [escape(text[cursor:start]), opening, escape(text[start:end]), closing]
        cursor = end
    pieces.append(escape(text[cursor:]))
    return "".join(pieces)


@dataclass(frozen=True)
class Explanation:
    matched: list[str]  # "query form → document form", e.g. "Mamai → Мамайдың"
    text: str  # the snippet: plain text, whitespace collapsed, "…" where the document goes on
    highlights: list[Highlight]  # the matching words in `text`, in order

    @property
    def snippet(self) -> str:
        """The snippet as HTML: escaped, with <mark> around the matching words."""
        return mark(self.text, self.highlights, "<mark>", "</mark>", html.escape)


class _Wanted:
    """The query's tokens and glossary equivalents, looked up by the word, stem or key a document
    token must share with one of them; the earliest in query order wins. In exact mode only the typed
    word counts, as in the query; a near key meets only a capitalised word, as the index's NAMES field
    lets it meet only words that may be names."""

    def __init__(self, plan: QueryPlan):
        self._by_surface: dict[str, str | None] = {}  # a document word's label, worked out once a query
        self.labels: list[str] = []
        self.by_word: dict[str, int] = {}
        self.by_stem: dict[str, int] = {}
        self.by_key: dict[str, int] = {}
        self.by_near: dict[str, int] = {}
        for t in plan.tokens:
            self._add(t.surface, t, set() if plan.exact else set(near_keys(t)) - {t.key}, plan.exact)
        for label, expansion in plan.expansions:
            for t in expansion:
                self._add(label, t, set(), plan.exact)

    def _add(self, label: str, token: Token, near: set[str], exact: bool) -> None:
        number = len(self.labels)
        self.labels.append(label)
        self.by_word.setdefault(token.word, number)
        if exact:
            return
        if stem_usable(token):
            self.by_stem.setdefault(token.stem, number)
        self.by_key.setdefault(token.key, number)
        for key in near:
            self.by_near.setdefault(key, number)

    def label_of(self, surface: str) -> str | None:
        """The label of a document word: it depends on the word alone, and words recur in the hits."""
        try:
            return self._by_surface[surface]
        except KeyError:
            label = self._by_surface[surface] = self.label_for(token_of(surface))
            return label

    def label_for(self, token: Token) -> str | None:
        found = [
            number
            for number in (
                self.by_key.get(token.key),
                self.by_word.get(token.word),
                self.by_stem.get(index_stem(token)),
                self.by_near.get(token.key) if token.surface[:1].isupper() else None,
            )
            if number is not None
        ]
        return self.labels[min(found)] if found else None


Word = tuple[str, int, int]  # a document word as written, and where it stands (`word_spans`)


def _matches(wanted: _Wanted, surfaces: list[str]) -> tuple[list[int], list[str]]:
    """Positions of matching document words, and the distinct query→document pairs."""
    label_of = wanted.label_of
    labels = {surface: label for surface in set(surfaces) if (label := label_of(surface)) is not None}
    positions = [position for position, surface in enumerate(surfaces) if surface in labels]
    pairs = dict.fromkeys(f"{labels[surfaces[p]]} → {surfaces[p]}" for p in positions)
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


def _window(pieces: list[str], start: int) -> list[Word]:
    """The SNIPPET_TOKENS words from the `start`th on, with where they stand, from the text's
    `word_pieces` (the offsets summed, not searched for again)."""
    first = 2 * start + 1
    offset = sum(map(len, pieces[:first]))
    window = []
    for at in range(first, min(first + 2 * SNIPPET_TOKENS, len(pieces)), 2):
        surface = pieces[at]
        window.append((surface, offset, offset + len(surface)))
        offset += len(surface) + len(pieces[at + 1])
    return window


def _render(
    text: str, window: list[Word], total: int, start: int, marked: set[int], before: bool, after: bool
) -> tuple[str, list[Highlight]]:
    """The snippet's text from the `window` of words, the text's from the `start`th on (`total`: how
    many it has), and where the marked ones are in it; `before` and `after` say whether the document
    goes on beyond `text`."""
    if not window:
        return text[:240], []
    snippet = f"{ELLIPSIS} " if start > 0 or before else ""
    highlights: list[Highlight] = []
    cursor = window[0][1]
    for index, (surface, word_start, word_end) in enumerate(window, start):
        snippet += _SPACES.sub(" ", text[cursor:word_start])
        if index in marked:
            highlights.append((len(snippet), len(snippet) + word_end - word_start))
        snippet += surface
        cursor = word_end
    if start + SNIPPET_TOKENS < total or after:
        snippet += f" {ELLIPSIS}"
    return snippet, highlights


class Explainer:
    """Explains the hits of one query; what the query wants is worked out once for all its hits."""

    def __init__(self, plan: QueryPlan):
        self.wanted = _Wanted(plan)

    def explain(self, title: str, text: str, before: bool = False, after: bool = False) -> Explanation:
        """Explains a hit from `text`, its whole text or a window of it (`before` and `after`: the
        document goes on before or after the window)."""
        pieces = word_pieces(text)
        surfaces = pieces[1::2]
        positions, pairs = _matches(self.wanted, surfaces)
        if not positions:
            _, pairs = _matches(self.wanted, words_of(title))
        start = _best_window(positions, len(surfaces))
        window = _window(pieces, start)
        snippet, highlights = _render(text, window, len(surfaces), start, set(positions), before, after)
        return Explanation(matched=pairs, text=snippet, highlights=highlights)

    def highlights(self, text: str) -> list[Highlight]:
        """Where the words a hit matches by stand in the whole `text`: the marks of a reading page."""
        words = word_spans(text)
        positions, _ = _matches(self.wanted, [surface for surface, _, _ in words])
        return [(words[p][1], words[p][2]) for p in positions]
