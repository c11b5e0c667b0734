"""Search behaviour, run on both index backends with the same expectations."""

from __future__ import annotations

import pytest

from tests.corpus import ingest_corpus


@pytest.fixture
def corpus(archive, tmp_path):
    return ingest_corpus(archive, tmp_path / "corpus")


def ranked(archive, corpus, query, **kwargs):
    names = {doc_id: name for name, doc_id in corpus.items()}
    return [names[hit.id] for hit in archive.search(query, **kwargs).hits]


@pytest.mark.parametrize(
    "query", ["Жанболат Мамай", "Zhanbolat Mamay", "Mamai", "Мамаю", "Мамайдың", "mamay"]
)
def test_a_name_in_any_script_or_case_finds_every_document(archive, corpus, query):
    found = ranked(archive, corpus, query)
    assert {"en-mamay", "ru-mamay", "kk-mamay"} <= set(found[:4]), found


def test_full_name_ranks_the_person_above_a_relative(archive, corpus):
    found = ranked(archive, corpus, "Dulat Agadil")
    assert found[0] == "en-dulat"
    assert "en-zhanbolat-agadil" in found


def test_a_similar_surname_does_not_drown_the_person(archive, corpus):
    assert ranked(archive, corpus, "Руслан Мамаев")[0] == "ru-mamaev"
    assert "ru-mamaev" not in ranked(archive, corpus, "Mamay")[:3]


def test_inflected_kazakh_and_russian_forms_meet(archive, corpus):
    assert set(ranked(archive, corpus, "Тоқаев")[:2]) == {"en-tokayev", "kk-tokayev"}
    assert {"en-tokayev", "kk-tokayev"} <= set(ranked(archive, corpus, "Токаев"))
    assert {"en-tokayev", "kk-tokayev"} <= set(ranked(archive, corpus, "Toqaev"))


def test_a_typo_still_finds_the_name(archive, corpus):
    assert "en-dulat" in ranked(archive, corpus, "Agadli")[:3]


def test_alias_finds_a_place_by_its_other_name(archive, corpus):
    assert ranked(archive, corpus, "Oskemen")[:1] == ["ru-oskemen"]
    assert ranked(archive, corpus, "Өскемен")[:1] == ["ru-oskemen"]


def test_a_term_of_the_field_is_found_in_the_other_languages(archive, corpus):
    found = ranked(archive, corpus, "hunger strike")
    assert {"kk-hunger", "ru-hunger"} <= set(found), found


def test_phrase_requires_the_words_together(archive, corpus):
    assert ranked(archive, corpus, '"peaceful rally"') == ["en-mamay"]


def test_exclusion_removes_documents(archive, corpus):
    found = ranked(archive, corpus, "Agadil -Zhanbolat")
    assert found == ["en-dulat"]


def test_or_finds_either(archive, corpus):
    found = set(ranked(archive, corpus, "голодовка OR Oskemen"))
    assert {"ru-hunger", "ru-oskemen"} <= found


def test_filters_by_language_and_kind(archive, corpus):
    assert set(ranked(archive, corpus, "Mamay", languages=["kk"])) == {"kk-mamay"}
    assert set(ranked(archive, corpus, "Mamay", kinds=["ruling"])) == {"ru-mamay"}


@pytest.mark.parametrize("query", ["((( )))", '"" - + OR AND', "*:* ~ ^2", "\\"])
def test_operators_alone_give_a_message_not_an_error(archive, corpus, query):
    result = archive.search(query)
    assert result.total == 0 and not result.hits
    assert result.message


def test_an_empty_query_browses_every_document_newest_first(archive, corpus):
    result = archive.search("  ", limit=100)
    assert result.total == len(corpus) and not result.message
    assert sum(result.facets["kind"].values()) == len(corpus)
    dates = [hit.date for hit in result.hits]
    assert dates == sorted(dates, reverse=True)


def test_hits_explain_why_they_matched_in_the_original_script(archive, corpus):
    hits = {hit.id: hit for hit in archive.search("Mamai").hits}
    kazakh = hits[corpus["kk-mamay"]]
    assert "Mamai → Мамайдың" in kazakh.matched
    assert "<mark>Мамайдың</mark>" in kazakh.snippet
    assert kazakh.language == "kk"


def test_snippet_is_escaped(archive, tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("The <script>alert(1)</script> tag and Mamay's statement about the court.", "utf-8")
    list(archive.ingest_paths([path], request=__import__("archive.pipeline").pipeline.IngestRequest()))
    (hit,) = archive.search("Mamay").hits
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet


def test_reindex_rebuilds_the_same_answers(archive, corpus):
    before = ranked(archive, corpus, "Mamay")
    assert archive.reindex() == len(corpus)
    assert ranked(archive, corpus, "Mamay") == before


def test_limit_and_offset_page_through_results(archive, corpus):
    first = ranked(archive, corpus, "court", limit=1)
    second = ranked(archive, corpus, "court", limit=1, offset=1)
    assert len(first) == len(second) == 1 and first != second


def test_a_snippet_is_plain_text_with_highlight_ranges(archive, corpus):
    hits = {hit.id: hit for hit in archive.search("Mamai").hits}
    kazakh = hits[corpus["kk-mamay"]]
    marked = [kazakh.snippet_text[start:end] for start, end in kazakh.highlights]
    assert "Мамайдың" in marked and "Мамайға" in marked
    assert "<" not in kazakh.snippet_text
    assert kazakh.as_json()["highlights"] == kazakh.highlights
