"""What grouping the entities again costs an archive that names many people: generated documents'
mentions written into a fresh store, then regrouped as the server does (worked out outside the write
lock, written under it); prints a table.

    .venv/bin/python scripts/bench_regroup.py                       # 200,000 documents, 60,000 names
    .venv/bin/python scripts/bench_regroup.py --documents 20000 --names 6000

Each document names 22 people drawn from the names (the first ones more often), some spelt with
other vowels, some by an initial and the surname. Figures go to docs/benchmarks.md with the command
that produced them.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from pathlib import Path
from types import TracebackType

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.entities import MENTION_RULES, regroup
from archive.store import DocumentStore
from archive.store.entities import StoredMention

BATCH = 1000
NAMES_A_DOCUMENT = 22
VOWELS, CONSONANTS = "aeiou", "bdgklmnrstvz"


class TimedLock:
    """A write lock that adds up how long it was held."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.held = 0.0
        self._since = 0.0

    def __enter__(self) -> None:
        self._lock.acquire()
        self._since = time.perf_counter()

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.held += time.perf_counter() - self._since
        self._lock.release()


def word(rng: random.Random) -> str:
    return "".join(rng.choice(CONSONANTS) + rng.choice(VOWELS) for _ in range(rng.randint(2, 4)))


def other_vowels(rng: random.Random, spelt: str) -> str:
    return "".join(rng.choice(VOWELS) if ch in VOWELS and at and rng.random() < 0.3 else ch
                   for at, ch in enumerate(spelt))


def names(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """(given name, surname) pairs: given names are few and shared, as they are in life."""
    given = [word(rng) for _ in range(max(count // 100, 10))]
    surnames = [word(rng) for _ in range(max(count // 10, 10))]
    return list({(rng.choice(given), rng.choice(surnames)) for _ in range(count)})


def mentions(rng: random.Random, people: list[tuple[str, str]], weights: list[float]) -> list[StoredMention]:
    found = {}
    for given, surname in rng.choices(people, weights, k=NAMES_A_DOCUMENT):
        roll = rng.random()
        if roll < 0.1:
            surface, key = f"{surname.title()} {given[0].upper()}.", f"i:{given[0]} {surname}"
        else:
            given = other_vowels(rng, given) if roll < 0.2 else given
            surface, key = f"{given.title()} {surname.title()}", f"p:{' '.join(sorted((given, surname)))}"
        found[key, surface] = StoredMention(0, len(surface), surface, key, "person", "en", rng.randint(1, 3))
    return list(found.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=200_000)
    parser.add_argument("--names", type=int, default=60_000)
    args = parser.parse_args()
    rng = random.Random(7)
    people = names(rng, args.names)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(people))]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-regroup-") as home:
        store = DocumentStore(f"sqlite:///{home}/archive.sqlite3")
        started = time.perf_counter()
        for first in range(0, args.documents, BATCH):
            batch = {f"d{n:09}": mentions(rng, people, weights)
                     for n in range(first, min(first + BATCH, args.documents))}
            store.entities.replace_mentions(batch, MENTION_RULES)
        written = time.perf_counter() - started
        rate = f"{written:.1f} s ({args.documents / written:,.0f} documents/s)"
        rows.append(("writing the mentions", rate, ""))
        for label in ("first regrouping (every key new)", "regrouping again (nothing new)",
                      "regrouping after one more document"):
            if label.endswith("document"):
                store.entities.replace_mentions({"d-one-more": mentions(rng, people, weights)}, MENTION_RULES)
            store.entities.changed = True
            lock = TimedLock()
            started = time.perf_counter()
            entities = regroup(store, lock)
            rows.append((label, f"{time.perf_counter() - started:.2f} s", f"{lock.held:.2f} s"))
        store.close()
    print(f"\nRegrouping {args.documents:,} documents' mentions of {len(people):,} people "
          f"({entities:,} entities), embedded store\n")
    print("| step | time | write lock held |")
    print("| --- | ---: | ---: |")
    for step, took, held in rows:
        print(f"| {step} | {took} | {held} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
