"""Case endings of names, stripped from a rich skeleton (see `skeleton.py`).

Two ending systems meet in Kazakhstani sources:

* Kazakh case, possessive and plural endings, whose first sound depends on the last sound of the
  stem and whose vowel follows the stem's vowel harmony; `kazakh.py` holds them, every variant
  (-ның/-нің/-дың/-дің/-тың/-тің, -ға/-ге/-қа/-ке, -да/-де/-та/-те, -дан/-ден/-нан/-нен/-тан/-тен,
  -мен/-бен/-пен, possessive -ы/-і/-сы/-сі + case, plural -лар/-лер/-дар/-дер/-тар/-тер + case);
  in Latin words also as passport, press and chat spellings write them, ң ғ қ as n g k (-tyn, -ga).
* Russian declension of names: -а -у -е -ы -и (and -я -ю, which the skeleton writes as a glide
  plus vowel, so that й-stems such as Мамай/Мамая/Мамаю/Мамаем converge), -ом/-ем/-ой, surname
  endings after -ов/-ев/-ин (-ым, -ой), and adjectival surnames in -ский/-цкий.

Stripping repeats (at most three rounds) until nothing more comes off: a Kazakh ending first, else
a Russian one. The rounds make the nominative and the inflected forms meet even when the nominative
itself looks inflected (Қызылорда / Қызылордада both lose -да). Guards against stripping a part of
the name: the stem keeps at least three symbols and a vowel, the ending's first sound must fit the
stem's last sound, and endings that read as ordinary Russian endings (-да, -ды, -не...) are only
taken in words that show Kazakh letters or where the vowel harmony and stem length make the Kazakh
reading the likely one.
"""

from __future__ import annotations

from archive.analysis.kazakh import NASAL, SIBILANT, SONORANT, VOICELESS, VOWEL, case_endings
from archive.analysis.skeleton import VOWELS

_CLASS = {ch: VOWEL for ch in VOWELS - {"u"}}
_CLASS.update({ch: SONORANT for ch in "lrju"})
_CLASS.update({ch: SIBILANT for ch in "zž"})
_CLASS.update({ch: NASAL for ch in "mnŋ"})
# Loan words ending in б в г д are devoiced in Kazakh: Тоқаевқа, Назарбаевтың.
_CLASS.update({ch: VOICELESS for ch in "kqpstšfxhcčbvgdğ"})

_BACK = frozenset("aouūı")
_FRONT = frozenset("äöüeì")
KAZAKH_MARKS = frozenset("äğqŋöūüìh")  # skeleton symbols only Kazakh spelling produces

KAZAKH_ENDINGS = dict(case_endings())
# Latin spellings write і as i: add those variants (they are marked as Kazakh by ŋ, ğ or q only)
for _form, _classes in list(KAZAKH_ENDINGS.items()):
    _latin = _form.replace("ì", "i")
    if _latin != _form and not KAZAKH_MARKS.isdisjoint(_latin):
        KAZAKH_ENDINGS.setdefault(_latin, _classes)
_MAX_KAZAKH = max(map(len, KAZAKH_ENDINGS))

# Informal Latin, and the Kazakh Latin alphabets typed without their marks (2017 without apostrophes,
# 2018 without acutes, 2021 without diacritics), write ң as n, ғ as g and қ as k: Tokaevtyn,
# Mamaydyn, Almatyga. Those forms are Latin words' only; being unmarked, they pass the guards of
# unmarked endings and some of their own (`_informal_ok`).
_INFORMAL = str.maketrans({"ŋ": "n", "ğ": "g", "q": "k"})
INFORMAL_ENDINGS: dict[str, frozenset[str]] = {}
for _form, _classes in list(KAZAKH_ENDINGS.items()):
    _plain = _form.translate(_INFORMAL)
    if _plain != _form and KAZAKH_MARKS.isdisjoint(_plain) and _plain not in KAZAKH_ENDINGS:
        INFORMAL_ENDINGS.setdefault(_plain, _classes)
_FRONT_VOWELS = frozenset("äöüe")

