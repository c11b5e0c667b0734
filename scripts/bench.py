"""Benchmarks: ingest throughput, search latency, name-key speed and peak memory; prints a table.

    .venv/bin/python scripts/bench.py                   # 20,000 documents, embedded backend
    .venv/bin/python scripts/bench.py --elasticsearch   # and Elasticsearch
    .venv/bin/python scripts/bench.py --long-only       # only the searches whose hits are long documents
    .venv/bin/python scripts/bench.py --scale --documents 1000000 --elasticsearch   # make bench-scale

Figures go to docs/benchmarks.md with the command that produced them.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from itertools import islice
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.accounts import SYSTEM, Principal, Role
from archive.analysis import name_key, tokenize
from archive.domain import Kind
from archive.search.batch import BatchRequest
from archive.service import Archive, IngestRequest
from archive.settings import KEPT_ANSWERS, Settings, load_settings
from archive.workers import Workers, default_workers
from scripts.corpus_gen import batch_names, documents, long_report, queries

LONG_QUERIES = ("суд", "Мамаю", "Zhanbolat Mamay", "Жанболат Мамай", "сот", "court")


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


class EchoedRows(list):
    """Table rows, each also printed to stderr as it is measured: a run of hours that is stopped early
    still leaves the figures it had."""

    def append(self, row: tuple[str, str]) -> None:
        print(f"| {row[0]} | {row[1]} |", file=sys.stderr, flush=True)
        super().append(row)

    def __iadd__(self, more: Iterable[tuple[str, str]]) -> EchoedRows:
        for row in more:
            self.append(row)
        return self


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def write_long_corpus(folder: Path, count: int, size: int) -> int:
    """`count` reports of `size` characters (ru, kk, en in turn), each naming Zhanbolat Mamay once."""
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for number in range(count):
        language = ("ru", "kk", "en")[number % 3]
        data = long_report(language, size, seed=number).encode("utf-8")
        (folder / f"long-{number:02d}-{language}.txt").write_bytes(data)
        total += len(data)
    return total


def time_searches(
    archive: Archive,
    rounds: int,
    asked: Iterable[str] | None = None,
    warm_up: bool = False,
    viewer: Principal = SYSTEM,
) -> dict[str, float]:
    """Latency of `archive.search` over the queries, asked `rounds` times (after one untimed round
    with `warm_up`: the figures are then those of a running server, its caches filled)."""
    latencies = []
    for round_number in range(rounds + warm_up):
        for query in asked or queries():
            start = time.perf_counter()
            archive.search(query, viewer, limit=10)
            if round_number >= warm_up:
                latencies.append((time.perf_counter() - start) * 1000)
    return summary(latencies)


SETTLING_NAMES = 500


def settle(archive: Archive) -> None:
    """Brings a backend to the state of a server that has been answering for a while, before its
    searches are timed: Elasticsearch's JVM compiles its hot paths over the first thousands of requests
    (a name search took 10 ms on the node just after a reindex, 2–4 ms once warm). The settling queries
    are the batch's names less the timed queries among them, so that no answer kept by either backend
    is timed."""
    timed = set(queries())
    for name in batch_names(SETTLING_NAMES):
        if name not in timed:
            archive.search(name, SYSTEM, limit=10)


def time_api_searches(settings: Settings, rounds: int, asked: Iterable[str]) -> dict[str, float]:
    """The same searches through `GET /api/search` (FastAPI's TestClient: routing and JSON included)."""
    from fastapi.testclient import TestClient

    from web.app import create_app

    latencies = []
    with TestClient(create_app(settings)) as client:
        for round_number in range(rounds + 1):  # the first round warms the new process's caches
            for query in asked:
                start = time.perf_counter()
                client.get("/api/search", params={"q": query, "limit": 10}).raise_for_status()
                if round_number:
                    latencies.append((time.perf_counter() - start) * 1000)
    return summary(latencies)


def time_batch(archive: Archive, count: int) -> tuple[float, int]:
    """Seconds for one batch name search of `count` names (the service call the API and the page
    make), and how many of the names were found."""
    request = BatchRequest.create(batch_names(count))
    start = time.perf_counter()
    rows = archive.search_batch(request)
    return time.perf_counter() - start, sum(row.total > 0 for row in rows)


def time_api_batch(settings: Settings, count: int) -> float:
    """The same batch through `POST /api/search/batch`, answered as CSV (routing and CSV included)."""
    from fastapi.testclient import TestClient

    from web.app import create_app

    with TestClient(create_app(settings)) as client:
        client.post("/api/search/batch", json={"names": batch_names(3)}).raise_for_status()  # warm
        start = time.perf_counter()
        client.post("/api/search/batch", json={"names": batch_names(count)},
                    headers={"Accept": "text/csv"}).raise_for_status()
        return time.perf_counter() - start


def batch_figure(seconds: float, count: int, found: int | None = None) -> str:
    names = f", {found} of them found" if found is not None else ""
    return f"{seconds:.1f} s for {count} names ({seconds / count * 1000:.0f} ms a name{names})"


def summary(latencies: list[float]) -> dict[str, float]:
    return {"p50": statistics.median(latencies), "p95": percentile(latencies, 0.95), "n": len(latencies)}


def latency(figures: dict[str, float]) -> str:
    return f"p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms ({figures['n']:.0f} queries)"


COURTS = tuple(f"{city} city court" for city in (
    "Oral", "Almaty", "Astana", "Aktobe", "Atyrau", "Taraz", "Shymkent", "Pavlodar", "Semey", "Kostanay",
    "Oskemen", "Petropavl"))
PUBLISHERS = ("Vlast.kz", "Azattyq", "KazTAG", "Orda.kz", "Tengrinews")


def give_metadata(archive: Archive) -> int:
    """Half the documents become rulings of twelve courts over ten years, one in six media items of
    five publishers: what the facets count. Written to the store; the reindex that follows indexes them."""
    changed = 0
    for number, document in enumerate(list(archive.store.iter_documents())):
        day = f"{2015 + number % 10}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        if number % 2 == 0:
            kind, metadata = Kind.RULING, {"court": COURTS[number % 12], "decision_date": day}
        elif number % 6 == 1:
            kind, metadata = Kind.MEDIA, {"publisher": PUBLISHERS[number % 5], "published_date": day}
        else:
            continue
        archive.store.update(replace(document, kind=kind, metadata={**document.metadata, **metadata}))
        changed += 1
    return changed


def time_search_pages(settings: Settings, rounds: int) -> dict[str, dict[str, float]]:
    """The search page with its facets, rendered whole (GET /search, as a link or a reload asks it)
    and as the fragment htmx asks for, for each benchmark query, with and without a year and court
    chosen (a chosen facet is counted apart: one aggregation more for each)."""
    from fastapi.testclient import TestClient

    from web.app import create_app

    asked = list(queries())
    kinds: dict[str, list[float]] = {"page": [], "fragment": [], "filtered": []}
    with TestClient(create_app(settings)) as client:
        for round_number in range(rounds + 1):  # the first round warms the new process's caches
            for query in asked:
                for kind, params, headers in (
                    ("page", {"q": query}, {}),
                    ("fragment", {"q": query}, {"HX-Request": "true"}),
                    ("filtered", {"q": query, "year": "2019", "court": COURTS[1]}, {"HX-Request": "true"}),
                ):
                    start = time.perf_counter()
                    response = client.get("/search", params=params, headers=headers)
                    response.raise_for_status()
                    if round_number:
                        kinds[kind].append((time.perf_counter() - start) * 1000)
            if round_number == 0:
                assert 'data-facet="court"' in client.get("/search", params={"q": asked[0]}).text
    return {kind: summary(latencies) for kind, latencies in kinds.items()}


def time_facet_cost(archive: Archive, rounds: int) -> tuple[dict[str, float], dict[str, float]]:
    """The engine's search of each benchmark query with and without its facets, asked in turn, so that
    the load of the machine weighs on both alike: what the facets add to a search."""
    from archive.index.base import Filters
    from archive.search.parser import parse_query
    from archive.search.planner import plan
    from archive.search.request import FACET_SIZE

    trees = [plan(parse_query(query), []).query for query in queries()]
    timed: dict[int, list[float]] = {0: [], FACET_SIZE: []}
    for _ in range(rounds):
        for tree in trees:
            for facets in timed:
                start = time.perf_counter()
                archive.backend.search(tree, Filters(), 10, facets=facets)
                timed[facets].append((time.perf_counter() - start) * 1000)
    return summary(timed[0]), summary(timed[FACET_SIZE])


def long_document_rows(settings: Settings, corpus: Path, rounds: int, label: str) -> list[tuple[str, str]]:
    """Search latency when every hit is a long document, through the service and through the API."""
    archive = Archive(settings)
    try:
        list(archive.ingest_paths([corpus], IngestRequest()))
        for query in LONG_QUERIES:  # every hit a long report, or the line measures something else
            assert archive.search(query, limit=10).hits, query
        direct = time_searches(archive, rounds, LONG_QUERIES, warm_up=True)
    finally:
        archive.close()
    api = time_api_searches(settings, rounds, LONG_QUERIES)
    return [
        (f"search, long documents, {label}", latency(direct)),
        (f"search, long documents, {label}, GET /api/search", latency(api)),
    ]


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


def researcher(results: list) -> Principal:
    """A researcher granted every hundredth document: public ones plus a set of grants to filter by."""
    granted = frozenset(r.id for r in results[::100] if r.id)
    return Principal("bench-researcher", Role.RESEARCHER, 1, granted)


def short_document_rows(scratch: Path, args: argparse.Namespace) -> list[tuple[str, str]]:
    """Ingest, search, reindex and name-key speed on the corpus of short documents."""
    rows = EchoedRows()
    corpus = scratch / "corpus"
    count, size = write_corpus(corpus, args.documents)
    rows.append(("corpus", f"{count} documents, {size / 1e6:.1f} MB (en/ru/kk, 2–5 KB each)"))

    # Every search does its work: with kept answers (`archive.search.answers`) a query asked again
    # would measure a look-up. The rows "asked again" measure those.
    settings = load_settings(home=scratch / "home", backend="embedded", kept_answers=0)
    archive = Archive(settings)
    start = time.perf_counter()
    results = list(archive.ingest_paths([corpus], IngestRequest(), workers=args.workers))
    seconds = time.perf_counter() - start
    failed = sum(r.status == "failed" for r in results)
    rows.append(
        (
            f"ingest, embedded (store + blobs + extract + language + index), {args.workers} workers",
            f"{count / seconds:.0f} documents/s, {size / 1e6 / seconds:.2f} MB/s "
            f"({seconds:.0f} s, {failed} failed)",
        )
    )
    settle(archive)
    embedded = time_searches(archive, args.rounds)
    rows.append(("search, embedded", latency(embedded)))
    filtered = time_searches(archive, args.rounds, viewer=researcher(results))
    rows.append((
        "search, embedded, as a researcher (access filtered in the engine)",
        f"{latency(filtered)}, {filtered['p95'] / embedded['p95']:.2f}x the unfiltered p95",
    ))
    given = give_metadata(archive)
    seconds, found = time_batch(archive, args.batch_names)
    rows.append(("batch name search, embedded", batch_figure(seconds, args.batch_names, found)))
    if args.scale:
        rows.append(("disk, embedded (store + blobs + index)",
                     f"{disk_bytes(settings.home) / count / 1024:.1f} KB/document, "
                     f"index {disk_bytes(settings.index_dir) / 1e6:.0f} MB"))
    if args.elasticsearch_url:  # before the embedded reindex: a run of hours has these figures first
        archive.close()  # its threads are not to be forked into the workers of the Elasticsearch rows
        rows += elastic_rows(settings, args, count, embedded)
        archive = Archive(settings)
    start = time.perf_counter()
    archive.reindex(workers=args.workers)
    rebuild = time.perf_counter() - start
    rows.append((f"reindex, embedded, {args.workers} workers", f"{count / rebuild:.0f} documents/s"))
    bare, faceted = time_facet_cost(archive, args.rounds)
    rows.append(("engine search alone, without facets, embedded", latency(bare)))
    rows.append(("engine search alone, with facets, embedded",
                 f"{latency(faceted)}, {faceted['p95'] / bare['p95']:.2f}x the p95 without"))
    archive.close()
    rows += concurrent_rows(settings, args, "embedded")
    keeping = settings.with_overrides(kept_answers=KEPT_ANSWERS)
    rows += concurrent_rows(keeping, args, "embedded, the same 36 queries asked again (kept answers)")
    kept = Archive(keeping)
    rows.append(("search, embedded, asked again (kept answers)",
                 latency(time_searches(kept, args.rounds, warm_up=True))))
    kept.close()
    pages = time_search_pages(settings, args.rounds)
    rows.append((f"search page with facets, whole ({given} rulings and media among them)",
                 latency(pages["page"])))
    rows.append(("search page with facets, htmx fragment", latency(pages["fragment"])))
    rows.append(("search page with facets, a year and a court chosen", latency(pages["filtered"])))
    api_seconds = time_api_batch(settings, args.batch_names)
    rows.append(("batch name search, embedded, POST /api/search/batch as CSV",
                 batch_figure(api_seconds, args.batch_names)))
    running, cold, distinct = time_name_keys(corpus)
    rows.append(("name keys, one core, running text", f"{running:,.0f} tokens/s"))
    rows.append(
        ("name keys, one core, distinct words, cold cache", f"{cold:,.0f} words/s ({distinct:,} words)")
    )
    return rows


def elastic_rows(
    settings: Settings, args: argparse.Namespace, count: int, embedded: dict[str, float]
) -> list[tuple[str, str]]:
    """The embedded archive's documents analysed, bulk indexed and reindexed into Elasticsearch, and
    searched there; `embedded` is the embedded search's latency, for the ratios. The caller prints
    the rows."""
    rows: list[tuple[str, str]] = []
    es_settings = elastic_settings(settings, args.elasticsearch_url, f"bench-{os.getpid()}")
    with Workers(args.workers) as pool:
        pool.start()  # before the index is opened: no thread of it is forked
        es_archive = Archive(es_settings)
        analysis, bulk, sampled = time_backend_bulk(es_archive, pool)
    rows.append((f"analysis alone (index entries), {args.workers} workers",
                 f"{analysis:.0f} documents/s ({sampled} documents)"))
    rows.append(("bulk index, Elasticsearch backend alone (analysed documents, rebuild)",
                 f"{bulk:.0f} documents/s ({sampled} documents, "
                 f"{getattr(es_archive.backend, 'bulk_senders', 1)} bulk requests at a time)"))
    start = time.perf_counter()
    es_archive.reindex(workers=args.workers)
    es_seconds = time.perf_counter() - start
    rows.append(
        (
            f"bulk index, Elasticsearch (archive reindex, analysis included), {args.workers} workers",
            f"{count / es_seconds:.0f} documents/s",
        )
    )
    # The batch before the settling searches, whose names are the batch's: the term cache would
    # otherwise know every term of it already.
    batch_seconds, batch_found = time_batch(es_archive, args.batch_names)
    settle(es_archive)
    elastic = time_searches(es_archive, args.rounds)
    rows.append(
        (
            "search, Elasticsearch",
            f"p50 {elastic['p50']:.1f} ms ({elastic['p50'] / embedded['p50']:.2f}x), "
            f"p95 {elastic['p95']:.1f} ms ({elastic['p95'] / embedded['p95']:.2f}x)",
        )
    )
    rows.append(("batch name search, Elasticsearch",
                 batch_figure(batch_seconds, args.batch_names, batch_found)))
    cold = time_searches(es_archive, 1, cold_queries(), warm_up=False)
    rows.append(("search, Elasticsearch, queries never asked before (no term known)", latency(cold)))
    if args.scale:
        rows.append(("disk, Elasticsearch index (primary store)",
                     f"{es_store_bytes(es_archive) / count / 1024:.1f} KB/document"))
    kept = Archive(es_settings.with_overrides(kept_answers=KEPT_ANSWERS))
    rows.append(("search, Elasticsearch, asked again (kept answers)",
                 latency(time_searches(kept, args.rounds, warm_up=True))))
    kept.close()
    es_archive.close()
    rows += concurrent_rows(es_settings, args, "Elasticsearch")
    rows += concurrent_rows(es_settings.with_overrides(kept_answers=KEPT_ANSWERS), args,
                            "Elasticsearch, the same 36 queries asked again (kept answers)")
    drop_indices(args.elasticsearch_url, es_settings.elasticsearch_index)
    return rows


BULK_SAMPLE = 20_000  # analysed documents held in memory for the backend's own bulk rate


def time_backend_bulk(archive: Archive, pool: Workers) -> tuple[float, float, int]:
    """Documents per second of the analysis alone (the index entries, made in the workers) and of the
    index backend's rebuild from those entries, over the first BULK_SAMPLE documents: what each part of
    `archive reindex` could do by itself."""
    start = time.perf_counter()
    entries = list(pool.index_documents(islice(archive.store.iter_documents(), BULK_SAMPLE)))
    analysis = len(entries) / (time.perf_counter() - start)
    start = time.perf_counter()
    archive.backend.rebuild(iter(entries))
    return analysis, len(entries) / (time.perf_counter() - start), len(entries)


def cold_queries() -> list[str]:
    """Names no benchmark query asked for, so that the term cache knows none of their near keys."""
    return ["Серикбол Айтбаев", "Nurzhan Kuanyshev", "Гульмира Токтарова", "Ержан Сапарбек",
            "Dinara Abilova", "Асхат Жумабеков", "Bolat Serikov", "Әлия Нұрланқызы"]


def disk_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def es_store_bytes(archive: Archive) -> int:
    from elasticsearch import Elasticsearch

    with Elasticsearch(archive.settings.elasticsearch_url) as client:
        stats = client.indices.stats(index=archive.settings.elasticsearch_index, metric="store")
        return int(stats["_all"]["primaries"]["store"]["size_in_bytes"])


@contextmanager
def served(settings: Settings, workers: int) -> Iterator[tuple[str, int]]:
    """`archive serve --workers N` on the archive, as a separate process; yields its URL and pid."""
    port = free_port()
    env = {**os.environ, **settings.as_environment()}
    command = [sys.executable, "-m", "archive", "serve", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the benchmark server did not start")
            time.sleep(0.3)
        yield url, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=60)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def process_tree(pid: int) -> list[int]:
    """A process and its children, theirs included (the server and its worker processes)."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
            found.append(current)
    return found


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (the server's worker processes), in MB."""
    total = 0
    for current in process_tree(pid):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def warm_up(url: str, asked: list[str], server_workers: int) -> None:
    """Each server process's caches filled, as a running server has them: a few rounds of the queries."""
    with httpx.Client(base_url=url, timeout=30) as warm:
        for query in asked:
            for _ in range(server_workers * 2):
                warm.get("/api/search", params={"q": query, "limit": 10})


def search_concurrently(url: str, asked: list[str], clients: int, seconds: float) -> tuple[list[float], int]:
    """`clients` threads asking `GET /api/search` the queries in turn for `seconds`: the latency of each
    request, in milliseconds, and how many did not answer 200."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            n = offset
            while time.monotonic() < stop:
                start = time.perf_counter()
                answer = http.get("/api/search", params={"q": asked[n % len(asked)], "limit": 10})
                took = (time.perf_counter() - start) * 1000
                with lock:
                    latencies.append(took)
                    errors[0] += answer.status_code != 200
                n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors[0]


def concurrent_rows(settings: Settings, args: argparse.Namespace, label: str) -> list[tuple[str, str]]:
    """Search latency through HTTP with `--clients` concurrent clients for `--seconds`, against the
    server with `--server-workers` processes; and the server's memory."""
    asked = list(queries())
    with served(settings, args.server_workers) as (url, pid):
        warm_up(url, asked, args.server_workers)
        latencies, errors = search_concurrently(url, asked, args.clients, args.seconds)
        memory = tree_rss_mb(pid)
    figures = summary(latencies)
    return [
        (f"search, {label}, {args.clients} concurrent clients, server --workers {args.server_workers}",
         f"{latency(figures)}, {len(latencies) / args.seconds:.0f} requests/s, {errors} errors"),
        (f"server memory, {label} (all its processes, after the run)", f"{memory:.0f} MB"),
    ]


def long_rows(scratch: Path, args: argparse.Namespace) -> list[tuple[str, str]]:
    """Searches whose every hit is a long document, on each backend measured."""
    corpus = scratch / "long"
    size = write_long_corpus(corpus, args.long_documents, args.long_chars)
    rows = EchoedRows()
    rows.append(
        (
            "long corpus",
            f"{args.long_documents} reports of {args.long_chars / 1e6:.1f} M characters "
            f"({size / 1e6:.0f} MB), queries {', '.join(LONG_QUERIES)}",
        )
    )
    settings = load_settings(home=scratch / "long-home", backend="embedded", kept_answers=0)
    rows += long_document_rows(settings, corpus, args.rounds, "embedded")
    if args.elasticsearch_url:
        index = f"bench-long-{os.getpid()}"  # new, so that nothing of an earlier run is found
        es_settings = elastic_settings(settings.with_overrides(home=scratch / "long-es-home"),
                                       args.elasticsearch_url, index)
        try:
            rows += long_document_rows(es_settings, corpus, args.rounds, "Elasticsearch")
        finally:
            drop_indices(args.elasticsearch_url, index)
    return rows


def drop_indices(url: str, alias: str) -> None:
    """Deletes the indices behind `alias` and its passages alias, by name."""
    from elasticsearch import Elasticsearch

    with Elasticsearch(url) as client:
        names = list(client.indices.get(index=f"{alias}-*", allow_no_indices=True))
        if names:
            client.indices.delete(index=",".join(names), ignore_unavailable=True)


def elastic_settings(settings: Settings, url: str, index: str) -> Settings:
    return settings.with_overrides(backend="elasticsearch", elasticsearch_url=url, elasticsearch_index=index)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=10, help="times each benchmark query is asked")
    parser.add_argument("--elasticsearch", action="store_true", help="also measure the Elasticsearch backend")
    parser.add_argument("--long-documents", type=int, default=12, help="reports in the long corpus")
    parser.add_argument("--long-chars", type=int, default=1_500_000, help="characters of each long report")
    parser.add_argument("--long-only", action="store_true", help="skip the corpus of short documents")
    parser.add_argument("--batch-names", type=int, default=500, help="names of the batch name search")
    parser.add_argument("--workers", type=int, default=default_workers(), help="ingest and reindex workers")
    parser.add_argument("--clients", type=int, default=8, help="concurrent search clients")
    parser.add_argument("--seconds", type=float, default=20, help="how long the concurrent clients search")
    parser.add_argument("--server-workers", type=int, default=default_workers(),
                        help="archive serve --workers")
    parser.add_argument("--scale", action="store_true",
                        help="also disk per document; no long-document corpus (make bench-scale)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="archive-bench-") as scratch, (
        elasticsearch_url() if args.elasticsearch else contextlib.nullcontext(None)
    ) as url:
        args.elasticsearch_url = url
        # A plain list: its rows were printed as they were measured, and are not printed again.
        rows = [] if args.long_only else list(short_document_rows(Path(scratch), args))
        if not args.scale:
            rows += long_rows(Path(scratch), args)
        rows.append(("peak memory (this process)", f"{peak_rss_mb():.0f} MB"))

    width = max(len(name) for name, _ in rows)
    print(f"| {'measure':<{width}} | figure |")
    print(f"|{'-' * (width + 2)}|--------|")
    for name, figure in rows:
        print(f"| {name:<{width}} | {figure} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
