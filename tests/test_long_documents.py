"""Hits that are long documents, on both backends: the snippet shows the matched words where they stand,
deep inside the document, in its own script, from a bounded window of it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from archive.search import explain
from archive.search.indexing import LONG_TEXT, to_index_document
from archive.service import Archive, IngestRequest, SearchHit
from scripts.corpus_gen import long_report
from tests.conftest import make_settings
from tests.es_fixture import drop_test_indices

SIZE = 1_000_000  # characters of each long report
LANGUAGES = ("ru", "kk", "en")
SURNAME = {"ru": "Мамая", "kk": "Мамайдың", "en": "Mamay"}  # as each report writes the name
GIVEN_NAME = {"ru": "Жанболата", "kk": "Жанболат", "en": "Zhanbolat"}  # (scripts/corpus_gen.py, LONG_NAME)
WINDOW = 1_000  # a snippet is a few dozen words, never a page


def ingest_texts(archive: Archive, folder: Path, texts: dict[str, str]) -> dict[str, str]:
    """Ingests each text as `<name>.txt`; returns document id -> name."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.txt").write_text(text, "utf-8")
    results = list(archive.ingest_paths(sorted(folder.glob("*.txt")), IngestRequest()))
    assert all(r.status == "created" for r in results), results
    return {r.id: Path(r.file).stem for r in results}


@pytest.fixture(
    scope="module",
    params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)],
)
def long_archive(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[tuple[Archive, dict]]:
    """An archive of three reports of a million characters, one a language, each naming Zhanbolat
    Mamay once, at 70 % of its text."""
    folder = tmp_path_factory.mktemp(f"long-{request.param}")
    settings = make_settings(folder, request.param, request)
    archive = Archive(settings)
    try:
        reports = {language: long_report(language, SIZE) for language in LANGUAGES}
        yield archive, ingest_texts(archive, folder / "reports", reports)
    finally:
        if settings.backend == "elasticsearch":
            drop_test_indices(settings)
        archive.close()


def marked_words(hit: SearchHit) -> set[str]:
    return {hit.snippet_text[start:end] for start, end in hit.highlights}


@pytest.mark.parametrize("query", ["Zhanbolat Mamay", "Жанболат Мамай", "Мамаю", "Mamai"])
def test_each_snippet_shows_the_name_in_the_documents_own_script(long_archive, query):
    archive, names = long_archive
    hits = archive.search(query).hits
    assert {names[hit.id] for hit in hits} == set(LANGUAGES)
    for hit in hits:
        language = names[hit.id]
        wanted = {SURNAME[language], GIVEN_NAME[language]} if " " in query else {SURNAME[language]}
        assert wanted <= marked_words(hit), (language, hit.snippet_text, hit.highlights)
        assert hit.snippet_text.startswith("… ") and hit.snippet_text.endswith(" …")  # from deep inside
        assert len(hit.snippet_text) < WINDOW
        for form in wanted:
            assert f"<mark>{form}</mark>" in hit.snippet
        assert any(form in pair for pair in hit.matched for form in wanted), hit.matched


def test_a_common_word_is_marked_in_every_long_hit(long_archive):
    archive, names = long_archive
    hits = archive.search("суд").hits
    assert hits and {names[hit.id] for hit in hits} >= {"ru"}
    for hit in hits:
        marked = {word.lower() for word in marked_words(hit)}
        # суд or one of its glossary forms (court|trial, сот)
        assert any(word.startswith(("суд", "сот", "court", "trial")) for word in marked), hit.snippet_text
        assert len(hit.snippet_text) < WINDOW


def test_a_hit_is_explained_from_a_window_not_the_whole_text(long_archive, monkeypatch):
    archive, _ = long_archive
    seen: list[int] = []
    original = explain.Explainer.explain

    def measured(self, title, text, before=False, after=False):
        seen.append(len(text))
        return original(self, title, text, before, after)

    monkeypatch.setattr(explain.Explainer, "explain", measured)
    for query in ("Zhanbolat Mamay", "court", "суд"):
        assert archive.search(query).hits
    assert seen and max(seen) < 5_000, seen


def test_an_index_without_passages_still_answers_from_the_opening(archive, tmp_path):
    """An index written before passages existed: the hit is found, its snippet is the opening."""
    names = ingest_texts(archive, tmp_path / "r", {"ru": long_report("ru", 3 * LONG_TEXT)})
    (doc_id,) = names
    document = archive.document(doc_id)
    archive.backend.add([replace(to_index_document(document), passages=())])
    (hit,) = archive.search("Жанболат Мамай").hits
    assert hit.id == doc_id
    assert hit.snippet_text and hit.snippet_text.endswith(" …") and not hit.snippet_text.startswith("…")
    assert document.text.startswith(hit.snippet_text[:40])
    assert all(hit.snippet_text[s:e] for s, e in hit.highlights)
