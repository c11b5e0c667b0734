"""A small index corpus, already analysed, for the tests of the index backends' query semantics."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from archive.index.base import KEYS, TITLE_WORDS, WORDS, Filters, IndexDocument, Passage

NO_FILTERS = Filters()


def doc(
    doc_id: str, words: str, *, language: str = "ru", kind: str = "report", **fields: str
) -> IndexDocument:
    return IndexDocument(
        id=doc_id,
        kind=kind,
        language=language,
        access="public",
        ingested_at=datetime(2024, 5, 1, 12, 0),
        fields={WORDS: words, **fields},
    )


def corpus() -> list[IndexDocument]:
    return [
        doc("ru-1", "суд Oskemen решение иванов", language="ru", **{KEYS: "oskemen ivanov"}),
        doc("kk-1", "сот өскемен шешім иванов", language="kk", kind="ruling", **{KEYS: "oskemen ivanov"}),
        doc("en-1", "court ruling in oskemen about ivanov and petrov", language="en", kind="ruling"),
        doc("en-2", "petrov met ivanov in court", language="en", kind="media"),
        doc("en-3", "a report about the weather", language="en", **{TITLE_WORDS: "weather report"}),
    ]


def ids(page) -> set[str]:
    return {hit.id for hit in page.hits}


def long_doc(doc_id: str, passages: list[str], **fields: str) -> IndexDocument:
    """A document with passages whose words (and text) are the given strings, one after the other."""
    cut, start = [], 0
    for number, words in enumerate(passages):
        last = number == len(passages) - 1
        cut.append(Passage(start, start + len(words), words, last, {WORDS: words}))
        start += len(words) + 1
    return replace(doc(doc_id, " ".join(passages), **fields), passages=tuple(cut))
