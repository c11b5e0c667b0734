"""How well mentions group into entities, on linguist-annotated sentences, beside a capitalisation-only
baseline; and how fast mentions are found and kept.

    .venv/bin/python scripts/measure_entities.py                   # ../shared/real-eval/names
    .venv/bin/python scripts/measure_entities.py --speed-only

For each annotated name (a lemma, `kk:Шымкент`) its *recall* is the share of its sentences that its
best-matching entity holds; for each entity that holds a sentence of some annotated name, its
*purity* is the share of its sentences that belong to the one name it shares most with. Both are
averaged per language of the name. The baseline makes one entity of every capitalised word form as
written (lower-cased), so `Шымкентте` and `Шымкент` are two entities.

Figures go to docs/benchmarks.md with the command that produced them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.analysis.entity_groups import group
from archive.analysis.mentions import find_mentions
from archive.analysis.tokenize import tokenize
from archive.entities import regroup
from archive.store import DocumentStore
from archive.store.entities import StoredMention

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
NAMES = SHARED / "real-eval" / "names"
DEV_EVAL = SHARED / "dev-eval" / "docs"


def load(folder: Path) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Texts by file, and the sentences of each annotated name."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))["documents"]
    texts, names = {}, defaultdict(set)
    for document in manifest:
        texts[document["file"]] = (folder / document["file"]).read_text("utf-8")
        for name in document["entities"]:
            names[name].add(document["file"])
    return texts, names


def entities_by_rules(texts: dict[str, str]) -> dict[str, set[str]]:
    found = {file: [m.key for m in find_mentions(text)] for file, text in texts.items()}
    grouped = group(k for keys in found.values() for k in keys)
    entities: dict[str, set[str]] = defaultdict(set)
    for file, keys in found.items():
        for key in keys:
            if grouped[key]:
                entities[grouped[key]].add(file)
    return entities


def entities_by_capitals(texts: dict[str, str]) -> dict[str, set[str]]:
    entities: dict[str, set[str]] = defaultdict(set)
    for file, text in texts.items():
        for token in tokenize(text):
            if token.surface[:1].isupper():
                entities[token.word].add(file)
    return entities


def score(names: dict[str, set[str]], entities: dict[str, set[str]]) -> dict[str, dict[str, float]]:
    holding: dict[str, set[str]] = defaultdict(set)  # sentence → entities holding it
    for entity, files in entities.items():
        for file in files:
            holding[file].add(entity)
    recall: dict[str, list[float]] = defaultdict(list)
    for name, files in names.items():
        candidates = {e for f in files for e in holding[f]}
        best = max((len(entities[e] & files) for e in candidates), default=0)
        recall[name.split(":")[0]].append(best / len(files))
    purity: dict[str, list[float]] = defaultdict(list)
    by_file: dict[str, set[str]] = defaultdict(set)
    for name, files in names.items():
        for file in files:
            by_file[file].add(name)
    for files in entities.values():
        shared: dict[str, int] = defaultdict(int)
        for file in files:
            for name in by_file[file]:
                shared[name] += 1
        if shared:
            name, n = max(shared.items(), key=lambda item: (item[1], item[0]))  # ties: the same every run
            purity[name.split(":")[0]].append(n / len(files))
    return {
        language: {"recall": statistics.mean(recall[language]), "purity": statistics.mean(purity[language]),
                   "names": len(recall[language]), "entities": len(purity[language])}
        for language in sorted(recall)
    }


def rate_of(texts: list[str]) -> float:
    started = time.perf_counter()
    for text in texts:
        find_mentions(text)
    return len(texts) / (time.perf_counter() - started)


def speed(texts: list[str]) -> tuple[float, float, float]:
    """Documents per second of finding mentions with the words' name keys still to compute, and with
    them cached (as after the index has tokenised the same text); milliseconds per document of
    finding and keeping them in a SQLite store, regrouping once at the end (what ingest adds, keys
    cached)."""
    find_mentions("Суд в Шымкенте.")  # tables loaded before timing
    cold = rate_of(texts)
    warm = rate_of(texts)
    with tempfile.TemporaryDirectory() as home:
        store = DocumentStore(f"sqlite:///{home}/archive.sqlite3")
        started = time.perf_counter()
        for n, text in enumerate(texts):
            found = find_mentions(text)
            mentions = [StoredMention(m.start, m.end, m.surface, m.key, m.kind, "") for m in found]
            store.entities.replace_mentions(f"doc{n}", mentions, 1)
        regroup(store)
        added = (time.perf_counter() - started) * 1000 / len(texts)
        store.close()
    return cold, warm, added


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--speed-only", action="store_true")
    args = parser.parse_args()
    texts, names = load(NAMES)
    if not args.speed_only:
        print("| language | names | method | recall | purity | entities scored |")
        print("| --- | --- | --- | --- | --- | --- |")
        for method, entities in (("capitalisation only", entities_by_capitals(texts)),
                                 ("mentions + grouping", entities_by_rules(texts))):
            for language, figures in score(names, entities).items():
                print(f"| {language} | {figures['names']} | {method} | {figures['recall']:.3f} | "
                      f"{figures['purity']:.3f} | {figures['entities']} |")
    for label, corpus in (("real-eval sentences", list(texts.values())),
                          ("dev-eval documents", [p.read_text("utf-8") for p in sorted(DEV_EVAL.iterdir())])):
        cold, warm, added = speed(corpus)
        print(f"{label}: {len(corpus)} documents, mentions found at {cold:,.0f} documents/s with name keys "
              f"to compute, {warm:,.0f} documents/s with them cached; found, kept and grouped: "
              f"{added:.2f} ms per document")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
