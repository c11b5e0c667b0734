"""How well mentions group into entities, on linguist-annotated sentences, beside a capitalisation-only
baseline; and how fast mentions are found and kept.

    .venv/bin/python scripts/measure_entities.py                   # ../shared/real-eval/names
    .venv/bin/python scripts/measure_entities.py --speed-only
    .venv/bin/python scripts/measure_entities.py --natasha         # also with Natasha's spans added
    .venv/bin/python scripts/measure_entities.py --suggest         # suggestions and hits' entities: ms

For each annotated name (a lemma, `kk:Шымкент`) its *recall* is the share of its sentences that its
best-matching entity holds; for each entity that holds a sentence of some annotated name, its
*purity* is the share of its sentences that belong to the one name it shares most with. Both are
averaged per language of the name. The baseline makes one entity of every capitalised word form as
written (lower-cased), so `Шымкентте` and `Шымкент` are two entities. `--natasha` adds a third
method: the rules' mentions with the PER/LOC/ORG spans of Natasha's Russian news model added
(`natasha`, which ships the model inside `navec` and `slovnet`: `pip install natasha==1.6.0`), merged
by `archive.analysis.mentions.with_spans`, on every sentence; and times the model alone.

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
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.analysis.entity_groups import group
from archive.analysis.mentions import ORGANISATION, PERSON, PLACE, Mention, find_mentions, with_spans
from archive.analysis.tokenize import tokenize
from archive.entities import regroup
from archive.store import DocumentStore
from archive.store.entities import StoredMention

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
NAMES = SHARED / "real-eval" / "names"
DEV_EVAL = SHARED / "dev-eval" / "docs"
Finder = Callable[[str], list[Mention]]
NATASHA_KINDS = {"PER": PERSON, "LOC": PLACE, "ORG": ORGANISATION}


def load(folder: Path) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Texts by file, and the sentences of each annotated name."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))["documents"]
    texts, names = {}, defaultdict(set)
    for document in manifest:
        texts[document["file"]] = (folder / document["file"]).read_text("utf-8")
        for name in document["entities"]:
            names[name].add(document["file"])
    return texts, names


@cache
def _natasha() -> tuple[Any, Any]:
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


def natasha_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each person, place and organisation of Natasha's news model."""
    from natasha import Doc

    segmenter, tagger = _natasha()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    return [(span.start, span.stop, NATASHA_KINDS[span.type]) for span in doc.spans
            if span.type in NATASHA_KINDS]


def with_natasha(text: str) -> list[Mention]:
    return with_spans(text, find_mentions(text), natasha_spans(text))


def entities_by_rules(texts: dict[str, str], finder: Finder = find_mentions) -> dict[str, set[str]]:
    found = {file: [m.key for m in finder(text)] for file, text in texts.items()}
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


def rate_of(texts: list[str], finder: Callable[[str], object] = find_mentions) -> float:
    started = time.perf_counter()
    for text in texts:
        finder(text)
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
            store.entities.replace_mentions({f"doc{n}": mentions}, 1)
        regroup(store)
        added = (time.perf_counter() - started) * 1000 / len(texts)
        store.close()
    return cold, warm, added


def _spread(milliseconds: list[float]) -> str:
    return (f"median {statistics.median(milliseconds):.1f} ms, "
            f"p95 {statistics.quantiles(milliseconds, n=20)[-1]:.1f} ms")


def suggest_speed(texts: dict[str, str], names: dict[str, set[str]]) -> None:
    """Milliseconds of a suggestion (the entities of a name still being typed, looked up by key in the
    store) and of a search page with and without its hits' entities, in an embedded archive holding
    the sentences."""
    from archive.pipeline import IngestRequest
    from archive.service import Archive
    from archive.settings import load_settings

    with tempfile.TemporaryDirectory() as home:
        archive = Archive(load_settings(home=Path(home)))
        list(archive.ingest_paths([NAMES / "docs"], IngestRequest()))  # a generator: run it through
        lemmas = sorted({name.split(":", 1)[1] for name in names})
        typed = [lemma[:n] for lemma in lemmas for n in range(3, len(lemma) + 1)]
        timings = []
        for prefix in typed:
            started = time.perf_counter()
            archive.entities(prefix, limit=6, still_typing=True)
            timings.append((time.perf_counter() - started) * 1000)
        print(f"suggestions: {len(typed)} prefixes of the {len(lemmas)} annotated names over "
              f"{len(archive.store.entities.all())} entities: {_spread(timings)}")
        for named in (False, True):
            timings = []
            for lemma in lemmas:
                started = time.perf_counter()
                archive.search(lemma, named=named)
                timings.append((time.perf_counter() - started) * 1000)
            which = 'with' if named else 'without'
            print(f"search pages of 10 hits {which} their entities: {_spread(timings)}")
        archive.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--speed-only", action="store_true")
    parser.add_argument("--natasha", action="store_true", help="also with Natasha's spans (needs natasha)")
    parser.add_argument("--suggest", action="store_true", help="only the speed of suggestions and hits")
    args = parser.parse_args()
    texts, names = load(NAMES)
    if args.suggest:
        suggest_speed(texts, names)
        return 0
    corpora = (("real-eval sentences", list(texts.values())),
               ("dev-eval documents", [p.read_text("utf-8") for p in sorted(DEV_EVAL.iterdir())]))
    if not args.speed_only:
        print("| language | names | method | recall | purity | entities scored |")
        print("| --- | --- | --- | --- | --- | --- |")
        methods = [("capitalisation only", lambda: entities_by_capitals(texts)),
                   ("mentions + grouping", lambda: entities_by_rules(texts))]
        if args.natasha:
            methods.append(("mentions + Natasha + grouping", lambda: entities_by_rules(texts, with_natasha)))
        for method, entities_of in methods:
            for language, figures in score(names, entities_of()).items():
                print(f"| {language} | {figures['names']} | {method} | {figures['recall']:.3f} | "
                      f"{figures['purity']:.3f} | {figures['entities']} |")
    if args.natasha:
        natasha_spans("Суд в Шымкенте.")  # the model loaded before timing
        for label, corpus in corpora:
            rate = rate_of(corpus, natasha_spans)
            print(f"{label}: Natasha's spans found at {rate:,.1f} documents/s")
    for label, corpus in corpora:
        cold, warm, added = speed(corpus)
        print(f"{label}: {len(corpus)} documents, mentions found at {cold:,.0f} documents/s with name keys "
              f"to compute, {warm:,.0f} documents/s with them cached; found, kept and grouped: "
              f"{added:.2f} ms per document")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
