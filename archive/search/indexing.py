"""Turns a document of the store into the analysed fields every index backend receives."""

from __future__ import annotations

from archive.analysis import Token, find_aliases, tokenize
from archive.domain import Document
from archive.index import base


def _terms(tokens: list[Token], attribute: str) -> str:
    return " ".join(getattr(t, attribute) or "_" for t in tokens)


def analysed_fields(title: str, text: str) -> dict[str, str]:
    """One term a token in WORDS, STEMS and KEYS, so that positions line up across the three."""
    body = tokenize(text)
    head = tokenize(title)
    groups = {m.group for m in find_aliases(body)} | {m.group for m in find_aliases(head)}
    return {
        base.WORDS: _terms(body, "word"),
        base.STEMS: _terms(body, "stem"),
        base.KEYS: _terms(body, "key"),
        base.ALIASES: " ".join(sorted(groups)),
        base.TITLE_WORDS: _terms(head, "word"),
        base.TITLE_STEMS: _terms(head, "stem"),
        base.TITLE_KEYS: _terms(head, "key"),
    }


def to_index_document(doc: Document) -> base.IndexDocument:
    return base.IndexDocument(
        id=doc.id,
        kind=str(doc.kind),
        language=doc.language,
        access=str(doc.access),
        ingested_at=doc.ingested_at,
        fields=analysed_fields(doc.title, doc.text),
    )
