"""Embedded engine choice: tantivy against SQLite FTS5 on the same analysed terms; prints a table.

    .venv/bin/python scripts/measure_engines.py [--documents 100000]

Both index the WORDS field of generated trilingual documents (terms already analysed in Python, as
the archive does) and answer the same OR queries of two to four common terms, top 10 by BM25.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import tantivy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.search.indexing import analysed_fields
from scripts.corpus_gen import documents

QUERIES = [
    ["court", "fined"],
    ["суд", "штраф", "митинг"],
    ["сот", "айыппұл"],
    ["police", "detained", "rally"],
    ["активист", "задержан"],
    ["journalists", "pressure", "authorities", "protest"],
]


def timed(run, repeat: int = 20) -> tuple[float, float]:
    latencies = []
    for _ in range(repeat):
        for terms in QUERIES:
            start = time.perf_counter()
            run(terms)
            latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    return statistics.median(latencies), latencies[int(0.95 * len(latencies))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--documents", type=int, default=100_000)
    args = parser.parse_args()
    texts = [
        analysed_fields("", text)["words"]
        for _, text in documents(args.documents, min_bytes=1000, max_bytes=2500)
    ]
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("words", tokenizer_name="whitespace")
        schema = builder.build()
        folder = Path(scratch) / "tantivy"
        folder.mkdir()
        index = tantivy.Index(schema, path=str(folder))
        start = time.perf_counter()
        writer = index.writer(heap_size=128_000_000, num_threads=1)
        for number, text in enumerate(texts):
            writer.add_document(tantivy.Document(id=str(number), words=text))
        writer.commit()
        writer.wait_merging_threads()
        index.reload()
        tantivy_s = time.perf_counter() - start
        searcher = index.searcher()

        def tantivy_query(terms: list[str]) -> None:
            query = tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, tantivy.Query.term_query(schema, "words", t)) for t in terms]
            )
            searcher.search(query, 10)

        rows.append(("tantivy", tantivy_s, *timed(tantivy_query)))

        db = sqlite3.connect(Path(scratch) / "fts.sqlite3")
        db.execute("CREATE VIRTUAL TABLE docs USING fts5(words, tokenize='unicode61 remove_diacritics 0')")
        start = time.perf_counter()
        db.executemany("INSERT INTO docs(rowid, words) VALUES (?, ?)", enumerate(texts))
        db.commit()
        fts_s = time.perf_counter() - start

        def fts_query(terms: list[str]) -> None:
            match = " OR ".join(f'"{t}"' for t in terms)
            db.execute(
                "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT 10", (match,)
            ).fetchall()

        rows.append(("SQLite FTS5", fts_s, *timed(fts_query)))
    print(f"{args.documents} documents, OR queries of common terms, top 10 by BM25")
    print("| engine | index (documents/s) | query p50 | query p95 |")
    print("|---|---|---|---|")
    for name, seconds, p50, p95 in rows:
        print(f"| {name} | {args.documents / seconds:,.0f} | {p50:.1f} ms | {p95:.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
