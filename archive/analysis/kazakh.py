"""Kazakh in one place: the letters Russian lacks, and the case endings with their vowel harmony.

The endings are written once, as templates in the skeleton's alphabet (`skeleton.py`), each with the
classes of stem-final sound it may follow (vowel, sonorant, sibilant, nasal, voiceless): the first
sound of a Kazakh ending depends on the stem's last sound (-ның/-дың/-тың), and its vowel follows the
stem's vowel harmony (-ға/-ге). `harmonic` writes out the back and front forms of a template;
`case_endings` gives every form with its classes, for `inflection.py` (name keys), and
`cyrillic_case_endings` the single ones in Cyrillic, for `stemming.py` (language stems).
"""

from __future__ import annotations

from functools import cache

LETTERS = frozenset("әғқңөұүһі")  # lower case; Kazakh Cyrillic letters Russian has not
LETTERS_ANY_CASE = LETTERS | frozenset(ch.upper() for ch in LETTERS)

# Classes of the stem's last sound, as Kazakh suffix allomorphy sees it.
VOWEL, SONORANT, SIBILANT, NASAL, VOICELESS = "V", "R", "Z", "N", "T"

# Archiphonemes of the templates: A → a/e, I → ı/ì, G → ğ/g, Q → q/k (back/front); E is a fixed e.
_SKELETON_HARMONY = ("AIGQ", "aığq", "eìgk")
_CYRILLIC_HARMONY = ("AYGQ", "аығқ", "еігк")
_SKELETON_TO_CYRILLIC = str.maketrans({
    "a": "а", "e": "е", "ı": "ы", "ì": "і", "ğ": "ғ", "g": "г", "q": "қ", "k": "к", "n": "н", "ŋ": "ң",
    "d": "д", "t": "т", "m": "м", "b": "б", "p": "п", "s": "с", "l": "л", "r": "р", "z": "з", "i": "и",
})


def has_kazakh_letters(word: str) -> bool:
    """Letters Kazakh Cyrillic has and Russian lacks (word already folded to lower case)."""
    return not LETTERS.isdisjoint(word)


def harmonic(*templates: str, cyrillic: bool = False) -> list[str]:
    """Back and front forms of templates: A → a/e, I → ı/ì, G → ğ/g, Q → q/k in the skeleton's
    alphabet; with `cyrillic`, A → а/е, Y → ы/і, G → ғ/г, Q → қ/к."""
    marks, back, front = _CYRILLIC_HARMONY if cyrillic else _SKELETON_HARMONY
    out = []
    for vowels in (back, front):
        table = str.maketrans(marks, vowels)
        out += [t.translate(table) for t in templates]
    return out


_VR, _VRZN = VOWEL + SONORANT, VOWEL + SONORANT + SIBILANT + NASAL
_CONSONANT = SONORANT + SIBILANT + NASAL + VOICELESS
_AFTER_POSSESSIVE = ("nIŋ", "nA", "ndA", "ndAGI", "nAn", "mEn")
_OUR = ("", "dIŋ", "dI", "GA", "dA", "dAn", "bEn")
# plural only with a case or possessive after it (bare -тар/-дар would cut Мұхтар, Искандар)
_AFTER_PLURAL = ("dIŋ", "dI", "GA", "dA", "dAn", "mEn", "I", "InIŋ", "InA", "IndA", "InAn")

# (classes of the stem's last sound, templates of the endings that may follow it)
SINGLE: tuple[tuple[str, tuple[str, ...]], ...] = (
    (VOWEL + NASAL, ("nIŋ",)),  # genitive
    (SONORANT + SIBILANT, ("dIŋ",)),
    (VOICELESS, ("tIŋ",)),
    (VOWEL, ("nI",)),  # accusative
    (SONORANT + SIBILANT + NASAL, ("dI",)),
    (VOICELESS, ("tI",)),
    (_VRZN, ("GA",)),  # dative
    (VOICELESS, ("QA",)),
    (_VRZN, ("dA", "dAGI")),  # locative, and locative + -ғы "of/in"
    (VOICELESS, ("tA", "tAGI")),
    (_VR + SIBILANT, ("dAn",)),  # ablative
    (NASAL, ("nAn",)),
    (VOICELESS, ("tAn",)),
    (_VR + NASAL, ("mEn", "mEnEn")),  # instrumental (its vowel is always e)
    (SIBILANT, ("bEn", "bEnEn")),
    (VOICELESS, ("pEn", "pEnEn")),
    (VOWEL, ("sI",)),  # possessive 3rd person (пирамидасы)
)
# possessive or plural with a case after it: name keys strip them whole, stems one ending a round
COMPOUND: tuple[tuple[str, tuple[str, ...]], ...] = (
    (_CONSONANT, tuple("I" + e for e in _AFTER_POSSESSIVE)),  # possessive 3rd person + case
    (VOWEL, tuple("sI" + e for e in _AFTER_POSSESSIVE)),
    (_CONSONANT, tuple("ImIz" + e for e in _OUR)),  # possessive 1st person plural, alone and + case
    (VOWEL, tuple("mIz" + e for e in _OUR)),
    (VOWEL + SONORANT, tuple("lAr" + e for e in ("", *_AFTER_PLURAL))),
    (SIBILANT + NASAL, tuple("dAr" + e for e in _AFTER_PLURAL)),
    (VOICELESS, tuple("tAr" + e for e in _AFTER_PLURAL)),
)


def _forms(templates: tuple[str, ...]) -> list[str]:
    return [form.replace("E", "e") for form in harmonic(*templates)]


@cache
def case_endings() -> dict[str, frozenset[str]]:
    """Every Kazakh case, possessive and plural ending, single and compound, in the skeleton's
    alphabet, with the classes of stem-final sound it may follow."""
    table: dict[str, set[str]] = {}
    for classes, templates in (*SINGLE, *COMPOUND):
        for form in _forms(templates):
            table.setdefault(form, set()).update(classes)
    return {form: frozenset(classes) for form, classes in table.items()}


@cache
def cyrillic_case_endings() -> frozenset[str]:
    """The single endings written in Cyrillic, for a stemmer that strips one a round."""
    forms = (form for _, templates in SINGLE for form in _forms(templates))
    return frozenset(form.translate(_SKELETON_TO_CYRILLIC) for form in forms)
