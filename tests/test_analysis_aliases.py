"""Alias groups: places and organisations named differently in each language."""

from __future__ import annotations

import pytest

from archive.analysis import find_aliases, tokenize


def groups(text: str) -> list[str]:
    return [m.group for m in find_aliases(tokenize(text))]


@pytest.mark.parametrize("text", [
    "Oskemen", "Ust-Kamenogorsk", "Өскемен", "Усть-Каменогорск", "Өскеменнен", "в Усть-Каменогорске",
])
def test_oskemen(text):
    assert groups(text) == ["@oskemen"]


@pytest.mark.parametrize("text", ["Oral", "Uralsk", "Орал", "Уральск", "из Уральска", "Оралда"])
def test_oral(text):
    assert groups(text) == ["@oral"]


@pytest.mark.parametrize("text", [
    "Nur-Sultan", "Astana", "Нур-Султан", "Нұр-Сұлтанда", "Астана", "Ақмола", "Akmola", "Tselinograd",
])
def test_capital(text):
    assert groups(text) == ["@astana"]


def test_other_places_and_countries():
    assert groups("Semipalatinsk Семейде") == ["@semey", "@semey"]
    assert groups("Alma-Ata") == ["@almaty"]
    assert groups("Чимкент") == ["@shymkent"]
    assert groups("Kazakhstan Қазақстанның") == ["@kazakhstan", "@kazakhstan"]
    assert groups("Мәскеуде") == ["@moscow"]
    assert groups("Ресейдің") == ["@russia"]


def test_organisations():
    assert groups("Демократический выбор Казахстана") == ["@dvk"]
    assert groups("ДВК") == ["@dvk"]
    assert groups("сотрудники КНБ") == ["@knb"]
    assert groups("ҰҚК-ға") == ["@knb"]


def test_acronyms_need_capitals():
    assert groups("in the UK") == []
    assert groups("кнб") == []


def test_match_positions():
    tokens = tokenize("Он жил в Усть-Каменогорске.")
    (match,) = find_aliases(tokens)
    assert [t.surface for t in tokens[match.start: match.end]] == ["Усть", "Каменогорске"]


def test_table_is_a_documented_data_file():
    from importlib import resources

    text = resources.files("archive.analysis").joinpath("data/aliases.tsv").read_text(encoding="utf-8")
    assert text.startswith("#")
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    assert len(rows) >= 25
    assert all(line.startswith("@") and line.count("\t") == 2 for line in rows)
