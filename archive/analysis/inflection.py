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

Some ends read two ways: Николаевке is the Kazakh dative of Николаев and the Russian locative of
Николаевка; Latin Allaberdin a Kazakh genitive of Allaber and the surname Аллабердин. `strip_endings`
gives the likelier reading, `other_stems` the other, which the name key's readings carry
(`keys.reading_keys`), so that each form meets the names of both.
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
# Mamaydyn, Almatyga; and і as i in the front accusative, which has no other mark (Aiguldi,
# Tusipbekti, Aktobeni). Those forms are Latin words' only; being unmarked, they pass the guards of
# unmarked endings and some of their own (`_informal_reading`).
_INFORMAL = str.maketrans({"ŋ": "n", "ğ": "g", "q": "k"})
INFORMAL_ENDINGS: dict[str, frozenset[str]] = {}
for _form, _classes in list(KAZAKH_ENDINGS.items()):
    _plain = _form.translate(_INFORMAL)
    if _plain != _form and KAZAKH_MARKS.isdisjoint(_plain) and _plain not in KAZAKH_ENDINGS:
        INFORMAL_ENDINGS.setdefault(_plain, _classes)
for _form in ("dì", "tì", "nì"):
    INFORMAL_ENDINGS.setdefault(_form.replace("ì", "i"), KAZAKH_ENDINGS[_form])
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
    """The last vowel of a stem, for harmony; a final у (u, BGN/PCGN ū) is a consonant there (Атырау)."""
    for i in range(len(stem) - 1, -1, -1):
        if stem[i] in VOWELS and not (stem[i] in "uū" and i == len(stem) - 1):
            return stem[i]
    return ""


# How a Kazakh ending reads on a stem. SURE: the word or the ending shows Kazakh letters. GUESS: taken,
# though the end also reads as Russian (Николаевке: the Kazakh dative of Николаев, the Russian locative
# of Николаевка) or as part of the name (Allaberdin, Bernaga): the word keeps that reading as another
# key (`other_stems`). POSSIBLE: not taken, the other reading being the likelier, but kept as another
# key (Покровканы: the Kazakh accusative of Покровка, shaped like the Russian genitive Светланы).
SURE, GUESS, POSSIBLE = "sure", "guess", "possible"


def _fits(stem: str, ending: str, table: dict[str, frozenset[str]]) -> bool:
    """The ending may follow the stem at all: a stem of MIN_STEM symbols with a vowel, and a last
    sound of a class the ending's first sound fits."""
    if len(stem) < MIN_STEM or not _has_vowel(stem):
        return False
    last = stem[-1]
    allowed = table[ending]
    klass = _CLASS.get(last)
    # Kazakh и is a vowel plus й: after it come both vowel forms and й forms (Пехлевидің, Чилиден);
    # a final ū is BGN/PCGN's у (Kökshetaūdyng), a sonorant as у is
    if klass not in allowed and not (last in "iū" and SONORANT in allowed):
        return False
    if ending.startswith("tan") and last == "s":
        return False  # Қазақстан, Пакистан, Бостан: -стан is part of the name
    return _long_ending_ok(stem, ending)


def _harmonic(stem: str, ending: str, latin: bool) -> bool:
    """The ending's vowel follows the stem's last vowel. и is neutral, and so is the е of
    Russian-made surnames (Назарбаевта); -мен/-бен/-пен keep е; in a Latin word a plain u too, as
    passport, press and chat Latin write both ү and ұ so (Aigulge, Nurgulden)."""
    vowel = _last_vowel(stem)
    neutral = vowel == "i" or (vowel == "e" and stem.endswith("ev")) or (latin and vowel == "u")
    if not vowel or neutral or ending[0] in "mbp":
        return True
    return (vowel in _BACK) == (not _BACK.isdisjoint(ending))


def _kazakh_reading(stem: str, ending: str, marked_word: bool, latin: bool) -> str | None:
    """SURE, GUESS or POSSIBLE (see above) for an ending of `KAZAKH_ENDINGS`; None: not Kazakh."""
    if not _fits(stem, ending, KAZAKH_ENDINGS):
        return None
    if marked_word or not KAZAKH_MARKS.isdisjoint(ending):
        return SURE
    # An ending Russian words also end in, in a word without Kazakh letters: take it only when the
    # Kazakh reading is much the likelier one.
    if not _harmonic(stem, ending, latin):
        return None
    last = stem[-1]
    if len(ending) == 2 and _after_consonant_i(stem):
        return None  # Мадриде, Рашида, Давида: Russian endings after a stem in -ид
    if ending == "ke" and last == "s":
        return None  # Семипалатинске, Минске: Russian -ск + е
    if ending == "nı" and not stem.endswith(("ija", "ıja")):
        return POSSIBLE  # Светланы, Ирины are Russian genitives; Азияны, Покровканы Kazakh accusatives
    return GUESS


def _after_consonant_i(stem: str) -> bool:
    """The stem ends in и after a consonant (Мадрид-е, Давид-а read with the д); an i after a vowel
    is Latin й (Duisenbai-da, Semei-de), which Kazakh endings follow."""
    return stem[-1] == "i" and stem[-2] not in VOWELS


def _long_ending_ok(stem: str, ending: str) -> bool:
    """Endings of three or more letters without Kazakh letters (-мен, -дан, -нан...) end many
    nominatives too (Өскемен, Иордан): they need a longer stem."""
    if len(ending) < 3 or not KAZAKH_MARKS.isdisjoint(ending):
        return True
    return len(stem) >= (5 if ending[0] in "mbp" else 4)


