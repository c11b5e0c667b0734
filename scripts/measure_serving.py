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
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from archive.settings import KEPT_ANSWERS
from scripts.bench import free_port, percentile
from scripts.corpus_gen import queries


def tree_cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its children (the server's workers)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            pass
    return total / os.sysconf("SC_CLK_TCK")


def kept_alive(port: int, path: str, count: int) -> list[float]:
    """Milliseconds of each of `count` requests on one kept-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port)
    took = []
    for _ in range(count):
        start = time.perf_counter()
        connection.request("GET", path)
        connection.getresponse().read()
        took.append((time.perf_counter() - start) * 1000)
    connection.close()
    return took


def concurrent(url: str, asked: list[str], clients: int, seconds: float) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(offset: int) -> None:
        with httpx.Client(base_url=url, timeout=30) as http:
            n = offset
            while time.monotonic() < stop:
                start = time.perf_counter()
                http.get("/api/search", params={"q": asked[n % len(asked)], "limit": 10})
                with lock:
                    latencies.append((time.perf_counter() - start) * 1000)
                n += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


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
    port = free_port()
    env = {**os.environ, "ARCHIVE_HOME": str(args.home), "ARCHIVE_KEPT_ANSWERS": str(args.kept_answers)}
    server = subprocess.Popen(
        [sys.executable, "-m", "archive", "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    asked = list(queries())
    try:
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.3)
        with httpx.Client(base_url=url, timeout=30) as warm:
            for query in asked * 2 * args.workers:
                warm.get("/api/search", params={"q": query, "limit": 10})
        rows = [("/healthz, one kept-alive connection", figures(kept_alive(port, "/healthz", 50)))]
        before = tree_cpu_seconds(server.pid)
        connection = http.client.HTTPConnection("127.0.0.1", port)
        sequential = []
        for query in asked * 3:
            start = time.perf_counter()
            connection.request("GET", f"/api/search?{httpx.QueryParams(q=query, limit=10)}")
            connection.getresponse().read()
            sequential.append((time.perf_counter() - start) * 1000)
        connection.close()
        cpu = (tree_cpu_seconds(server.pid) - before) / len(sequential) * 1000
        rows.append(("GET /api/search, one client, one kept-alive connection",
                     f"{figures(sequential)}; server CPU {cpu:.1f} ms a request"))
        before, client_before = tree_cpu_seconds(server.pid), time.process_time()
        latencies = concurrent(url, asked, args.clients, args.seconds)
        cpu = (tree_cpu_seconds(server.pid) - before) / len(latencies) * 1000
        client_cpu = (time.process_time() - client_before) / len(latencies) * 1000
        rows.append((
            f"GET /api/search, {args.clients} clients, --workers {args.workers}",
            f"{figures(latencies)}, {len(latencies) / args.seconds:.0f} requests/s; server CPU {cpu:.1f} ms, "
            f"clients' CPU {client_cpu:.1f} ms a request",
        ))
    finally:
        server.terminate()
        server.wait(timeout=60)
    for name, figure in rows:
        print(f"| {name} | {figure} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
