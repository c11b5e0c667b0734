"""The entity index: mentions found in each stored document, grouped into entities, with archivists'
decisions reapplied every time the grouping is done again.

Mentions are found once per document (at ingest, or by `archive reindex` for documents stored
before, or found by older rules); grouping depends on every mention key in the archive, so it is
done again after each batch of writes.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass

from archive.analysis.aliases import AliasMatch
from archive.analysis.entity_groups import NONE, apply_decisions, entity_id, entity_kind, group
from archive.analysis.mentions import Mention, find_mentions
from archive.analysis.normalize import fold, without_possessive
from archive.analysis.tokenize import Token, tokenize
from archive.domain import Document, LanguageSpan
from archive.store import DocumentStore
from archive.store.entities import StoredMention

MENTION_RULES = 5  # raise when the rules of archive/analysis/mentions.py change: documents are scanned again


def mentions_in(
    text: str, spans: Sequence[LanguageSpan], language: str, tokens: list[Token] | None = None,
    aliases: list[AliasMatch] | None = None,
) -> list[StoredMention]:
    """The mentions of a text, each with the language of the paragraph it is in, a name written the
    same way in the same language once, with how often (pure: ingest's worker processes find them, so
    that the one writer only stores them); ``tokens`` and ``aliases``: the text's, if known."""
    starts = [span.start for span in spans]
    first: dict[tuple[str, str, str, str], Mention] = {}
    occurrences: Counter[tuple[str, str, str, str]] = Counter()
    for mention in find_mentions(text, tokens, aliases):
        at = bisect.bisect_right(starts, mention.start) - 1
        written = (mention.surface, mention.key, mention.kind, spans[at].language if at >= 0 else language)
        first.setdefault(written, mention)
        occurrences[written] += 1
    return [StoredMention(mention.start, mention.end, *written, occurrences=occurrences[written])
            for written, mention in first.items()]


def mentions_of(document: Document) -> list[StoredMention]:
    return mentions_in(document.text, document.spans, document.language)


def scan_missing(store: DocumentStore) -> int:
    """Finds the mentions of documents that have none yet (or were scanned by older rules)."""
    ids = store.entities.unscanned(MENTION_RULES)
    for start in range(0, len(ids), 200):
        documents = store.get_many(ids[start : start + 200]).values()
        store.entities.replace_mentions({d.id: mentions_of(d) for d in documents}, MENTION_RULES)
    return len(ids)


def regroup(store: DocumentStore, lock: AbstractContextManager[object] | None = None) -> int:
    """Groups every mention into entities again, decisions reapplied; returns how many entities.

    With `lock` (the archive's write lock, which the caller does not hold), the grouping is worked out
    before the lock is taken and only written under it: in an archive of millions of mentions the
    reading and the grouping take seconds, which uploads would otherwise spend waiting for the lock.
    If this process wrote mentions, decisions or a grouping meanwhile, the grouping is worked out
    again under the lock, so that it never undoes what was written after it was read."""
    store.entities.changed = False  # before reading: a write while this runs asks for another round
    try:
        if lock is None:
            return _write(store, _grouping(store))
        seen = store.entities.writes
        grouping = _grouping(store)
        with lock:
            if store.entities.writes != seen:
                store.entities.changed = False
                grouping = _grouping(store)
            return _write(store, grouping)
    except BaseException:
        store.entities.changed = True  # not done: the next write or round tries again
        raise


@dataclass(frozen=True)
class _Grouping:
    entities: list[dict[str, object]]  # rows of the entities table
    assignment: dict[str, str]  # mention key -> entity id


def _write(store: DocumentStore, grouping: _Grouping) -> int:
    store.entities.replace_entities(grouping.entities, grouping.assignment)
    return len(grouping.entities)


def _grouping(store: DocumentStore) -> _Grouping:
    found = store.entities.mention_keys()
    grouped, confirmed = apply_decisions(group(found), store.entities.decisions())
    members: dict[str, list[str]] = {}
    for mention_key, entity_key in grouped.items():
        if entity_key == NONE:
            continue
        members.setdefault(entity_key, []).append(mention_key)
    rows = []
    assignment = {}
    for entity_key, keys in members.items():
        surfaces: Counter[str] = Counter()
        full: Counter[str] = Counter()
        for key in keys:
            surfaces.update(found[key][1])
            if key.startswith(("p:", "a:")):
                full.update(found[key][1])
        words = {word for key in keys for word in key[2:].split(" ") if len(word) > 1}
        words |= {t.key for surface in surfaces for t in tokenize(surface) if t.key}
        ident = entity_id(entity_key)
        kind = entity_kind(entity_key, (found[k][0] for k in keys))
        rows.append({
            "id": ident, "key": entity_key[:300], "kind": kind,
            "label": _label(full or surfaces), "word_keys": " " + " ".join(sorted(words)) + " ",
            "mentions": sum(surfaces.values()), "confirmed": entity_key in confirmed,
        })
        assignment.update({key: ident for key in keys})
    return _Grouping(rows, assignment)


def _without_possessive(surface: str) -> str:
    """A spelling without the English possessive its name key leaves out (Tokayev’s: Tokayev); a
    mention keeps it, as written."""
    folded = fold(surface)
    return surface[:-2] if without_possessive(folded) != folded else surface


def _label(surfaces: Counter[str]) -> str:
    """The spelling to show: the most frequent of the longest ones (a full name before a lone surname),
    read without an English possessive (`China's Xinjiang`: China)."""
    shown: Counter[str] = Counter()
    for surface, n in surfaces.items():
        shown[_without_possessive(surface)] += n
    longest = max(len(s.split()) for s in shown)
    candidates = [(n, s) for s, n in shown.items() if len(s.split()) == longest]
    return max(candidates, key=lambda c: (c[0], -len(c[1])))[1]