# Russian endings. Groups are tried longest first; each has a condition on the stem's end.
_ADJECTIVAL = ("ogo", "ego", "omu", "emu", "ımi", "imi", "aja", "uju", "ije", "ıje", "ım", "im", "om", "oj",
               "ej", "ıj", "ij", "ıx", "ix", "ı", "i", "a", "u", "e")
_SURNAME = ("ımi", "ım", "im", "oj", "ıx", "a", "u", "e", "ı")
_SOFT_INSTRUMENTAL = ("em",)  # Мамаем, Алексеем, Игорем
_HARD_INSTRUMENTAL = ("om", "oj", "ogo", "omu")
_PLURAL = ("ax", "am", "ami")
_FINAL_VOWELS = ("a", "ä", "e", "ı", "ì", "i", "u", "ū", "ü")
# й-stem nominatives (Юрий, Дмитрий) lose -ий so that Yuri, Dmitry and Dmitrii meet them
_J_STEM = ("ij", "ıj", "ii", "ıi")
_MAX_RUSSIAN = 3
MIN_STEM = 3


def _has_vowel(stem: str) -> bool:
    return not VOWELS.isdisjoint(stem)


def _last_vowel(stem: str) -> str:
    """The last vowel of a stem, for harmony; a final у is a consonant there (Атырау)."""
    for i in range(len(stem) - 1, -1, -1):
        if stem[i] in VOWELS and not (stem[i] == "u" and i == len(stem) - 1):
            return stem[i]
    return ""


def _kazakh_ok(
    stem: str, ending: str, marked_word: bool, table: dict[str, frozenset[str]] = KAZAKH_ENDINGS
) -> bool:
    if len(stem) < MIN_STEM or not _has_vowel(stem):
        return False
    last = stem[-1]
    allowed = table[ending]
    klass = _CLASS.get(last)
    # Kazakh и is a vowel plus й: after it come both vowel forms and й forms (Пехлевидің, Чилиден)
    if klass not in allowed and not (last == "i" and SONORANT in allowed):
        return False
    if ending.startswith("tan") and last in "sš":
        return False  # Қазақстан, Пакистан, Бостан: -стан is part of the name
    if not _long_ending_ok(stem, ending):
        return False
    if marked_word or not KAZAKH_MARKS.isdisjoint(ending):
        return True
    # An ending Russian words also end in, in a word without Kazakh letters: take it only when the
    # Kazakh reading is much the likelier one.
    vowel = _last_vowel(stem)
    # и is neutral, and so is the е of Russian-made surnames (Назарбаевта); -мен/-бен/-пен keep е
    neutral = vowel == "i" or (vowel == "e" and stem.endswith("ev"))
    if vowel and not neutral and ending[0] not in "mbp":
        back = not _BACK.isdisjoint(ending)
        if (vowel in _BACK) != back:
            return False
    if len(ending) == 2 and last == "i":
        return False  # Мадриде, Рашида, Давида: Russian endings after a stem in -ид
    if ending == "ke" and last == "s":
        return False  # Семипалатинске, Минске: Russian -ск + е
    if ending == "nı":
        return stem.endswith(("ija", "ıja"))  # Азияны; but Светланы, Ирины are Russian genitives
    return True


def _long_ending_ok(stem: str, ending: str) -> bool:
    """Endings of three or more letters without Kazakh letters (-мен, -дан, -нан...) end many
    nominatives too (Өскемен, Иордан): they need a longer stem."""
    if len(ending) < 3 or not KAZAKH_MARKS.isdisjoint(ending):
        return True
    return len(stem) >= (5 if ending[0] in "mbp" else 4)


def _front_stem(stem: str, ending: str) -> bool:
    """A stem a front ending written with i (-din, -tin, -nin alone) may follow: a consonant after a front
    vowel (і too, written i), -nin only after a nasal, -tin not after и (Ermektin, Temirdin,
    Kerimnin; not Karenin, Kalinin, Kristin, Borozdin)."""
    vowel, last = _last_vowel(stem), stem[-1]
    if len(ending) > 3 or last in VOWELS or vowel not in _FRONT_VOWELS | {"i"}:
        return False  # and no compound: -inin of Vershinin
    if ending.startswith("nin"):
        return last in "mnŋ"
    return not (ending.startswith("tin") and vowel == "i")


