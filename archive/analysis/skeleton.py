"""Romanisation of one folded word, Cyrillic or Latin, to a "rich skeleton".

The skeleton is one symbol per sound class, so that every spelling system meets on the same
string before case endings are stripped: Russian and Kazakh Cyrillic; English press forms; passport
(ICAO) forms; BGN/PCGN; GOST 7.79 / ISO 9 (ž š č ŝ ë è û â and the Kazakh ǵ ķ ņ ḥ ì ù ô); the 2021
Kazakh Latin alphabet (ä ğ q ñ ö ū ü ı ş ç); the 2017 apostrophe alphabet (a' g' n' o' u' s' c')
and the 2018 acute alphabet (á ǵ ń ó ú ý).

Symbols (all lower case):
    vowels      a ä o ö u ū ü e ı (ы) ì (і) i (и)
    glide       j (й, and the y/i of ya, ye, yu, ia, iu...)
    consonants  b v g ğ d ž z k q l m n ŋ p r s t f x (х, kh) h (һ) c (ц) č š
Latin "j" is ž (Janbolat, Jakishev) except word-finally after a vowel (Nikolaj), where it is й.
The skeleton keeps distinctions (ы/і/и, к/қ, г/ғ, х/һ) that the Kazakh ending rules use; the name
key folds them afterwards.
"""

from __future__ import annotations

import re

from anyascii import anyascii

from archive.analysis.normalize import is_cyrillic

VOWELS = frozenset("aäoöuūüeıìi")

# --- Cyrillic --------------------------------------------------------------------------------------

_CYR_VOWELS = "аәеиоөуұүыіэюяєїё"
# е, я, ю (and Ukrainian є, ї) start with a glide at the start of a word, after a vowel and after ъ/ь.
# After ь the glide is dropped, as romanisations that write я as ya or ia after a consonant do
# (Наталья = Natalya = Natalia): only the softness of the consonant, which the skeleton ignores.
_CYR_IOTATED = re.compile(f"(?:(?<=^)|(?<=[{_CYR_VOWELS}ъ]))([еяюєї])")
_CYR_GLIDE = {"е": "je", "я": "ja", "ю": "ju", "є": "je", "ї": "ji"}
_CYR_TABLE = str.maketrans({
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ж": "ž", "з": "z",
    "и": "i", "й": "j", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n", "ң": "ŋ", "о": "o", "ө": "ö",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū", "ү": "ü", "ф": "f", "х": "x", "һ": "h",
    "ц": "c", "ч": "č", "ш": "š", "щ": "š", "ъ": None, "ы": "ı", "і": "ì", "ь": None, "э": "e",
    "ю": "u", "я": "a", "ё": "o", "є": "e", "ї": "i", "ґ": "g", "ў": "u", "ҳ": "x", "ј": "j",
    "ѓ": "g", "ќ": "k", "ѐ": "e", "ѝ": "i",
})


_CYR_IOTATED_LETTERS = frozenset("еяюєї")


def _glide(match: re.Match[str]) -> str:
    return _CYR_GLIDE[match.group(1)]


def _cyrillic(word: str) -> str:
    if "дж" in word:
        word = word.replace("дж", "ž")
    if not _CYR_IOTATED_LETTERS.isdisjoint(word):
        word = _CYR_IOTATED.sub(_glide, word)
    return word.translate(_CYR_TABLE)


# --- Latin -----------------------------------------------------------------------------------------

