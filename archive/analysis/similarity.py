"""Near spellings of a name key, each with how likely it is to be the same name.

Keys already absorb the systematic differences between scripts and romanisations. What is left is
one letter off: a typo, or a sound that Russian spelling renders differently from Kazakh (Бөкенов /
Букенов: ө written у; Төлеген / Тулеген). The neighbours below are every key one edit away, weighted
by how close the two sounds are, so that a search ranks `Zhukeev` (ж for з) above `Bukeev` (б for з)
for the typo `Zukeev`, while still finding both.
"""

from __future__ import annotations

from functools import lru_cache

VOWELS = "aeiou"
LETTERS = "abcdefghijklmnopqrstuvwxyz"

# Pairs of sounds that stand for each other between Kazakh, Russian and Latin spellings.
_CLOSE_PAIRS = {
    "ou": 0.8,  # ө ұ ү written о or у
    "ae": 0.6,  # ә / е
    "ei": 0.6,  # і / е, ы / е
    "jz": 0.7,  # ж / з (dzh, z)
    "jx": 0.6,  # ж / ш
    "sx": 0.6,  # с / ш
    "sz": 0.6,
    "cx": 0.5,  # ч / ш
    "kg": 0.7,  # қ / ғ, к / г
    "hk": 0.7,  # х / к (kh read as k)
    "gh": 0.6,
    "bp": 0.7,
    "fv": 0.7,
    "bv": 0.5,
    "dt": 0.7,
    "mn": 0.6,
    "uv": 0.5,  # у as the glide w, written v
}
OTHER_VOWEL = 0.4
OTHER_CONSONANT = 0.2
DROP_VOWEL = 0.6
DROP_CONSONANT = 0.5
ADD_VOWEL = 0.6
ADD_CONSONANT = 0.4
SWAP = 0.5
MIN_LENGTH = 5  # shorter keys have too many neighbours to mean anything
# A Kazakh ө ұ ү that Russian spelling writes у or о (Бөкенов / Букенов) is a difference of spelling
# systems, not a slip: a typo on top of it (Bukenv for Бөкенов) is still one edit, at this cost.
SPELLING_VOWEL = 0.9


def _substitution(a: str, b: str) -> float:
    pair = "".join(sorted(a + b))
    if pair in _CLOSE_PAIRS:
        return _CLOSE_PAIRS[pair]
    if a in VOWELS and b in VOWELS:
        return OTHER_VOWEL
    return OTHER_CONSONANT if a not in VOWELS and b not in VOWELS else 0.0


@lru_cache(maxsize=20_000)
def neighbours(key: str) -> tuple[tuple[str, float], ...]:
    """Every key one edit from `key` (substitution, deletion, insertion, swap) with its weight in (0, 1),
    best first, and the same from `key` with one o/u written the other way (`SPELLING_VOWEL`);
    nothing for short keys."""
    if len(key) < MIN_LENGTH:
        return ()
    found = _one_edit(key)
    for i, letter in enumerate(key):
        if letter in "ou":
            respelt = key[:i] + ("u" if letter == "o" else "o") + key[i + 1 :]
            for variant, weight in _one_edit(respelt).items():
                weight *= SPELLING_VOWEL
                if variant != key and weight > found.get(variant, 0.0):
                    found[variant] = weight
    return tuple(sorted(found.items(), key=lambda item: (-item[1], item[0])))


def _one_edit(key: str) -> dict[str, float]:
    found: dict[str, float] = {}

    def keep(variant: str, weight: float) -> None:
        if weight > 0 and variant != key and weight > found.get(variant, 0.0):
            found[variant] = weight

    for i, letter in enumerate(key):
        head, tail = key[:i], key[i + 1 :]
        keep(head + tail, DROP_VOWEL if letter in VOWELS else DROP_CONSONANT)
        for other in LETTERS:
            if other != letter:
                keep(head + other + tail, _substitution(letter, other))
        if i + 1 < len(key) and key[i + 1] != letter:
            keep(head + key[i + 1] + letter + key[i + 2 :], SWAP)
    for i in range(len(key) + 1):
        for other in LETTERS:
            keep(key[:i] + other + key[i:], ADD_VOWEL if other in VOWELS else ADD_CONSONANT)
    return found