def _informal_ok(stem: str, ending: str) -> bool:
    """An informal ending (`INFORMAL_ENDINGS`) where the Kazakh reading is the likely one: the
    ending's first sound fits the stem, as for every ending; a front -in needs a front stem
    (`_front_stem`: not Kalinin, Kristin); -ga no л or р before it and a longer stem (not Volga, Praga,
    Malaga, Tonga); -ka only after с к қ х, not in the Russian -ovka, -tka, -pka, -chka (Ivanovka,
    Kamchatka, Seroshapka)."""
    front = "i" in ending and _BACK.isdisjoint(ending)
    if front and not _front_stem(stem, ending):
        return False
    if ending.startswith("ga") and (stem[-1] in "lr" or len(stem) < (5 if stem[-1] in VOWELS else 4)):
        return False
    if ending.startswith("ka") and stem[-1] not in "skqx":
        return False
    # a front stem is settled above
    return _kazakh_ok(stem, ending, marked_word=front, table=INFORMAL_ENDINGS)


_KAZAKH_BY_SIZE = sorted({len(e) for e in (*KAZAKH_ENDINGS, *INFORMAL_ENDINGS)}, reverse=True)
_KAZAKH_LAST = frozenset(e[-1] for e in (*KAZAKH_ENDINGS, *INFORMAL_ENDINGS))


def _strip_kazakh(skel: str, marked_word: bool, latin: bool) -> str | None:
    if skel[-1] not in _KAZAKH_LAST:
        return None
    longest = len(skel) - MIN_STEM
    for size in _KAZAKH_BY_SIZE:
        if size > longest:
            continue
        ending, stem = skel[-size:], skel[:-size]
        if ending in KAZAKH_ENDINGS and _kazakh_ok(stem, ending, marked_word):
            return stem
        if latin and ending in INFORMAL_ENDINGS and _informal_ok(stem, ending):
            return stem
    return None


def _russian_ok(stem: str) -> bool:
    return len(stem) >= MIN_STEM and _has_vowel(stem) and stem[-1] not in VOWELS


_RUSSIAN_ALL = frozenset((*_ADJECTIVAL, *_SURNAME, *_SOFT_INSTRUMENTAL, *_HARD_INSTRUMENTAL, *_PLURAL,
                          *_FINAL_VOWELS, *_J_STEM, "ej"))
_RUSSIAN_LAST = frozenset(e[-1] for e in _RUSSIAN_ALL)


def _strip_russian(skel: str) -> str | None:
    if skel[-1] not in _RUSSIAN_LAST:
        return None
    for size in range(min(_MAX_RUSSIAN, len(skel) - MIN_STEM), 0, -1):
        ending = skel[-size:]
        if ending not in _RUSSIAN_ALL:
            continue
        stem = skel[:-size]
        if not _russian_ok(stem):
            continue
        if stem.endswith(("sk", "ck")) and ending in _ADJECTIVAL:
            return stem
        if stem.endswith(("ov", "ev", "in", "ın")) and ending in _SURNAME:
            return stem
        if ending in _SOFT_INSTRUMENTAL and stem[-1] in "jžščcl":
            return stem
        if ending in _HARD_INSTRUMENTAL and stem[-1] != "j":
            return stem
        if ending in _PLURAL and len(stem) >= 5:
            return stem  # plural names: Нидерландах, Гималаям
        if ending == "ej" and stem.endswith("ij"):
            return stem  # Марией, Азией
        if ending in _J_STEM:
            return stem
        if size == 1 and ending in _FINAL_VOWELS:
            return stem
    return None


def strip_endings(skel: str, rounds: int = 3, *, latin: bool = False) -> str:
    """The skeleton without its case endings (see the module docstring); `latin`: the skeleton of a
    Latin word, which may carry the informal forms of Kazakh endings."""
    if len(skel) <= MIN_STEM:
        return skel
    marked = not KAZAKH_MARKS.isdisjoint(skel)
    for _ in range(rounds):
        shorter = _strip_kazakh(skel, marked, latin)
        if shorter is None:
            shorter = _strip_russian(skel)
        if shorter is None:
            break
        skel = shorter
    return skel
