"""The store's description of a page of hits: the opening of each text, never more."""

from __future__ import annotations

from dataclasses import replace

from archive.domain import Kind
from tests.test_store import make_doc, store  # noqa: F401  (fixtures)


def test_heads_hold_the_opening_and_say_whether_the_text_goes_on(store) -> None:  # noqa: F811
    short = store.add(replace(make_doc(1), text="Қысқа мәтін."))
    long = store.add(replace(make_doc(2), text="Ұзын мәтін. " * 1000, kind=Kind.RULING))
    heads = store.get_heads([long.id, short.id, "unknown", long.id], 100)
    assert set(heads) == {short.id, long.id}
    assert heads[short.id].opening == "Қысқа мәтін." and not heads[short.id].cut
    assert heads[long.id].opening == long.text[:100] and heads[long.id].cut
    exact = store.add(replace(make_doc(3), text="x" * 100))
    assert not store.get_heads([exact.id], 100)[exact.id].cut
    head = heads[long.id]
    assert (head.title, head.sha256, head.kind, head.ingested_at) == (
        long.title, long.sha256, Kind.RULING, long.ingested_at
    )
