"""The name key: one ASCII string per word, the same for every spelling, script and case form of a name.

Steps: fold the word (`normalize.fold`; a declined Russian place name to its dictionary form,
`russian.place_lemma`), romanise it to the rich skeleton (`skeleton.py`), strip
case endings (`inflection.py`), then fold the skeleton to the key:

* a glide before a vowel disappears (ya/ia/я → a, ye/е → e, yu/ю → u), elsewhere it is i;
* ы і и ı y → i; ә → a; ө → o; ұ ү → u; ң → n; қ q → k; ғ gh → g; х kh h һ → h;
* ж zh j dzh ž → j; ш sh ş š щ → x; ч ch ç č → c; ц → ts; w → v;
* doubled letters are written once (after the endings are gone, so Оспанның → ospan).

The key uses the letters a-z only. It is not meant to be read, only compared; a hit is explained
with the surface forms.
"""

from __future__ import annotations

import re
from functools import lru_cache

from archive.analysis.inflection import other_stems, strip_endings
from archive.analysis.kazakh import has_kazakh_letters
from archive.analysis.normalize import fold, is_cyrillic, without_possessive
from archive.analysis.russian import place_lemma
from archive.analysis.skeleton import latin_readings, skeleton

_SYMBOLS = frozenset("abcdefghijklmnopqrstuvwxyzäoöuūüeıìiğŋšžčx")
_GLIDE_BEFORE_VOWEL = re.compile("j(?=[aäoöuūüeıìi])")
_KEY_TABLE = str.maketrans({
    "j": "i", "ä": "a", "ö": "o", "ū": "u", "ü": "u", "ı": "i", "ì": "i", "q": "k", "ğ": "g", "ŋ": "n",
    "x": "h", "ž": "j", "š": "x", "č": "c", "c": "ts", "w": "v", "y": "i",
})
_DOUBLES = re.compile(r"(.)\1+")


def fold_skeleton(skel: str) -> str:
    """Folds a (stripped) rich skeleton to the key alphabet."""
    if "j" in skel:
        skel = _GLIDE_BEFORE_VOWEL.sub("", skel)
    key = skel.translate(_KEY_TABLE)
    return _DOUBLES.sub(r"\1", key) if _DOUBLES.search(key) else key


def _skeleton_of(word: str, lemma: bool = True) -> str:
    folded = without_possessive(fold(word))
    if lemma and is_cyrillic(folded) and not has_kazakh_letters(folded):
        folded = place_lemma(folded)  # Канады → канада, as the Kazakh Канадада strips to
    skel = skeleton(folded)
    if not _SYMBOLS.issuperset(skel):
        skel = "".join(ch for ch in skel if ch in _SYMBOLS)
    return skel


@lru_cache(maxsize=500_000)
def name_key(word: str) -> str:
    """The key of one word in any script; '' for a word with no letters."""
    skel = _skeleton_of(word)
    return fold_skeleton(strip_endings(skel, latin=not is_cyrillic(word))) if skel else ""


@lru_cache(maxsize=200_000)
def unstripped_key(word: str) -> str:
    """The key with nothing taken off the end: for a query word whose ending was a letter of the name
    (a misspelt `Kurmanty` is not the accusative of `Kurmant`), so near matches start from both."""
    skel = _skeleton_of(word)
    return fold_skeleton(skel) if skel else ""


@lru_cache(maxsize=200_000)
def reading_keys(word: str) -> tuple[str, ...]:
    """Keys of the word's other readings, without its own key: the other romanisations of a Latin
    word (`skeleton.latin_readings`: Kuznecov is also Kuznetsov, Jurij also Yuriy), and in any script
    the other reading of an end that Kazakh and Russian grammar read differently
    (`inflection.other_stems`: Allaberdin is also Аллабердин, Вишнёвке the Kazakh dative of Вишнёв
    and a form of Вишнёвка), the word as written where the dictionary form of a place took its place
    (Николаевке, also the Kazakh dative of Николаев); () for most words."""
    first = _skeleton_of(word)
    if not first:
        return ()
    latin = not is_cyrillic(word)
    # the word is stripped as `name_key` strips it, by its script; its Latin readings as Latin
    others = [(skel, True) for skel in latin_readings(fold(word))]
    written = "" if latin else _skeleton_of(word, lemma=False)
    if written != first:
        others.insert(0, (written, False))
    keys = dict.fromkeys(fold_skeleton(stem) for stem in other_stems(first, latin=latin))
    for skel, as_latin in others:
        if skel:
            keys[fold_skeleton(strip_endings(skel, latin=as_latin))] = None
            keys.update(dict.fromkeys(fold_skeleton(stem) for stem in other_stems(skel, latin=as_latin)))
    keys.pop(name_key(word), None)
    return tuple(keys)
