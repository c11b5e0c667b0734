"""Name search scored on the evaluation sets beside the repository, on both index backends.

The same figures as `make eval` (which drives the archive through its command line), computed in
process on a smaller haystack so that the suite stays fast. The targets are the project's.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from archive.pipeline import IngestRequest
from archive.service import Archive
from tests.conftest import SHARED
from tests.needs import needs

pytestmark = needs(SHARED.exists(), "../shared beside the repository")

HAYSTACK = 400
DEV_TARGETS = {
    "exact": 0.95,
    "cross_script": 0.95,
    "variant": 0.95,
    "inflected": 0.95,
    "partial": 0.95,
    "typo": 0.9,
    "topic_crosslang": 0.7,
}


def score(archive: Archive, folder: Path, extra: list[Path]) -> tuple[dict[str, dict[str, float]], int]:
    """Per category: recall@10 and first-hit share; and the number of `not_above` violations."""
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))["documents"]
    queries = json.loads((folder / "queries.json").read_text("utf-8"))["queries"]
    name_of = {hashlib.sha256((folder / d["file"]).read_bytes()).hexdigest(): d["file"] for d in manifest}
    results = list(archive.ingest_paths([folder / "docs", *extra], IngestRequest()))
    assert not [r for r in results if r.status == "failed"]
    per: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    violations = 0
    for query in queries:
        ranked = [name_of.get(hit.sha256) for hit in archive.search(query["query"], limit=10).hits]
        relevant = set(query["relevant"])
        found = [i for i, name in enumerate(ranked) if name in relevant]
        per[query["category"]].append(
            (len({ranked[i] for i in found}) / len(relevant), bool(ranked) and ranked[0] in relevant)
        )
        last = found[-1] if found else len(ranked)
        violations += any(n in set(query.get("not_above", [])) for n in ranked[:last])
    figures = {
        cat: {"recall": sum(r for r, _ in rows) / len(rows), "first": sum(f for _, f in rows) / len(rows)}
        for cat, rows in per.items()
    }
    every = [row for rows in per.values() for row in rows]
    figures["overall"] = {
        "recall": sum(r for r, _ in every) / len(every),
        "first": sum(f for _, f in every) / len(every),
    }
    return figures, violations


def report(capsys, name: str, backend: str, figures: dict[str, dict[str, float]]) -> None:
    with capsys.disabled():
        print(f"\n{name} on {backend}:")
        for category, values in sorted(figures.items()):
            print(f"  {category:<18} recall@10 {values['recall']:.3f}  first hit {values['first']:.3f}")


def test_dev_eval_meets_the_targets(archive, tmp_path, capsys):
    haystack = tmp_path / "haystack"
    subprocess.run(
        [
            sys.executable,
            str(SHARED / "dev-eval" / "haystack.py"),
            str(haystack),
            "--count",
            str(HAYSTACK),
            "--names",
            str(SHARED / "dev-eval" / "haystack-names.json"),
        ],
        check=True,
        capture_output=True,
    )
    figures, violations = score(archive, SHARED / "dev-eval", [haystack])
    report(capsys, "dev-eval", archive.settings.backend, figures)
    assert violations == 0
    assert figures["overall"]["first"] >= 0.9
    for category, target in DEV_TARGETS.items():
        assert figures[category]["recall"] >= target, (category, figures[category])


def test_real_sentences_find_inflected_names(archive, capsys):
    figures, _ = score(archive, SHARED / "real-eval" / "names", [])
    report(capsys, "real-eval names", archive.settings.backend, figures)
    assert figures["overall"]["recall"] >= 0.9
    for category in (
        "lemma_kk",
        "lemma_kk_ner",
        "lemma_ru",
        "romanised_kk",
        "romanised_kk_ner",
        "romanised_ru",
    ):
        assert figures[category]["recall"] >= 0.8, (category, figures[category])
