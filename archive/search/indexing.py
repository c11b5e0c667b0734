"""Turns a document of the store into the analysed fields every index backend receives."""

from __future__ import annotations

from archive.analysis import Token, find_aliases, tokenize
from archive.domain import WITHDRAWN, Document
from archive.index import base


def _terms(tokens: list[Token], attribute: str) -> str:
    return " ".join(getattr(t, attribute) or "_" for t in tokens)


def index_stem(token: Token) -> str:
    """The stem of a lower-case word; a capitalised word keeps its folded form. A language stemmer
    cuts names as if they were nouns (Оспанов → оспан, the stem of Оспан), and names are matched by
    their keys anyway."""
    return token.word if token.surface[:1].isupper() else token.stem


def _stems(tokens: list[Token]) -> str:
    return " ".join(index_stem(t) or "_" for t in tokens)


def analysed_fields(title: str, text: str) -> dict[str, str]:
    """One term a token in WORDS, STEMS and KEYS, so that positions line up across the three."""
    body = tokenize(text)
    head = tokenize(title)
    groups = {m.group for m in find_aliases(body)} | {m.group for m in find_aliases(head)}
    return {
        base.WORDS: _terms(body, "word"),
        base.STEMS: _stems(body),
        base.KEYS: _terms(body, "key"),
        base.ALIASES: " ".join(sorted(groups)),
        base.TITLE_WORDS: _terms(head, "word"),
        base.TITLE_STEMS: _stems(head),
        base.TITLE_KEYS: _terms(head, "key"),
    }


def to_index_document(doc: Document) -> base.IndexDocument:
    return base.IndexDocument(
        id=doc.id,
        kind=str(doc.kind),
        language=doc.language,
        access=WITHDRAWN if doc.withdrawn is not None else str(doc.access),
        ingested_at=doc.ingested_at,
        fields=analysed_fields(doc.title, doc.text),
    )
