"""Mentions grouped into candidate entities by their keys (`mentions.py`), and archivists' decisions
applied on top.

* a full name (`p:`) is its own candidate: given name and surname together;
* two full names that share one word and whose other words differ only in their vowels (`Айболат
  Бөкенов` and `Aibolat Bukenov`, `Бауыржан` and `Бауржан Алипкалиев`: Kazakh and Russian
  spellings of one name) are one candidate; a lone surname is never joined this way, so that `Жуков`
  and `Жукеев` stay apart;
* a surname with an initial (`i:s syzdikbek`) joins the one full name with that surname whose other
  word starts with the initial; failing that, the one full name with that surname;
* a lone word (`w:ospan`) joins the one full name that holds it; with none, or with several (two
  people of that surname), it stays a candidate of its own, so that `Ospan` never swallows
  `Ospanov` and an ambiguous surname is not given to either person;
* a word that starts a sentence (`s:ospan`) joins what the same word does elsewhere (`w:ospan`, or
  the one full name holding it); with neither it is no entity (`NONE`): a capital there says nothing;
* an alias (`a:@shymkent`) is its group.

Grouping depends only on the set of mention keys, so it is the same whatever order documents came
in, and `archive reindex` gives the same entities. An entity's key is the key of the candidate it
grew from; its id is derived from that key, so it survives regrouping.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

MERGE, SPLIT, CONFIRM = "merge", "split", "confirm"
DECISIONS = (MERGE, SPLIT, CONFIRM)
NONE = ""  # the entity key of a mention that is no entity
SPLIT_PREFIX = "x:"  # an entity made of one spelling split off another


@dataclass(frozen=True)
class Decision:
    """An archivist's decision: merge `other` into `entity`; split `spelling` (a mention key) off
    `entity`; confirm `entity`."""

    action: str
    entity: str  # entity key
    other: str = ""  # entity key merged in
    spelling: str = ""  # mention key split off


def entity_id(entity_key: str) -> str:
    """A short, stable id for an entity key."""
    return hashlib.sha256(entity_key.encode()).hexdigest()[:16]


def _words(key: str) -> list[str]:
    return key[2:].split(" ")


def _unique(found: set[str]) -> str | None:
    return next(iter(found)) if len(found) == 1 else None


_VOWELS = str.maketrans("", "", "aeiou")


def _vowel_variants(a: str, b: str) -> bool:
    return a[:1] == b[:1] and abs(len(a) - len(b)) <= 2 and a.translate(_VOWELS) == b.translate(_VOWELS)


def _same_person(a: str, b: str) -> bool:
    first, second = _words(a), _words(b)
    if len(first) != 2 or len(second) != 2:
        return False
    for i in range(2):
        for j in range(2):
            if first[i] == second[j] and _vowel_variants(first[1 - i], second[1 - j]):
                return True
    return False


def _variant_class(word: str) -> tuple[str, str]:
    """What two words that `_vowel_variants` may call variants share: first letter and consonants."""
    return word[:1], word.translate(_VOWELS)


def _person_roots(persons: list[str]) -> dict[str, str]:
    """Each full name → the full name that stands for its candidate (the first in sorted order).

    Only names that share a word and whose other words share a variant class can be the same person,
    so only those are compared: comparing every two names that share a word is quadratic in the
    people of a common first name (3.5 million comparisons for 60,000 names)."""
    by_word: dict[tuple[str, tuple[str, str]], list[str]] = defaultdict(list)
    for person in persons:
        words = _words(person)
        if len(words) == 2:
            for shared, other in (words, words[::-1]):
                by_word[shared, _variant_class(other)].append(person)
    root = {p: p for p in persons}

    def find(p: str) -> str:
        while root[p] != p:
            root[p] = root[root[p]]
            p = root[p]
        return p

    for sharing in by_word.values():
        for i, a in enumerate(sharing):
            for b in sharing[i + 1 :]:
                if _same_person(a, b):
                    ra, rb = find(a), find(b)
                    if ra != rb:
                        root[max(ra, rb)] = min(ra, rb)
    return {p: find(p) for p in persons}


def group(mention_keys: Iterable[str]) -> dict[str, str]:
    """Mention key → entity key."""
    keys = set(mention_keys)
    roots = _person_roots(sorted(k for k in keys if k.startswith("p:")))
    holding: dict[str, set[str]] = defaultdict(set)  # word key → candidates (roots) of full names holding it
    named: dict[str, list[str]] = defaultdict(list)  # word key → the full names holding it
    for person, person_root in roots.items():
        for word in _words(person):
            holding[word].add(person_root)
            named[word].append(person)
    grouped: dict[str, str] = {}
    for key in keys:
        target = None
        if key.startswith("i:"):
            letter, surname = _words(key)
            with_surname = holding.get(surname, set())
            matching = {
                roots[p] for p in named.get(surname, [])
                if any(w != surname and w.startswith(letter) for w in _words(p))
            }
            target = _unique(matching) or (_unique(with_surname) if not matching else None)
        elif key.startswith("w:"):
            target = _unique(holding.get(key[2:], set()))
        elif key in roots:
            target = roots[key]
        grouped[key] = target or key
    for key in keys:
        if key.startswith("s:"):
            word = "w:" + key[2:]
            grouped[key] = grouped.get(word) or _unique(holding.get(key[2:], set())) or NONE
    return grouped


def apply_decisions(
    grouped: dict[str, str], decisions: Iterable[Decision]
) -> tuple[dict[str, str], set[str]]:
    """The grouping after the decisions, in the order they were taken, and the confirmed entity keys.
    A decision about an entity that no longer exists changes nothing."""
    result = dict(grouped)
    confirmed: set[str] = set()
    for decision in decisions:
        if decision.action == MERGE and decision.other != decision.entity:
            for mention, entity in result.items():
                if entity == decision.other:
                    result[mention] = decision.entity
            if decision.other in confirmed:
                confirmed.add(decision.entity)
        elif decision.action == SPLIT and result.get(decision.spelling) == decision.entity:
            result[decision.spelling] = SPLIT_PREFIX + decision.spelling
        elif decision.action == CONFIRM:
            confirmed.add(decision.entity)
    return result, confirmed


def entity_kind(entity_key: str, mention_kinds: Iterable[str]) -> str:
    """A person as soon as any of its mentions is person-shaped; a place or organisation as its
    alias says; otherwise a name of unknown kind."""
    kinds = set(mention_kinds)
    for kind in ("person", "place", "organisation"):
        if kind in kinds:
            return kind
    return "name"
