"""What `archive serve` costs a request: latency on one kept-alive connection, then under concurrent
clients, with the server's CPU per request read from /proc around the requests.

    .venv/bin/python scripts/measure_serving.py ARCHIVE_HOME [--workers 2] [--clients 8] [--seconds 15]
        [--kept-answers 0]

`--kept-answers 0`: every search worked out. ARCHIVE_HOME holds an archive already (for example one
that `scripts/bench.py`'s corpus was ingested into); the queries are the benchmark's. Linux only.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from archive.settings import KEPT_ANSWERS, load_settings
from scripts.bench import percentile, process_tree, search_concurrently, served, warm_up
from scripts.corpus_gen import queries


def tree_cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its children (the server's workers)."""
    total = 0
    for current in process_tree(pid):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def kept_alive(url: str, paths: list[str]) -> list[float]:
    """Milliseconds of each request, in turn on one kept-alive connection."""
    connection = http.client.HTTPConnection(urlsplit(url).netloc)
    took = []
    for path in paths:
        start = time.perf_counter()
        connection.request("GET", path)
        connection.getresponse().read()
        took.append((time.perf_counter() - start) * 1000)
    connection.close()
    return took


def figures(latencies: list[float]) -> str:
    return f"p50 {percentile(latencies, 0.5):.1f} ms, p95 {percentile(latencies, 0.95):.1f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("home", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--kept-answers", type=int, default=KEPT_ANSWERS,
                        help="ARCHIVE_KEPT_ANSWERS of the server; 0: every search worked out")
    args = parser.parse_args()
    settings = load_settings(home=args.home, kept_answers=args.kept_answers)
    asked = list(queries())
    with served(settings, args.workers) as (url, pid):
        warm_up(url, asked, args.workers)
        rows = [("/healthz, one kept-alive connection", figures(kept_alive(url, ["/healthz"] * 50)))]
        before = tree_cpu_seconds(pid)
        searches = [f"/api/search?{urlencode({'q': query, 'limit': 10})}" for query in asked * 3]
        sequential = kept_alive(url, searches)
        cpu = (tree_cpu_seconds(pid) - before) / len(sequential) * 1000
        rows.append(("GET /api/search, one client, one kept-alive connection",
                     f"{figures(sequential)}; server CPU {cpu:.1f} ms a request"))
        before, client_before = tree_cpu_seconds(pid), time.process_time()
        latencies, errors = search_concurrently(url, asked, args.clients, args.seconds)
        cpu = (tree_cpu_seconds(pid) - before) / len(latencies) * 1000
        client_cpu = (time.process_time() - client_before) / len(latencies) * 1000
        rows.append((
            f"GET /api/search, {args.clients} clients, --workers {args.workers}",
            f"{figures(latencies)}, {len(latencies) / args.seconds:.0f} requests/s, {errors} errors; "
            f"server CPU {cpu:.1f} ms, clients' CPU {client_cpu:.1f} ms a request",
        ))
    for name, figure in rows:
        print(f"| {name} | {figure} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
