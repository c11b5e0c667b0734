"""The entity store on both databases: each spelling's count kept as mentions are written and
replaced, and an entity's documents, spellings and neighbours read through its mention keys."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from archive.domain import Document
from archive.entities import MENTION_RULES, regroup
from archive.store import DocumentStore
from archive.store.entities import StoredMention
from tests.test_store import make_doc

OSPAN, SHYMKENT = "p:fariza ospan", "a:@shymkent"


@pytest.fixture
def store(database_url: str) -> Iterator[DocumentStore]:
    with DocumentStore(database_url) as opened:
        yield opened


def mentioned(store: DocumentStore, document: Document, *written: tuple[str, str, str, int]) -> None:
    """`document`'s mentions, each (surface, key, kind, occurrences), in place of those found before;
    each first found where the one before it ends."""
    mentions = [StoredMention(at * 100, at * 100 + len(surface), surface, key, kind, "ru", n)
                for at, (surface, key, kind, n) in enumerate(written)]
    store.entities.replace_mentions({document.id: mentions}, MENTION_RULES)


def counted(store: DocumentStore, table: str) -> dict[tuple[str, str, str], int]:
    query = {"spellings": "SELECT key, kind, surface, occurrences FROM mention_spellings",
             "mentions": "SELECT key, kind, surface, sum(occurrences) FROM entity_mentions "
                         "GROUP BY key, kind, surface"}[table]
    with store._engine.connect() as conn:
        return {(key, kind, surface): int(n) for key, kind, surface, n in conn.execute(text(query))}


def test_each_spelling_is_counted_as_mentions_are_written_and_replaced(store: DocumentStore):
    first, second = make_doc(1), make_doc(2)
    for document in (first, second):
        store.add(document)
    mentioned(store, first, ("Фаризу Оспан", OSPAN, "person", 3), ("Шымкент", SHYMKENT, "place", 1))
    mentioned(store, second, ("Fariza Ospan", OSPAN, "person", 1), ("Фаризу Оспан", OSPAN, "person", 2))
    assert counted(store, "spellings") == {(OSPAN, "person", "Фаризу Оспан"): 5,
                                           (OSPAN, "person", "Fariza Ospan"): 1,
                                           (SHYMKENT, "place", "Шымкент"): 1}
    mentioned(store, first, ("Фаризу Оспан", OSPAN, "person", 1))  # found again, by newer rules
    assert counted(store, "spellings") == {(OSPAN, "person", "Фаризу Оспан"): 3,
                                           (OSPAN, "person", "Fariza Ospan"): 1}
    assert counted(store, "spellings") == counted(store, "mentions")


def test_an_entitys_documents_spellings_and_neighbours_are_read_through_its_keys(store: DocumentStore):
    first, second, later = make_doc(1), make_doc(2), make_doc(3)
    for document in (first, second, later):
        store.add(document)
    mentioned(store, first, ("Шымкент", SHYMKENT, "place", 1), ("Фаризу Оспан", OSPAN, "person", 3))
    mentioned(store, second, ("Fariza Ospan", OSPAN, "person", 1))
    entities = store.entities
    assert regroup(store) == 2
    fariza, shymkent = (entities.by_key(key) for key in (OSPAN, SHYMKENT))
    assert fariza is not None and shymkent is not None
    assert (fariza.kind, fariza.label, fariza.mentions) == ("person", "Фаризу Оспан", 4)
    assert [d.id for d in entities.documents(fariza.id, None)] == [first.id, second.id]
    assert {s[0] for s in entities.spellings(fariza.id, None)} == {"Фаризу Оспан", "Fariza Ospan"}
    assert [e.id for e in entities.cooccurring(fariza.id, None, 5)] == [shymkent.id]
    assert [e.id for e in entities.of_document(first.id)] == [shymkent.id, fariza.id]  # the first to appear
    assert [e.id for e in entities.of_documents([first.id], 5)[first.id]] == [fariza.id, shymkent.id]  # most
    assert [(e.id, e.documents) for e in entities.search(["ospan"], None, 5)] == [(fariza.id, 2)]

    mentioned(store, later, ("Оспан", OSPAN, "person", 1))
    assert entities.documents_count(fariza.id, None) == 3  # a known key's entity at once, before regrouping
    mentioned(store, first)  # Shymkent is found nowhere any more
    assert regroup(store) == 1
    assert entities.by_key(SHYMKENT) is None and entities.of_document(first.id) == []
    with store._engine.connect() as conn:
        assert list(conn.execute(text("SELECT key FROM mention_keys"))) == [(OSPAN,)]
