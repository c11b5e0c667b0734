"""Function words of English, Russian and Kazakh, for query planning (`data/stopwords.txt`)."""

from __future__ import annotations

from functools import cache
from importlib import resources

from archive.analysis.normalize import fold, fold_word


@cache
def _stopwords() -> frozenset[str]:
    text = resources.files("archive.analysis").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    words = set()
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        words.update(fold(w) for w in line.split())
    return frozenset(words)


def is_stopword(word: str) -> bool:
    """True for en/ru/kk function words; `word` is a folded form (`Token.word`)."""
    return fold_word(word) in _stopwords()
