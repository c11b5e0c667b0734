"""Properties of the name key and folding that must hold for any input."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from archive.analysis import fold, name_key, tokenize

CYRILLIC = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
LATIN = "abcdefghijklmnopqrstuvwxyzäöüūıšžčçşğñáóúýǵńéèêëíîïôû'"
letters = (st.text(alphabet=CYRILLIC, min_size=1, max_size=14)
           | st.text(alphabet=LATIN, min_size=1, max_size=14))
anything = st.text(max_size=40)


@given(letters)
def test_key_ignores_letter_case(word):
    assert name_key(word) == name_key(word.upper()) == name_key(word.title()) == name_key(word.lower())


@given(letters)
def test_key_ignores_unicode_normal_form(word):
    assert name_key(unicodedata.normalize("NFD", word)) == name_key(unicodedata.normalize("NFC", word))


@given(st.text(alphabet=CYRILLIC, min_size=1, max_size=14), st.integers(min_value=0, max_value=13))
def test_key_ignores_stress_marks(word, position):
    position = min(position, len(word) - 1)
    stressed = word[: position + 1] + "\u0301" + word[position + 1:]
    assert name_key(stressed) == name_key(word)


@given(letters)
def test_key_is_deterministic_ascii(word):
    key = name_key(word)
    assert key == name_key(word)
    assert key == "" or (key.isascii() and key.isalpha() and key.islower())


@given(anything)
def test_key_never_fails(text):
    name_key(text)


@given(anything)
def test_fold_is_idempotent(text):
    assert fold(fold(text)) == fold(text)


@settings(max_examples=200)
@given(anything)
def test_tokens_point_at_their_surface(text):
    for token in tokenize(text):
        assert text[token.start: token.end] == token.surface
        assert token.word == token.word.lower()
        assert " " not in token.word and " " not in token.stem and " " not in token.key


@given(st.text(alphabet=CYRILLIC, min_size=1, max_size=10))
def test_yo_and_ye_are_one_letter(word):
    assert name_key(word.replace("е", "ё")) == name_key(word)


def test_cherokee_letters_fold_to_one_lower_case() -> None:
    """casefold maps Cherokee small letters to capitals; a folded word is lower case all the same."""
    for text in ("Ꭰ", "ꭰ", "ᏣᎳᎩ"):
        (token,) = tokenize(text)
        assert token.word == token.word.lower() and text[token.start:token.end] == token.surface
