"""The query syntax: words, phrases, exclusions, OR, and whatever else people paste."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.search.parser import parse_query


def shape(raw: str) -> list[list[tuple[str, bool, bool, bool]]]:
    return [
        [(c.text, c.phrase, c.required, c.excluded) for c in g.alternatives] for g in parse_query(raw).groups
    ]


def test_words_are_optional_groups_of_one():
    assert shape("Zhanbolat Mamay") == [
        [("Zhanbolat", False, False, False)],
        [("Mamay", False, False, False)],
    ]


def test_phrase_is_required_and_exclusion_is_excluded():
    assert shape('"hunger strike" -Mamay') == [
        [("hunger strike", True, True, False)],
        [("Mamay", False, False, True)],
    ]


def test_or_joins_alternatives_and_and_requires_both():
    assert shape("Oral OR Uralsk court") == [
        [("Oral", False, False, False), ("Uralsk", False, False, False)],
        [("court", False, False, False)],
    ]
    assert shape("fine AND rally") == [[("fine", False, True, False)], [("rally", False, True, False)]]


def test_not_excludes_the_next_clause():
    assert shape("NOT Жуков Жукеев") == [[("Жуков", False, False, True)], [("Жукеев", False, False, False)]]


def test_hyphenated_names_stay_one_clause():
    assert shape("Ust-Kamenogorsk") == [[("Ust-Kamenogorsk", False, False, False)]]


@pytest.mark.parametrize("raw", ["", "   ", "((( ::: )))", '- + -- "" OR', "AND OR NOT", "*?~^", "\\/\\/"])
def test_operators_alone_make_an_empty_query(raw):
    assert parse_query(raw).is_empty


def test_unterminated_quote_is_a_phrase_to_the_end():
    assert shape('"Democratic Choice') == [[("Democratic Choice", True, True, False)]]


def test_only_exclusions_is_empty():
    assert parse_query("-Mamay").is_empty


@given(st.text(max_size=200))
def test_any_text_parses(raw):
    parsed = parse_query(raw)
    for group in parsed.groups:
        assert group.alternatives
        assert all(clause.text.strip() == clause.text and clause.text for clause in group.alternatives)
