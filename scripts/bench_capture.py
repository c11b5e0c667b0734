"""Capture benchmark: throughput of link capture (WARC, WACZ, custody entry) and what a screenshot adds.

    .venv/bin/python scripts/bench_capture.py [--pages 40] [--shots 10]

Pages come from a local HTTP server on 127.0.0.1 (no network); each is distinct, so every capture makes
a new document. Figures go to docs/benchmarks.md with the command that produced them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.service import Archive, IngestRequest
from archive.settings import load_settings
from tests.http_fixture import LocalServer

PAGE = ("<html lang='ru'><head><meta charset='utf-8'><title>Сообщение {n}</title></head><body>"
        "<h1>Сообщение {n}</h1>" + "<p>Суд Алматы оштрафовал журналиста {n} за публикацию о мирном собрании; "
        "правозащитники считают решение давлением на свободу слова.</p>" * 20 + "</body></html>")


def run(pages: int, screenshots: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home, LocalServer() as server:
        archive = Archive(load_settings(home=Path(home), backend="embedded", screenshots=screenshots))
        urls = [server.route(f"/news/{n}", body=PAGE.format(n=n).encode(),
                             headers={"Content-Type": "text/html; charset=utf-8"}) for n in range(pages)]
        archive.capture(server.route("/warm", body=b"<p>warm up</p>", headers={"Content-Type": "text/html"}),
                        IngestRequest())
        shots, started = [], time.perf_counter()
        for url in urls:
            result = archive.capture(url, IngestRequest())
            assert result.status == "created", result.error
            if result.capture and result.capture.get("screenshot_ms") is not None:
                shots.append(result.capture["screenshot_ms"])
        elapsed = time.perf_counter() - started
        archive.close()
    return {"per_second": pages / elapsed, "mean_ms": elapsed / pages * 1000,
            "screenshot_ms": statistics.median(shots) if shots else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--shots", type=int, default=10)
    args = parser.parse_args()
    plain = run(args.pages, screenshots=False)
    shot = run(args.shots, screenshots=True)
    print("| measure | value |")
    print("| --- | --- |")
    print(f"| captures without screenshot ({args.pages} pages) | {plain['per_second']:.1f} /s, "
          f"{plain['mean_ms']:.0f} ms each |")
    print(f"| captures with screenshot ({args.shots} pages) | {shot['per_second']:.2f} /s, "
          f"{shot['mean_ms']:.0f} ms each |")
    print(f"| time a screenshot adds (median, browser start included) | {shot['screenshot_ms']:.0f} ms |")


if __name__ == "__main__":
    main()
