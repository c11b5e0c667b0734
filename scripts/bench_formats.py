"""Ingest rate per format family: the same generated monitoring texts (2–5 KB) written as each format an
archivist receives, ingested into a fresh embedded archive one family at a time; prints a table.

    .venv/bin/python scripts/bench_formats.py              # 200 files a family
    .venv/bin/python scripts/bench_formats.py --files 50

A container's rate counts its files; its members (each a document of its own) are counted beside it.
Figures go to docs/benchmarks.md with the command that produced them.
"""

from __future__ import annotations

import argparse
import io
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.service import Archive, IngestRequest
from archive.settings import load_settings
from scripts.corpus_gen import documents
from tests.fixtures.formats import (
    make_csv,
    make_eml,
    make_ods,
    make_odt,
    make_pptx,
    make_rtf,
    make_xls,
    make_xlsx,
)
from tests.fixtures.make_fixtures import docx_bytes, fpdf_pdf, html_page
from tests.fixtures.outlook import make_msg

MEMBERS_PER_CONTAINER = 10


def _write(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _zip(path: Path, texts: list[str]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
        for number, text in enumerate(texts):
            bundle.writestr(f"statements/{number:02}.txt", text)


def _tar(path: Path, texts: list[str]) -> None:
    with tarfile.open(path, "w:gz") as bundle:
        for number, text in enumerate(texts):
            data = text.encode()
            info = tarfile.TarInfo(f"statements/{number:02}.txt")
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))


# family -> (file suffix, writer of one file from a text)
FAMILIES: dict[str, tuple[str, Callable[[Path, str], None]]] = {
    "plain text": (".txt", lambda path, text: path.write_text(text, encoding="utf-8")),
    "HTML page": (".html", lambda path, text: path.write_text(html_page("Report", text.split("\n")))),
    "PDF (text layer)": (".pdf", lambda path, text: _write(path, fpdf_pdf(text.split("\n")))),
    "DOCX": (".docx", lambda path, text: _write(path, docx_bytes("Report", "Report", text.split("\n")))),
    "ODT": (".odt", make_odt),
    "RTF": (".rtf", lambda path, text: make_rtf(path, text.encode("ascii", "ignore").decode())),
    "XLSX": (".xlsx", make_xlsx),
    "ODS": (".ods", make_ods),
    "XLS": (".xls", make_xls),
    "CSV": (".csv", make_csv),
    "PPTX": (".pptx", make_pptx),
    "EML with attachment": (".eml", lambda path, text: _write(path, make_eml(text[:800], text[800:]))),
    "MSG with attachment": (".msg", lambda path, text: make_msg(path, text[:800], text[800:])),
}
CONTAINERS: dict[str, tuple[str, Callable[[Path, list[str]], None]]] = {
    f"ZIP of {MEMBERS_PER_CONTAINER} texts": (".zip", _zip),
    f"TAR.GZ of {MEMBERS_PER_CONTAINER} texts": (".tar.gz", _tar),
}


def _rate(folder: Path, home: Path) -> tuple[float, int, int]:
    """(seconds, files, documents) of ingesting every file of `folder` into a new archive at `home`."""
    archive = Archive(load_settings(home=home, backend="embedded"))
    try:
        files = sorted(folder.iterdir())
        started = time.perf_counter()
        results = list(archive.ingest_paths(files, IngestRequest()))
        archive.flush_index()
        elapsed = time.perf_counter() - started
        failed = [r for r in results if r.status == "failed"]
        if failed:
            raise SystemExit(f"{folder.name}: {len(failed)} failed, e.g. {failed[0].error}")
        return elapsed, len(files), archive.store.count()
    finally:
        archive.close()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--files", type=int, default=200, help="files a family")
    args = parser.parse_args()
    texts = [text for _, text in documents(args.files * MEMBERS_PER_CONTAINER, seed=23)]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-formats-") as scratch:
        root = Path(scratch)
        plan = [(name, suffix, write, False) for name, (suffix, write) in FAMILIES.items()]
        plan += [(name, suffix, write, True) for name, (suffix, write) in CONTAINERS.items()]
        for number, (name, suffix, write, container) in enumerate(plan):
            folder = root / f"files-{number}"
            folder.mkdir()
            size = 0
            for index in range(args.files):
                path = folder / f"{index:05}{suffix}"
                if container:
                    start = index * MEMBERS_PER_CONTAINER
                    write(path, texts[start:start + MEMBERS_PER_CONTAINER])
                else:
                    write(path, texts[index])
                size += path.stat().st_size
            elapsed, files, stored = _rate(folder, root / f"home-{number}")
            rows.append((name, files, stored, size / files / 1024, files / elapsed, stored / elapsed))
            print(f"  {name}: {files / elapsed:.1f} files/s", file=sys.stderr)
    print(f"\nIngest per format family, {args.files} files each, embedded index\n")
    print("| family | files | documents | KB a file | files/s | documents/s |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, files, stored, kb, per_file, per_document in rows:
        print(f"| {name} | {files} | {stored} | {kb:.1f} | {per_file:.1f} | {per_document:.1f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
