"""Published romanisation systems of Russian and Kazakh, for the tests: each system as a function that
writes one Cyrillic word in it.

Russian: the published tables as the `iuliia` package ships them (its schemas name their sources:
https://iuliia.ru), every schema except `uz` (Uzbek orthography for Russian text: ц as s, ь left
Cyrillic). They are ISO 9:1995 = GOST 7.79-2000 system A (`gost_779`), GOST 7.79-2000 system B
(`gost_779_alt`), GOST 16876-71 tables 1 and 2 (`gost_16876`, `gost_16876_alt`), UNGEGN 1987 V/18,
ISO/R 9:1954 and 1968 (`iso_9_*`), ALA-LC with and without tie bars, BGN/PCGN 1947, BS 2979:1958,
the scientific transliteration, ICAO Doc 9303 (Russian passports since 2013), the Russian passport
rules MVD 310 of 1997 (English and French tables) and MVD 782 of 2000, GOST R 52535.1-2006
(passports 2010-2013: ц = tc), GOST 52290-2004 (driving licences), GOST 7.34-1981, the Moscow
metro, Wikipedia, Yandex Maps, Yandex Money and the Telegram chat style. Some iuliia tables write ё
with the Cyrillic letter (`Chernyshёv`) where the published tables (ALA-LC, BGN/PCGN, ISO 9,
scientific) have the Latin ë; converters copy that slip, so both forms are here: each such system as
iuliia writes it and, as `<name>+ë`, with the Latin ë.

Two informal Russian styles, from no table (chat and press habits): `chat_j` (ж = j, х = h,
щ = sch) and `chat_x` (х = x, й = j, ё = jo, ю = ju).

Kazakh (rows below, one cell per letter of KK_LETTERS):
* `latin_2021`: the Latin alphabet of 28 January 2021 (Government of Kazakhstan; table in
  Wikipedia "Kazakh alphabets"): ы = y, і = ı (dotless), и and й = i, ә ğ ñ ö ū ü ş ç.
* `latin_2018`: the alphabet of the decree of 19 February 2018 (acutes): і = i, и and й = ı,
  ы = y, у = ý, ү = ú, ш = sh, ч = ch.
* `latin_2017`: the alphabet of the decree of 26 October 2017 (apostrophes): і = i, и and й = i',
  ы = y, у = y', ү = u', ш = s', ч = c'.
* `bgn_pcgn_1979`: BGN/PCGN 1979 for Kazakh (checked against the published table).
* `iso9_kk`: ISO 9:1995 for Kazakh letters (ә à, ғ ǵ, қ ķ, ң ņ, ө ô, ұ ù, ү ū, һ ḥ, і ì).
* `icao_kk`: ICAO Doc 9303 part 3 (the table Kazakhstan's passports and identity cards follow):
  ә a, ғ g, қ k, ң n, ө o, ұ ү u, һ kh, і i, й i, х kh, ю iu, я ia.
* informal: `press_kk` (English-language press: й y, ю yu, я ya, е as ye at the start of a word
  and after a vowel) and `chat_kk` (ж j, қ q, х h, the Kazakh letters by their base letter).
"""

from __future__ import annotations

from collections.abc import Callable

import iuliia

KK_LETTERS = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"

KAZAKH_ROWS = {
    "latin_2021": "a ä b v g ğ d e io j z i i k q l m n ñ o ö p r s t u ū ü f h h ts ç ş şş - y ı - e iu ia",
    "latin_2018": "a á b v g ǵ d e io j z ı ı k q l m n ń o ó p r s t ý u ú f h h ts ch sh shch - y i - e iu ia",  # noqa: E501
    "latin_2017": "a a' b v g g' d e io j z i' i' k q l m n n' o o' p r s t y' u u' f h h ts c' s' s's' - y i - e iu ia",  # noqa: E501
    "bgn_pcgn_1979": "a ä b v g gh d e yo zh z ī y k q l m n ng o ö p r s t ū u ü f kh h ts ch sh shch ʺ y i ʹ ė yu ya",  # noqa: E501
    "iso9_kk": "a à b v g ǵ d e ë ž z i j k ķ l m n ņ o ô p r s t u ù ū f h ḥ c č š ŝ ʺ y ì ʹ è û â",
    "icao_kk": "a a b v g g d e e zh z i i k k l m n n o o p r s t u u u f kh kh ts ch sh shch ie y i - e iu ia",  # noqa: E501
    "press_kk": "a a b v g g d e yo zh z i y k k l m n n o o p r s t u u u f kh kh ts ch sh shch - y i - e yu ya",  # noqa: E501
    "chat_kk": "a a b v g g d e yo j z i i k q l m n n o o p r s t u u u f h h ts ch sh sh - y i - e yu ya",
}
INITIAL_YE = frozenset({"press_kk"})

RU_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
INFORMAL_RUSSIAN_ROWS = {
    "chat_j": "a b v g d e yo j z i y k l m n o p r s t u f h c ch sh sch - y - e yu ya",
    "chat_x": "a b v g d e jo zh z i j k l m n o p r s t u f x ts ch sh sh - y - e ju ja",
}
_NOT_RUSSIAN = frozenset({"uz"})


def _table(letters: str, row: str) -> dict[str, str]:
    cells = row.split()
    assert len(cells) == len(letters), (len(cells), row)
    return {letter: "" if cell == "-" else cell for letter, cell in zip(letters, cells, strict=True)}


def romanise(word: str, table: dict[str, str], initial_ye: bool = False) -> str:
    """`word` (Cyrillic) by a letter table, keeping the capital of its first letter."""
    out = []
    for i, ch in enumerate(word):
        lower = ch.lower()
        cell = table.get(lower, lower)
        if initial_ye and lower == "е" and (i == 0 or word[i - 1].lower() in "аеёиоуыэюяъьәөұүі"):
            cell = "ye"
        out.append(cell.capitalize() if ch.isupper() else cell)
    return "".join(out)


def _by_table(table: dict[str, str], initial_ye: bool = False) -> Callable[[str], str]:
    return lambda word: romanise(word, table, initial_ye)


def _by_schema(schema: iuliia.Schema, latin_e: bool = False) -> Callable[[str], str]:
    if latin_e:
        return lambda word: schema.translate(word).replace("ё", "ë").replace("Ё", "Ë")
    return schema.translate


def _russian() -> dict[str, Callable[[str], str]]:
    systems: dict[str, Callable[[str], str]] = {}
    for name, schema in sorted(iuliia.schemas.items()):
        if name in _NOT_RUSSIAN:
            continue
        systems[name] = _by_schema(schema)
        if "ё" in schema.translate("ё"):
            systems[f"{name}+ë"] = _by_schema(schema, latin_e=True)
    for name, row in INFORMAL_RUSSIAN_ROWS.items():
        systems[name] = _by_table(_table(RU_LETTERS, row))
    return systems


RUSSIAN: dict[str, Callable[[str], str]] = _russian()
KAZAKH: dict[str, Callable[[str], str]] = {
    name: _by_table(_table(KK_LETTERS, row), name in INITIAL_YE) for name, row in KAZAKH_ROWS.items()
}