# Letters with diacritics mapped to skeleton symbols (or to plain letters handled by the rules below).
_LAT_TABLE = str.maketrans({
    "á": "ä", "à": "a", "â": "â", "ã": "a", "å": "a", "ā": "a", "ä": "ä", "æ": "ä",
    "ǵ": "ğ", "ġ": "ğ", "ğ": "ğ", "ķ": "q", "ņ": "ŋ", "ṇ": "ŋ", "ñ": "ŋ", "ń": "ŋ", "ň": "n",
    "ḥ": "h", "ħ": "h", "ì": "ì", "í": "i", "î": "i", "ï": "i", "ī": "i", "ı": "i", "ỳ": "ı",
    "ó": "ö", "ò": "o", "ô": "ö", "ő": "ö", "ö": "ö", "ø": "ö", "ō": "o", "õ": "o",
    "ú": "ü", "ù": "ū", "û": "û", "ū": "ū", "ü": "ü", "ű": "ü", "ů": "u", "ý": "u", "ÿ": "ı",
    "é": "e", "è": "e", "ê": "e", "ë": "e", "ē": "e", "ě": "e", "ę": "e",
    "ş": "š", "š": "š", "ŝ": "š", "ś": "s", "ș": "š", "ç": "č", "č": "č", "ć": "č", "ĉ": "č",
    "ž": "ž", "ź": "z", "ż": "ž", "ẑ": "ž", "ď": "d", "ť": "t", "ř": "r", "ł": "l", "ľ": "l",
    "ŭ": "u", "ß": "s", "ʹ": None, "ʺ": None, "\u0307": None,
    # ALA-LC й and BS 2979 ы (ĭ, ȳ: read as y is read); ALA-LC э; the tie bars of ALA-LC ts, iu, ia
    # and the BGN/PCGN separating dot write nothing of their own
    "ĭ": "y", "ȳ": "y", "ė": "e", "\u0361": None, "\u0360": None, "\ufe20": None, "\ufe21": None,
    "·": None,
})
# 2017 Kazakh Latin: a letter followed by an apostrophe is a Kazakh letter; elsewhere it is dropped.
_APOSTROPHE = {"a": "ä", "g": "ğ", "n": "ŋ", "o": "ö", "u": "ü", "s": "š", "c": "č", "i": "i", "y": "u"}

_SPECIAL = re.compile(
    r"shch|shh|sch|tsch|šč|dzh|dž|zh|kh|sh|ch|gh|ph|ck|dj|[a-zäöüūıìâûğŋšžč]'|[yijâûxcwhq']"
)
_DIGRAPHS = {
    "shch": "š", "shh": "š", "sch": "š", "šč": "š", "tsch": "č", "dzh": "ž", "dž": "ž", "zh": "ž",
    "kh": "x", "sh": "š",
    "ch": "č", "gh": "ğ", "ph": "f", "ck": "k", "dj": "ž", "w": "v", "h": "x", "q": "q", "'": "",
}
_LAT_VOWELS = frozenset("aäoöuūüeıìiyâû")
_NEXT_VOWELS = _LAT_VOWELS - {"y"}  # "yy" (Rudnyy) is ы + й, not a glide before a vowel
_KNOWN = frozenset("abcdefghijklmnopqrstuvwxyz'äöüūıìâûğŋšžčq")


def _latin_unit(match: re.Match[str]) -> str:
    unit = match.group()
    mapped = _DIGRAPHS.get(unit)
    if mapped is not None:
        return mapped
    if len(unit) == 2:  # a letter and an apostrophe: 2017 Kazakh Latin
        if unit[0] == "i" and match.end() < len(match.string) and match.string[match.end()] in _NEXT_VOWELS:
            return "j"  # i' is и and й: before a vowel, й (Mai'orov)
        return _APOSTROPHE.get(unit[0], unit[0])
    word, start, end = match.string, match.start(), match.end()
    prev = word[start - 1] if start else ""
    nxt = word[end] if end < len(word) else ""
    after_vowel = prev in _LAT_VOWELS and prev != ""
    next_vowel = nxt in _NEXT_VOWELS and nxt != ""
    if unit == "y":
        if next_vowel:
            # a glide at the start or after a vowel (Yerlan, Tokayev); after a consonant only the
            # softness of that consonant (Bilyash, Katya), which the skeleton ignores
            return "j" if (not prev or after_vowel) else ""
        return "j" if after_vowel else "ı"  # Mamay, Bayshigulova; Syzdykov
    if unit == "i":
        if next_vowel and nxt not in "iâû":  # ISO 9 â and û bring their own glide (Kseniâ)
            return "j" if (not prev or after_vowel) else "ij"  # Iurii, Mariia; Maria, Aliya
        return "i"
    if unit == "j":
        return "j" if (after_vowel and not nxt) else "ž"  # Nikolaj; Janbolat
    if unit == "â":
        return "ja" if (not prev or after_vowel) else "a"  # ISO 9 я
    if unit == "û":
        return "ju" if (not prev or after_vowel) else "u"  # ISO 9 ю
    if unit == "x":
        # Alexander; Xorazm; after й (Shajxutdinov, Shayxutdinov: GOST 7.79 B, scientific) it is х
        return "ks" if (after_vowel and next_vowel and prev != "y") else "x"
    return "s" if nxt in ("e", "i", "y") and nxt else "k"  # c: Cecil; Canada


