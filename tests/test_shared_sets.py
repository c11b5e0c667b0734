"""The real material archivists bring: the sample monitoring report and the trilingual evaluation set."""

from __future__ import annotations

import json

import pytest

from archive.pipeline import IngestRequest
from archive.service import Archive
from archive.settings import load_settings
from tests.conftest import SHARED
from tests.needs import needs

pytestmark = needs(SHARED.exists(), "../shared beside the repository")


@pytest.fixture
def embedded(tmp_path):
    archive = Archive(load_settings(home=tmp_path / "home", backend="embedded"))
    yield archive
    archive.close()


def test_the_sample_report_is_ingested_as_english(embedded):
    results = list(embedded.ingest_paths([SHARED / "samples"], IngestRequest()))
    assert results and all(r.status == "created" for r in results)
    assert {r.language for r in results} == {"en"}
    hits = embedded.search("Zhanbolat Mamay").hits
    assert hits and hits[0].id == results[0].id


def test_every_dev_eval_document_is_ingested_in_its_language(embedded, capsys):
    manifest = json.loads((SHARED / "dev-eval" / "manifest.json").read_text("utf-8"))["documents"]
    expected = {entry["file"].split("/")[-1]: entry["language"] for entry in manifest}
    results = list(embedded.ingest_paths([SHARED / "dev-eval" / "docs"], IngestRequest()))
    assert all(r.status == "created" for r in results), [r for r in results if r.status != "created"]
    got = {r.file.split("/")[-1]: r.language for r in results}
    right = sum(got[name] == language for name, language in expected.items())
    with capsys.disabled():
        print(f"\nlanguage of dev-eval documents: {right}/{len(expected)} right")
    assert right == len(expected), {n: (got[n], lang) for n, lang in expected.items() if got[n] != lang}
