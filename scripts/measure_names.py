"""How far name keys alone reach: recall and false matches of key lookups, per query category.

For each query, a document "matches" when it holds a token whose key equals a query token's key
(or, for keys of 5+ letters, is one edit away, transpositions included: what the planner's near-key
clause does). Recall is the share of the query's relevant documents that match: an upper bound of
what ranking can then do. False matches count the non-relevant documents that match too.

    .venv/bin/python scripts/measure_names.py [--set /work/shared/real-eval/names] [--set ...]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import process
from rapidfuzz.distance import OSA

from archive.analysis import is_stopword, tokenize

DEFAULT_SETS = ("/work/shared/real-eval/names", "/work/shared/dev-eval")
MIN_FUZZY = 5
_TAGS = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)


def _text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8", errors="replace")
    return _TAGS.sub(" ", raw) if path.suffix in (".html", ".htm") else raw


def _query_keys(query: str) -> list[str]:
    tokens = [t for t in tokenize(query) if len(t.key) > 1 and not is_stopword(t.word)]
    return sorted({t.key for t in tokens})


def measure(root: Path) -> None:
    queries = json.loads((root / "queries.json").read_text())["queries"]
    docs = sorted(p for p in (root / "docs").iterdir() if p.is_file())
    postings: dict[str, set[str]] = defaultdict(set)
    for path in docs:
        name = f"docs/{path.name}"
        for token in tokenize(_text(path)):
            if token.key:
                postings[token.key].add(name)
    vocabulary = list(postings)

    rows: dict[str, list[tuple[float, float, int, int]]] = defaultdict(list)
    misses: dict[str, list[str]] = defaultdict(list)
    for q in queries:
        relevant = set(q["relevant"])
        if not relevant or q["entity"] is None:
            continue
        keys = _query_keys(q["query"])
        exact: set[str] = set()
        near: set[str] = set()
        for key in keys:
            exact |= postings.get(key, set())
            if len(key) >= MIN_FUZZY:
                for other, _dist, _ in process.extract(key, vocabulary, scorer=OSA.distance,
                                                       score_cutoff=1, limit=None):
                    near |= postings[other]
        near |= exact
        rows[q["category"]].append((
            len(exact & relevant) / len(relevant),
            len(near & relevant) / len(relevant),
            len(exact - relevant),
            len(near - relevant),
        ))
        if exact & relevant != relevant and len(misses[q["category"]]) < 6:
            missed = sorted(relevant - exact)[:1]
            sample = " ".join(t.surface for t in tokenize(_text(root / missed[0])))[:0] if missed else ""
            misses[q["category"]].append(f"{q['query']} {keys}{sample}")

    print(f"\n{root}  ({len(docs)} documents, {sum(map(len, rows.values()))} name queries)")
    header = f"{'category':<20}{'n':>4}{'recall=':>9}{'recall~1':>10}{'false=':>9}{'false~1':>9}"
    print(header)
    print("-" * len(header))
    total: list[tuple[float, float, int, int]] = []
    for category in sorted(rows):
        values = rows[category]
        total += values
        print(f"{category:<20}{len(values):>4}" + "".join(
            f"{statistics.mean(v[i] for v in values):>{w}.3f}" for i, w in ((0, 9), (1, 10), (2, 9), (3, 9))))
    print(f"{'all':<20}{len(total):>4}" + "".join(
        f"{statistics.mean(v[i] for v in total):>{w}.3f}" for i, w in ((0, 9), (1, 10), (2, 9), (3, 9))))
    print("(false = mean number of non-relevant documents matching a query)")
    for category, examples in sorted(misses.items()):
        print(f"  not all found, {category}: " + "; ".join(examples))


def speed(root: Path) -> None:
    """name_key on 100,000 distinct words (cold cache) and tokenize on real sentences."""
    import random
    import time

    from archive.analysis import name_key
    from archive.analysis.keys import name_key as cached
    from archive.analysis.normalize import fold_word
    from archive.analysis.stemming import kazakh_stem, stem
    from archive.analysis.tokenize import _analyse

    rng = random.Random(7)
    texts = [_text(p) for p in sorted((root / "docs").iterdir())]
    vocabulary = sorted({t.surface for text in texts for t in tokenize(text)})
    endings = ["", "а", "у", "ом", "ой", "ым", "дың", "тің", "ға", "ке", "да", "те", "дан", "нен", "мен",
               "s", "ov", "a", "ye", "ың", "ыны", "ларға"]
    words: set[str] = set()
    while len(words) < 100_000:
        words.add(rng.choice(vocabulary) + rng.choice(endings) + rng.choice(["", "", "ба", "ев", "ko"]))
    cached.cache_clear()
    started = time.perf_counter()
    for word in words:
        name_key(word)
    cold = len(words) / (time.perf_counter() - started)
    text = "\n".join(texts)
    for function in (cached, fold_word, stem, kazakh_stem, _analyse):
        function.cache_clear()
    started = time.perf_counter()
    count = len(tokenize(text))
    first = count / (time.perf_counter() - started)
    started = time.perf_counter()
    tokenize(text)
    warm = count / (time.perf_counter() - started)
    print(f"\nspeed: name_key {cold:,.0f} words/s (100k distinct words, cold cache); "
          f"tokenize {first:,.0f} tokens/s cold caches, {warm:,.0f} tokens/s warm ({count:,} tokens)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", action="append", dest="sets", help="a folder with docs/ and queries.json")
    args = parser.parse_args()
    for folder in args.sets or DEFAULT_SETS:
        measure(Path(folder))
    speed(Path((args.sets or DEFAULT_SETS)[0]))


if __name__ == "__main__":
    main()