def _latin(word: str) -> str:
    word = word.translate(_LAT_TABLE)
    if not _KNOWN.issuperset(word):
        # other scripts (Greek, Georgian, Arabic...) and rare letters: plain romanisation, letters only
        word = "".join(ch if ch in _KNOWN else anyascii(ch).lower() for ch in word)
        word = "".join(ch for ch in word if ch in _KNOWN)
    return _SPECIAL.sub(_latin_unit, word)


# Other readings of Latin letters that some romanisation of Russian gives them, beside the English or
# Kazakh reading that `_latin` takes first: ц as c (ISO 9, GOST 7.79 A, scientific, UNGEGN), cz
# (GOST 7.79 B) or tc (GOST R 52535.1-2006 passports); х as x between vowels (GOST 7.79 B, scientific:
# Mixail); й as j (ISO 9, scientific, UNGEGN: Jurij, Majorov); ё as yo, jo, io or ë after a consonant
# (BGN/PCGN, scientific, informal: Fyodorov, Semjonov), which Russian writes е; я and ю as ia and iu
# after a consonant (ICAO, ALA-LC); ы as y' (GOST 7.79 B); щ as sc (informal); and Kazakh ң as ng
# before a consonant or at the end (BGN/PCGN 1979); the Kazakh Latin ä ö ü as ae oe ue, as the
# machine-readable zone of ICAO Doc 9303 (part 3, its transliteration of Latin letters) and German
# spelling write them (Guelnar, Toeregali). The tables are those the `iuliia` package ships with their
# published sources, and the Kazakh ones listed in tests/romanisation.py.
_FRENCH = {"chtch": "shch", "tch": "ch", "ch": "sh", "ou": "u", "gu": "g", "j": "zh", "x": "ks", "ine": "in",
           "i": "y"}


def _french(match: re.Match[str]) -> str:
    return _FRENCH[match.group()]


_UMLAUTS = {"ae": "ä", "oe": "ö", "ue": "ü"}


def _umlaut(match: re.Match[str]) -> str:
    return _UMLAUTS[match.group()]


