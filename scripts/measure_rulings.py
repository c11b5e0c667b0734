"""Precision and recall of ruling metadata read from the text, per field and language; prints a table.

    .venv/bin/python scripts/measure_rulings.py        # dev-eval rulings and tests/data/rulings

The truth is hand-labelled: tests/data/dev_eval_rulings.json for the eight dev-eval rulings
(../shared/dev-eval/docs, read-only) and tests/data/rulings/expected.json for the rulings written for
the tests. Figures go to docs/benchmarks.md with this command.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.extract.cleanup import clean_text
from ingest.ruling import ruling_metadata

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("court", "case_number", "decision_date", "articles", "judge")
DEV_EVAL = ROOT.parent / "shared" / "dev-eval" / "docs"
SETS = {
    "dev-eval": (DEV_EVAL, ROOT / "tests" / "data" / "dev_eval_rulings.json"),
    "written": (ROOT / "tests" / "data" / "rulings", ROOT / "tests" / "data" / "rulings" / "expected.json"),
}


@dataclass
class Tally:
    correct: int = 0
    predicted: int = 0
    expected: int = 0

    def add(self, truth: object, found: object) -> None:
        truths, founds = _items(truth), _items(found)
        self.correct += len(truths & founds)
        self.predicted += len(founds)
        self.expected += len(truths)

    def cell(self) -> str:
        precision = self.correct / self.predicted if self.predicted else None
        recall = self.correct / self.expected if self.expected else None
        return f"{_figure(precision)} / {_figure(recall)}"


def _items(value: object) -> set[str]:
    """What is compared: a field's value folded (case, spaces), or each article of a list."""
    if value is None:
        return set()
    values = value if isinstance(value, list) else [value]
    return {re.sub(r"\s+", "", str(item)).casefold() for item in values}


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def load(name: str) -> list[tuple[str, str, dict]]:
    """(language, text, truth) of each ruling of a set; the language is the file name's prefix."""
    folder, truth_file = SETS[name]
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    rows = []
    for file, fields in sorted(truth.items()):
        if file.startswith("_"):
            continue
        language = next(part for part in file.split("-") if part in ("ru", "kk", "en"))
        rows.append((language, (folder / file).read_text(encoding="utf-8"), fields))
    return rows


def measure(rows: list[tuple[str, str, dict]]) -> dict[tuple[str, str], Tally]:
    tallies: dict[tuple[str, str], Tally] = defaultdict(Tally)
    for language, text, truth in rows:
        found = ruling_metadata(clean_text(text))
        for field in FIELDS:
            for key in ((field, language), (field, "all")):
                tallies[key].add(truth.get(field), found.get(field))
    return tallies


def misses(rows: list[tuple[str, str, dict]]) -> list[str]:
    lines = []
    for _language, text, truth in rows:
        found = ruling_metadata(clean_text(text))
        for field in FIELDS:
            if _items(truth.get(field)) != _items(found.get(field)):
                lines.append(f"  {field}: expected {truth.get(field)!r}, found {found.get(field)!r}")
    return lines


def table(name: str, tallies: dict[tuple[str, str], Tally], count: int) -> str:
    languages = [lang for lang in ("ru", "kk", "en", "all") if (FIELDS[0], lang) in tallies]
    lines = [
        f"{name}: {count} rulings; each cell precision / recall",
        "",
        "| field | " + " | ".join(languages) + " |",
        "|---|" + "---|" * len(languages),
    ]
    for field in FIELDS:
        lines.append(f"| {field} | " + " | ".join(tallies[field, lang].cell() for lang in languages) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="also list every field found wrong")
    args = parser.parse_args()
    for name in SETS:
        rows = load(name)
        print(table(name, measure(rows), len(rows)))
        if args.misses:
            print("\n".join(misses(rows)))
        print()


if __name__ == "__main__":
    main()
