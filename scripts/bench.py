"""Benchmarks: ingest throughput, search latency, name-key speed and peak memory; prints a table.

    .venv/bin/python scripts/bench.py                   # 20,000 documents, embedded backend
    .venv/bin/python scripts/bench.py --elasticsearch   # and Elasticsearch

Figures go to docs/benchmarks.md with the command that produced them.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.accounts import SYSTEM, Principal, Role
from archive.analysis import name_key, tokenize
from archive.pipeline import IngestRequest
from archive.service import Archive
from archive.settings import load_settings
from scripts.corpus_gen import documents, queries


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_corpus(folder: Path, count: int) -> tuple[int, int]:
    total = 0
    for number, (language, text) in enumerate(documents(count)):
        path = folder / f"{number // 1000:03d}" / f"{number:06d}-{language}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    return count, total


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def time_searches(archive: Archive, rounds: int, viewer: Principal = SYSTEM) -> dict[str, float]:
    latencies = []
    for _ in range(rounds):
        for query in queries():
            start = time.perf_counter()
            archive.search(query, viewer, limit=10)
            latencies.append((time.perf_counter() - start) * 1000)
    return {"p50": statistics.median(latencies), "p95": percentile(latencies, 0.95), "n": len(latencies)}


def researcher(results: list) -> Principal:
    """A researcher granted every hundredth document: public ones plus a set of grants to filter by."""
    granted = frozenset(r.id for r in results[::100] if r.id)
    return Principal("bench-researcher", Role.RESEARCHER, 1, granted)


def time_name_keys(folder: Path, limit: int = 300_000) -> tuple[float, float, int]:
    """Name keys per second over running text (as ingest sees it) and over distinct words with a
    cold cache (the worst case), with the number of distinct words."""
    words: list[str] = []
    for path in sorted(folder.rglob("*.txt")):
        words += [t.surface for t in tokenize(path.read_text("utf-8"))]
        if len(words) >= limit:
            break
    distinct = sorted(set(words) | set(_real_words()))
    name_key.cache_clear()
    start = time.perf_counter()
    for word in distinct:
        name_key(word)
    cold = len(distinct) / (time.perf_counter() - start)
    start = time.perf_counter()
    for word in words:
        name_key(word)
    return len(words) / (time.perf_counter() - start), cold, len(distinct)


def _real_words() -> list[str]:
    """Words of real Kazakh and Russian sentences, where the evaluation sets sit beside the repository."""
    folder = Path(__file__).resolve().parent.parent.parent / "shared" / "real-eval" / "names" / "docs"
    return [t.surface for path in sorted(folder.glob("*.txt")) for t in tokenize(path.read_text("utf-8"))]


@contextmanager
def elasticsearch_url() -> Iterator[str]:
    if os.environ.get("ELASTICSEARCH_URL"):
        yield os.environ["ELASTICSEARCH_URL"]
        return
    from scripts.es_node import running_node

    with running_node() as url:
        yield url


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=10, help="times each benchmark query is asked")
    parser.add_argument("--elasticsearch", action="store_true", help="also measure the Elasticsearch backend")
    args = parser.parse_args()

    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="archive-bench-") as scratch:
        corpus = Path(scratch) / "corpus"
        count, size = write_corpus(corpus, args.documents)
        rows.append(("corpus", f"{count} documents, {size / 1e6:.1f} MB (en/ru/kk, 2–5 KB each)"))

        settings = load_settings(home=Path(scratch) / "home", backend="embedded")
        archive = Archive(settings)
        start = time.perf_counter()
        results = list(archive.ingest_paths([corpus], IngestRequest()))
        seconds = time.perf_counter() - start
        failed = sum(r.status == "failed" for r in results)
        rows.append(
            (
                "ingest, embedded (store + blobs + extract + language + index)",
                f"{count / seconds:.0f} documents/s, {size / 1e6 / seconds:.2f} MB/s "
                f"({seconds:.0f} s, {failed} failed)",
            )
        )
        embedded = time_searches(archive, args.rounds)
        rows.append(
            (
                "search, embedded",
                f"p50 {embedded['p50']:.1f} ms, p95 {embedded['p95']:.1f} ms ({embedded['n']} queries)",
            )
        )
        filtered = time_searches(archive, args.rounds, researcher(results))
        rows.append(
            (
                "search, embedded, as a researcher (access filtered in the engine)",
                f"p50 {filtered['p50']:.1f} ms, p95 {filtered['p95']:.1f} ms "
                f"({filtered['p95'] / embedded['p95']:.2f}x the unfiltered p95)",
            )
        )
        start = time.perf_counter()
        archive.reindex()
        rebuild = time.perf_counter() - start
        rows.append(("reindex, embedded", f"{count / rebuild:.0f} documents/s"))
        archive.close()
        running, cold, distinct = time_name_keys(corpus)
        rows.append(("name keys, one core, running text", f"{running:,.0f} tokens/s"))
        rows.append(
            ("name keys, one core, distinct words, cold cache", f"{cold:,.0f} words/s ({distinct:,} words)")
        )

        if args.elasticsearch:
            with elasticsearch_url() as url:
                es_settings = settings.with_overrides(
                    backend="elasticsearch", elasticsearch_url=url, elasticsearch_index="bench"
                )
                es_archive = Archive(es_settings)
                start = time.perf_counter()
                es_archive.reindex()
                es_seconds = time.perf_counter() - start
                rows.append(
                    (
                        "bulk index, Elasticsearch",
                        f"{count / es_seconds:.0f} documents/s "
                        f"({rebuild / es_seconds:.2f}x the embedded reindex)",
                    )
                )
                elastic = time_searches(es_archive, args.rounds)
                rows.append(
                    (
                        "search, Elasticsearch",
                        f"p50 {elastic['p50']:.1f} ms ({elastic['p50'] / embedded['p50']:.2f}x), "
                        f"p95 {elastic['p95']:.1f} ms ({elastic['p95'] / embedded['p95']:.2f}x)",
                    )
                )
                es_archive.close()
        rows.append(("peak memory (this process)", f"{peak_rss_mb():.0f} MB"))

    width = max(len(name) for name, _ in rows)
    print(f"| {'measure':<{width}} | figure |")
    print(f"|{'-' * (width + 2)}|--------|")
    for name, figure in rows:
        print(f"| {name:<{width}} | {figure} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