_TIES = str.maketrans(dict.fromkeys("\u0361\u0360\ufe20\ufe21"))
# ICAO, ALA-LC (and the French table) write я ю as ia iu after a consonant: Tatiana, Viacheslav
_IA = (re.compile(r"(?<=[^aeiouy])i(?=[aueo])"), "y")
_READINGS = (
    (re.compile(r"tc(?!h)|cz|c(?![hkz])"), "ts"),
    (re.compile(r"ck"), "tsk"),  # ц before к (Jaickij): English reads ck as k
    (re.compile(r"(?<=[aeiouy])i$"), "y"),  # й as i after a vowel (ICAO, ALA-LC: Tolstoi, Andrei)
    (re.compile(r"jj"), "y"),  # GOST 16876-71 table 2 й (Jurijj)
    (re.compile(r"(?<![kcsz])eh"), "e"),  # GOST 16876-71 table 2 э (Ehl'vira)
    (re.compile(r"(?<=[aeiouy])x(?=[aeiouy])"), "kh"),
    (re.compile(r"j"), "y"),
    (re.compile(r"(?<=[^aeiouy])(?:yo|jo|io|ë)"), "e"),
    (re.compile(r"^(?:yo|jo|ë)"), "ye"),
    (re.compile(r"(?<=[bdfgklmnprstvz])ie(?=[aeiou])"), ""),  # ICAO ъ before a vowel (Podieiachev)
    _IA,
    (re.compile(r"y'"), "y"),  # GOST 7.79 B ы (Kazakh 2017 reads y' as у)
    (re.compile(r"sc(?!h)"), "shch"),
    (re.compile(r"ng(?![aeiouyäöüūıh])"), "ñ"),  # BGN/PCGN Kazakh ң (Toqaevtyng)
    (re.compile(r"(?<![aeiouy])(?:ae|oe|ue)(?=[^aeiouy])"), _umlaut),  # ICAO ä ö ü (Guelnar)
)
# ISO/R 9:1968 (alternative) writes и as y (Yuryem): a reading of its own, never combined.
_Y_AS_I = (re.compile(r"(?<=[^aeiouy'])y(?=[aeou])"), "i")
# The French table of Russian passports (MVD 310, 1997: Kouznetsov, Tchernychev, Seitkoulovoi with й as
# a final i), a reading of its own, combined with the others only in reading ia and iu as я and ю.
_FRENCH_READING = (re.compile(r"chtch|tch|ch|ou|gu(?=[eiy])|j|(?<=[aeiouy])x|^x|ine$|(?<=[aeo])i$"), _french)


def latin_readings(word: str) -> tuple[str, ...]:
    """The skeletons of a folded Latin word read by the other romanisations (`_READINGS`): each
    rule alone and all of them together; the first reading (`skeleton`) is not among them."""
    word = _majority_script(word)
    if is_cyrillic(word):
        return ()
    word = word.translate(_TIES)
    first = _latin(word)
    variants = [pattern.sub(repl, word) for pattern, repl in _READINGS if pattern.search(word)]
    if len(variants) > 1:
        combined = word
        for pattern, repl in _READINGS:
            combined = pattern.sub(repl, combined)
        variants.append(combined)
    if _Y_AS_I[0].search(word):
        variants.append(_Y_AS_I[0].sub(_Y_AS_I[1], word))
    pattern, repl = _FRENCH_READING
    if pattern.search(word):
        french = pattern.sub(repl, word)
        variants += [french, _IA[0].sub(_IA[1], french)]
    found = dict.fromkeys(_latin(v) for v in variants)
    found.pop(first, None)
    return tuple(found)


def skeleton(word: str) -> str:
    """The rich skeleton of one folded word (see the module docstring)."""
    word = _majority_script(word)
    if is_cyrillic(word):
        # a Latin letter inside a Cyrillic word (a typing slip: Латин "a", "o", "c") is read as Cyrillic
        return _cyrillic(word.translate(_MIXED_TO_CYR))
    return _latin(word)


_MIXED_TO_CYR = str.maketrans({
    "a": "а", "c": "с", "e": "е", "o": "о", "p": "р", "x": "х", "y": "у", "k": "к", "i": "і",
})

# Cyrillic letters that look like Latin ones, as a Latin word holds them by a slip of the keyboard or
# of a converter (Chernyshёv with the Cyrillic ё, after `fold` wrote it е).
_CYR_TO_LATIN = str.maketrans({
    "а": "a", "с": "c", "е": "e", "ё": "ë", "о": "o", "р": "p", "х": "x", "у": "y", "к": "k", "і": "i",
})
_LATIN_LETTER = re.compile("[a-zà-ɏ]")


def _majority_script(word: str) -> str:
    """A word mostly in Latin letters with a few Cyrillic look-alikes is a Latin word."""
    if not is_cyrillic(word) or not _LATIN_LETTER.search(word):
        return word
    latin = len(_LATIN_LETTER.findall(word))
    cyrillic = sum(1 for ch in word if "\u0400" <= ch <= "\u04ff")
    if latin <= cyrillic:
        return word
    converted = word.translate(_CYR_TO_LATIN)
    return converted if not is_cyrillic(converted) else word
