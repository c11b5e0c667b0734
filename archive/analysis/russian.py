"""Russian words in pymorphy3's dictionary (the packaged OpenCorpora lexicon, `pymorphy3-dicts-ru`).

Two uses: telling an ordinary word from a proper name (`vocabulary.py`), and the dictionary form of
a declined place name, so that forms the ending rules cannot bring together meet (Канады and the
Kazakh Канадада, Афинах and Афины, Нидерландах and Нидерланды).
"""

from __future__ import annotations

from functools import cache, lru_cache

import pymorphy3

# pymorphy3 grammemes of proper names
_NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Abbr", "Init"})


@cache
def _morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def is_common_word(word: str) -> bool:
    """A folded lower-case Russian word the dictionary knows, and never as a proper name."""
    known = [p for p in _morph().parse(word) if p.is_known]
    return bool(known) and not any(_NAME_TAGS & p.tag.grammemes for p in known)


@lru_cache(maxsize=200_000)
def place_lemma(word: str) -> str:
    """The dictionary form of a folded word whose likeliest reading is a known place name (Geox),
    else the word itself."""
    best = _morph().parse(word)[0]
    return best.normal_form.replace("ё", "е") if best.is_known and "Geox" in best.tag.grammemes else word
