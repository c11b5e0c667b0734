"""Tokenisation: offsets, folding, hyphens, apostrophes, stems."""

from __future__ import annotations

from archive.analysis import fold, tokenize


def words(text: str) -> list[str]:
    return [t.word for t in tokenize(text)]


def test_offsets_and_surface():
    text = "Жанболат Мамай, 2020 ж."
    tokens = tokenize(text)
    assert [t.surface for t in tokens] == ["Жанболат", "Мамай", "2020", "ж"]
    assert all(text[t.start: t.end] == t.surface for t in tokens)


def test_fold():
    assert fold("Алекса́ндр Пётр ЁЛКА") == "александр петр елка"
    assert fold("Café Öskemen") == "café öskemen"  # Latin diacritics are kept in the folded word
    assert fold("İzmir") == "izmir"
    assert fold("e\u0301") == "é"


def test_stress_mark_inside_a_word_stays_one_token():
    tokens = tokenize("Алекса́ндр")
    assert len(tokens) == 1 and tokens[0].word == "александр"


def test_hyphen_splits():
    assert words("Санкт-Петербурге") == ["санкт", "петербурге"]
    assert words("Ust-Kamenogorsk") == ["ust", "kamenogorsk"]


def test_apostrophes():
    assert words("O'Brien") == ["o'brien"]
    assert words("Qazaq'stan") == ["qazaq'stan"]
    assert words("O’Brien") == ["o'brien"]


def test_english_possessive_dropped():
    token = tokenize("Tokayev's")[0]
    assert token.surface == "Tokayev's"
    assert token.word == "tokayev" and token.stem == "tokayev" and token.key == tokenize("Tokayev")[0].key


def test_stems_by_script():
    by_word = {t.word: t.stem for t in tokenize("arrests задержания белсендінің")}
    assert by_word["arrests"] == "arrest"
    assert by_word["задержания"] == "задержан"
    kazakh = {t.stem for t in tokenize("белсенді белсендінің белсендіге белсенділер")}
    assert len(kazakh) == 1 and by_word["белсендінің"].startswith("белсен")


def test_initials():
    assert words("А.Б. Жундибаев") == ["а", "б", "жундибаев"]
