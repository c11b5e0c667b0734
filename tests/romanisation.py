"""Published romanisation tables of Russian and Kazakh, for the tests: each system as a letter map.

Sources: ISO 9:1995 = GOST 7.79-2000 system A (with diacritics); GOST 7.79-2000 system B (without
diacritics); BGN/PCGN 1947 (Russian) and 1979 (Kazakh); ALA-LC (without the tie bars); ICAO Doc 9303
(Russian passports since 2013); the older Russian passport rules (1997-2006); GOST R 52535.1-2006
(passports 2006-2010: ц = tc); the scientific transliteration; UNGEGN (GOST 16876-71 / 1983); ISO 9
for Kazakh; the Kazakh Latin alphabets of 2017 (apostrophes), 2018 (acutes) and 2021; two informal
(chat) styles. The BGN/PCGN rule "ye at the start of a word and after a vowel" is `romanise`'s flag.
Each row lists the letters of RU_LETTERS / KK_LETTERS in order; "-" is a letter written as nothing.
"""

from __future__ import annotations

RU_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
KK_LETTERS = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"

RUSSIAN_ROWS = {
    "iso9": "a b v g d e ë ž z i j k l m n o p r s t u f h c č š ŝ ʺ y ʹ è û â",
    "gost779b": "a b v g d e yo zh z i j k l m n o p r s t u f x cz ch sh shh `` y' ` e` yu ya",
    "bgn_pcgn": "a b v g d e ë zh z i y k l m n o p r s t u f kh ts ch sh shch ʺ y ʹ e yu ya",
    "ala_lc": "a b v g d e ë zh z i ĭ k l m n o p r s t u f kh ts ch sh shch ʺ y ʹ ė iu ia",
    "icao_2013": "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch ie y - e iu ia",
    "passport_1997": "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya",
    "gost_r_52535_2006": "a b v g d e e zh z i i k l m n o p r s t u f kh tc ch sh shch - y - e iu ia",
    "scientific": "a b v g d e ë ž z i j k l m n o p r s t u f x c č š šč ʺ y ʹ è ju ja",
    "ungegn": "a b v g d e ë ž z i j k l m n o p r s t u f h c č š šč ʺ y ʹ è ju ja",
    "chat_j": "a b v g d e yo j z i y k l m n o p r s t u f h c ch sh sch - y - e yu ya",
    "chat_x": "a b v g d e jo zh z i j k l m n o p r s t u f x ts ch sh sh - y - e ju ja",
}

KAZAKH_ROWS = {
    "latin_2021": "a ä b v g ğ d e io j z i i k q l m n ñ o ö p r s t u ū ü f h h ts ç ş şş - ı i - e iu ia",
    "latin_2018": "a á b v g ǵ d e io j z ı ı k q l m n ń o ó p r s t ý u ú f h h ts ch sh shch - y i - e iu ia",  # noqa: E501
    "latin_2017": "a a' b v g g' d e io j z i' i' k q l m n n' o o' p r s t y' u u' f h h ts c' s' s's' - y i - e iu ia",  # noqa: E501
    "bgn_pcgn_1979": "a ä b v g gh d e yo zh z ī y k q l m n ng o ö p r s t ū u ü f kh h ts ch sh shch ʺ y i ʹ ė yu ya",  # noqa: E501
    "iso9_kk": "a à b v g ǵ d e ë ž z i j k ķ l m n ņ o ô p r s t u ù ū f h ḥ c č š ŝ ʺ y ì ʹ è û â",
}


def _table(letters: str, row: str) -> dict[str, str]:
    cells = row.split()
    assert len(cells) == len(letters), (len(cells), row)
    return {letter: "" if cell == "-" else cell for letter, cell in zip(letters, cells, strict=True)}


RUSSIAN = {name: _table(RU_LETTERS, row) for name, row in RUSSIAN_ROWS.items()}
KAZAKH = {name: _table(KK_LETTERS, row) for name, row in KAZAKH_ROWS.items()}


def romanise(word: str, table: dict[str, str], initial_ye: bool = False) -> str:
    """`word` (Cyrillic) in one system, keeping the capital of its first letter."""
    out = []
    for i, ch in enumerate(word):
        lower = ch.lower()
        cell = table.get(lower, lower)
        if initial_ye and lower == "е" and (i == 0 or word[i - 1].lower() in "аеёиоуыэюяъь"):
            cell = "ye"
        out.append(cell.capitalize() if ch.isupper() else cell)
    return "".join(out)