def _front_stem(stem: str, ending: str) -> bool:
    """A stem a front ending written with i (-din, -tin, -nin, -di, -ti alone) may follow: a
    consonant after a front vowel (і too, written i; and u, which plain Latin writes for ү), -nin only
    after a nasal, -tin after и only after п т к (Ermektin, Temirdin, Kerimnin, Aiguldin, Seriktin,
    Zhusiptin; not Karenin, Kalinin, Kristin, Valentin, Borozdin); -ni after a front vowel (Aktobeni)."""
    vowel, last = _last_vowel(stem), stem[-1]
    if ending == "ni":
        return last in _FRONT_VOWELS
    if len(ending) > 3 or last in VOWELS or vowel not in _FRONT_VOWELS | {"i", "u"}:
        return False  # and no compound: -inin of Vershinin
    if ending.startswith("nin"):
        return last in "mnŋ"
    return not (ending.startswith("tin") and vowel == "i" and last not in "ptk")


def _informal_reading(stem: str, ending: str, marked_word: bool) -> str | None:
    """How an informal ending (`INFORMAL_ENDINGS`) reads: the ending's first sound fits the stem, as
    for every ending; a front one written with i needs a front stem (`_front_stem`: not Kalinin,
    Kristin); -ga a longer stem (not Volga, Praga, Malaga, Tonga), and after л or р it is only
    POSSIBLE (Gulnarga; not Helga); -ka is taken after с к қ х, only POSSIBLE after another consonant
    (the Russian -tka, -pka, -shka of Kamchatka, Seroshapka, Pashka; Lazzatka, Kulpashka), and not
    taken in -ovka, -evka (Ivanovka, Nikolaevka). Being unmarked, each is a GUESS in a word without
    Kazakh letters."""
    front = "i" in ending and _BACK.isdisjoint(ending)
    if front and not _front_stem(stem, ending):
        return None
    if not _fits(stem, ending, INFORMAL_ENDINGS):
        return None
    if not front and not _harmonic(stem, ending, latin=True):
        return None  # a front stem is settled above
    if not front and len(ending) == 2 and _after_consonant_i(stem):
        return None  # -ga, -ka after -и as after -ид (`_kazakh_reading`)
    possible = False
    if ending.startswith("ga"):
        if len(stem) < (5 if stem[-1] in VOWELS else 4):
            return None
        possible = stem[-1] in "lr"
    if ending.startswith("ka") and stem[-1] not in "skqx":
        if stem.endswith(("ov", "ev")):
            return None  # Ivanovka is a village, not Ivanov's dative
        possible = True
    if possible:
        return POSSIBLE
    return SURE if marked_word else GUESS


_KAZAKH_BY_SIZE = sorted({len(e) for e in (*KAZAKH_ENDINGS, *INFORMAL_ENDINGS)}, reverse=True)
_KAZAKH_LAST = frozenset(e[-1] for e in (*KAZAKH_ENDINGS, *INFORMAL_ENDINGS))


def _kazakh_cut(skel: str, marked_word: bool, latin: bool) -> tuple[str | None, str | None, str | None]:
    """The stem without the longest Kazakh ending taken and how it read (SURE or GUESS), else
    (None, None, ...); last, the stem without the longest ending only POSSIBLE, if any."""
    if skel[-1] not in _KAZAKH_LAST:
        return None, None, None
    possible = None
    longest = len(skel) - MIN_STEM
    for size in _KAZAKH_BY_SIZE:
        if size > longest:
            continue
        ending, stem = skel[-size:], skel[:-size]
        readings = []
        if ending in KAZAKH_ENDINGS:
            readings.append(_kazakh_reading(stem, ending, marked_word, latin))
        if latin and ending in INFORMAL_ENDINGS:
            readings.append(_informal_reading(stem, ending, marked_word))
        for reading in readings:
            if reading in (SURE, GUESS):
                return stem, reading, possible
            if reading == POSSIBLE and possible is None:
                possible = stem
    return None, None, possible


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
    return _strip(skel, rounds, latin, None)


def other_stems(skel: str, *, latin: bool = False) -> tuple[str, ...]:
    """The other stems of a skeleton whose end reads two ways (GUESS and POSSIBLE above): the stem
    its Russian reading gives where a Kazakh ending was guessed (Николаевке → николаевк, Allaberdin →
    allaberdin), the stem without a Kazakh ending that was only possible (Покровканы → покровк);
    () for most words, whose end reads one way. `strip_endings` gives the first reading."""
    others: list[str] = []
    first = _strip(skel, 3, latin, others)
    return tuple(stem for stem in dict.fromkeys(others) if stem != first)


def _strip(skel: str, rounds: int, latin: bool, others: list[str] | None) -> str:
    """`strip_endings`; with `others`, the other readings' stems are added to it."""
    if len(skel) <= MIN_STEM:
        return skel
    marked = not KAZAKH_MARKS.isdisjoint(skel)
    for left in range(rounds, 0, -1):
        shorter, reading, possible = _kazakh_cut(skel, marked, latin)
        if others is not None:
            if reading == GUESS:
                others.append(_strip_russian_rounds(skel, left))
            if possible is not None and shorter is None:
                others.append(_strip(possible, left - 1, latin, None))
        if shorter is None:
            shorter = _strip_russian(skel)
        if shorter is None:
            break
        skel = shorter
    return skel


def _strip_russian_rounds(skel: str, rounds: int) -> str:
    """The skeleton with only Russian endings stripped, for the Russian reading of a guessed end."""
    for _ in range(rounds):
        shorter = _strip_russian(skel) if len(skel) > MIN_STEM else None
        if shorter is None:
            break
        skel = shorter
    return skel
