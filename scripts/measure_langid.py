"""Measure language detectors on the shared evaluation sets: accuracy per language and speed.

    .venv/bin/python scripts/measure_langid.py [--shared /work/shared]

Detectors: langdetect (`pip install '.[measure]'`); lingua restricted to en/ru/kk (high and low
accuracy mode); the letter rule alone (Kazakh letter → kk, else Cyrillic → ru, else en);
``ingest.langid.detect_language`` (rules + lingua); and ``ingest.langid.detect_document`` for whole
documents.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest.extract import extract  # noqa: E402
from ingest.langid import KK_LETTERS, detect_document, detect_language  # noqa: E402

LANGS = ("en", "ru", "kk")


def load_sets(shared: Path) -> dict[str, list[tuple[str, str]]]:
    sets: dict[str, list[tuple[str, str]]] = {}
    texts = shared / "real-eval" / "langid" / "texts.jsonl"
    if texts.exists():
        rows = [json.loads(line) for line in texts.read_text(encoding="utf-8").splitlines() if line.strip()]
        sets["real-eval langid (sentences)"] = [(row["text"], row["language"]) for row in rows]
    manifest = shared / "dev-eval" / "manifest.json"
    if manifest.exists():
        docs = json.loads(manifest.read_text(encoding="utf-8"))["documents"]
        sets["dev-eval docs"] = [(extract(shared / "dev-eval" / d["file"]).text, d["language"]) for d in docs]
    samples = sorted((shared / "samples").glob("*.txt"))
    if samples:
        sets["samples (English report)"] = [(extract(path).text, "en") for path in samples]
    return sets


def make_detectors() -> dict[str, Callable[[str], str]]:
    from langdetect import DetectorFactory, LangDetectException
    from langdetect import detect as langdetect_detect
    from lingua import Language, LanguageDetectorBuilder

    DetectorFactory.seed = 0
    languages = (Language.ENGLISH, Language.RUSSIAN, Language.KAZAKH)
    high = LanguageDetectorBuilder.from_languages(*languages).build()
    low = LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
    codes = {"ENGLISH": "en", "RUSSIAN": "ru", "KAZAKH": "kk"}

    def run_langdetect(text: str) -> str:
        try:
            return langdetect_detect(text)
        except LangDetectException:
            return "und"

    def lingua_with(detector) -> Callable[[str], str]:
        def run(text: str) -> str:
            found = detector.detect_language_of(text)
            return codes[found.name] if found else "und"

        return run

    def letter_rule(text: str) -> str:
        if any(c in KK_LETTERS for c in text):
            return "kk"
        if re.search("[\u0400-\u04ff]", text):
            return "ru"
        return "en"

    return {
        "langdetect": run_langdetect,
        "lingua": lingua_with(high),
        "lingua low-accuracy": lingua_with(low),
        "letter rule": letter_rule,
        "rules+lingua (detect_language)": detect_language,
        "detect_document": lambda text: detect_document(text)[0],
    }


def measure(detector: Callable[[str], str], rows: list[tuple[str, str]]) -> tuple[dict[str, float], float]:
    detector(rows[0][0])  # warm up: lazy models load on first use
    right = dict.fromkeys((*LANGS, "all"), 0)
    total = dict.fromkeys((*LANGS, "all"), 0)
    start = time.perf_counter()
    answers = [detector(text) for text, _ in rows]
    elapsed = time.perf_counter() - start
    for (_, truth), answer in zip(rows, answers, strict=True):
        for key in (truth, "all"):
            total[key] += 1
            right[key] += answer == truth
    accuracy = {key: right[key] / total[key] for key in total if total[key]}
    return accuracy, len(rows) / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = parser.parse_args()
    sets = load_sets(args.shared)
    if not sets:
        sys.exit(f"no evaluation sets under {args.shared}")
    detectors = make_detectors()
    header = (
        f"| {'set':30} | {'detector':31} | {'en':>6} | {'ru':>6} | {'kk':>6} | {'all':>6} | {'texts/s':>8} |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    for set_name, rows in sets.items():
        for name, detector in detectors.items():
            accuracy, speed = measure(detector, rows)
            cells = [f"{accuracy[key]:.3f}" if key in accuracy else "-" for key in (*LANGS, "all")]
            print(
                f"| {set_name:30} | {name:31} | "
                + " | ".join(f"{c:>6}" for c in cells)
                + f" | {speed:8.0f} |"
            )
    docs = sets.get("dev-eval docs")
    if docs:
        sizes = [len(text.encode()) for text, _ in docs]
        print(f"\ndev-eval documents: {min(sizes)}–{max(sizes)} bytes of text (UTF-8), {len(docs)} documents")


if __name__ == "__main__":
    main()
