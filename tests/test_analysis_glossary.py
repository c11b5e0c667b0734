"""The glossary: field terms in one language bring their equivalents in the other two."""

from __future__ import annotations

from importlib import resources

from archive.analysis import expand_glossary, is_stopword


def phrases(text: str, language: str) -> set[str]:
    return {e.phrase for e in expand_glossary(text) if e.language == language}


def test_hunger_strike_all_ways():
    assert phrases("hunger strike", "ru") == {"голодовка"}
    assert "аштық жариялау" in phrases("hunger strike", "kk")
    assert "hunger strike" in phrases("объявил голодовку", "en")
    assert "голодовка" in phrases("аштық жариялады", "ru")


def test_source_is_the_query_words():
    (first, *_) = expand_glossary("they declared a hunger strike")
    assert first.source == "hunger strike"


def test_longest_term_wins_over_single_words_inside_it():
    found = phrases("одиночный пикет", "en")
    assert "single picket" in found and "picket" not in found
    assert phrases("hunger strike", "ru") == {"голодовка"}


def test_multi_word_terms_inside_a_longer_one_follow_it():
    found = [e.phrase for e in expand_glossary("защите чести и достоинства") if e.language == "en"]
    assert found.index("protection of honour and dignity") < found.index("honour and dignity")
    assert "administrative arrest" in phrases("административный арест", "en")


def test_inflected_russian_and_kazakh():
    assert "search of a home" in phrases("обыск в квартире", "en")
    assert "financial pyramid" in phrases("қаржы пирамидасынан", "en")
    assert "activist" in phrases("белсендінің", "en")
    assert "protection of honour and dignity" in phrases("иск о защите чести и достоинства", "en")


def test_english_inflection_and_function_words():
    assert "штраф" in phrases("fined for taking part", "ru")
    assert "несанкционированный" in phrases("unsanctioned rally", "ru")
    assert "митинг" in phrases("unsanctioned rally", "ru")


def test_same_word_in_two_languages_is_not_echoed():
    assert phrases("офис", "en") == {"office"}
    assert phrases("офис", "kk") == {"кеңсе"}  # its other form, not the query's word again
    assert phrases("офис", "ru") == set()
    assert phrases("office", "kk") == {"кеңсе", "офис"}


def test_a_term_brings_its_other_forms_in_the_query_language():
    assert {"gathering", "assembly"} <= phrases("unsanctioned rally", "en")
    assert "rally" not in phrases("unsanctioned rally", "en")
    assert "fines" not in phrases("fined", "en")  # the same stem: the query's word itself


def test_no_expansion_for_plain_names():
    assert expand_glossary("Жанболат Мамай") == []


def test_glossary_is_broad_and_well_formed():
    text = resources.files("archive.analysis").joinpath("data/glossary.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
    header, *concepts = rows
    assert header == ["en", "ru", "kk"]
    assert len(concepts) >= 150
    kazakh = set("әғқңөұүһі")
    assert all(len(row) == 3 and all(cell.strip() for cell in row) for row in concepts)
    assert sum(1 for row in concepts if kazakh & set(row[2])) > 60  # written with Kazakh letters


def test_stopwords():
    assert is_stopword("the") and is_stopword("и") and is_stopword("және")
    assert is_stopword("The")
    assert not is_stopword("мамай") and not is_stopword("court")


def test_assemblies_in_the_words_of_each_law_and_press():
    """A rally is a form of assembly in Kazakhstan's law on peaceful assemblies (собрание, жиналыс);
    an unsanctioned one is held without permission (без разрешения, рұқсатсыз)."""
    assert {"митинг", "собрание"} <= phrases("unsanctioned rally", "ru")
    assert "rally" in phrases("несанкционированном собрании", "en")
    assert "unsanctioned" in phrases("без согласования", "en")
    assert "unsanctioned" in phrases("рұқсатсыз жиын", "en")
    assert "fine" in phrases("оштрафовал", "en") and "штраф" in phrases("айыппұл тағайындалды", "ru")
