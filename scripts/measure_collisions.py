"""How often unrelated surnames (and first names) share a name key.

Surnames and first names come from pymorphy3's Russian dictionary (lemmas tagged Surn / Name,
masculine nominative singular). For each name we also take its singular case forms and, for
surnames, the feminine forms, and check three things:

* collision: its nominative key equals the nominative key of another (unrelated) name;
* near collision: another name's key is one edit away (keys of 5+ letters, as the near-key search does);
* convergence: all its case forms (Russian cases from the dictionary, Kazakh cases built by rule)
  give the nominative's key, and no form's key is the nominative key of another name;
* in Latin: the nominative written by the passport table (ICAO Doc 9303, which writes Kazakh ң ғ қ
  as n g k, as informal Latin does) keeps the Cyrillic key (or has it among its other readings), its
  Kazakh case forms so written give that key too, and no romanised nominative has the Cyrillic key of
  another name.

The subset "Turkic" holds surnames with Kazakh/Turkic elements (-баев, -бек-, -жан-, -галиев...).

    .venv/bin/python scripts/measure_collisions.py [--limit N] [--examples 15]
"""

from __future__ import annotations

import argparse
import pickle
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import iuliia
import pymorphy3
from rapidfuzz import process
from rapidfuzz.distance import OSA

from archive.analysis import fold, name_key, reading_keys

TURKIC = re.compile(r"(баев|баева|беков|бек|жанов|жан|галиев|гали|булатов|тай|таев|ханов|ғали|ұлы|"
                    r"кул|кулов|жанов|ахмет|мухамед|нур|сейт|сыз|ерм|кайр|асыл|айт|ораз|сарс|темир|тур)")
# Kazakh case endings after a consonant-final surname (the commonest shape: -ов, -ев, -ин, -бек)
KAZAKH_FORMS_AFTER_VOICELESS = ("тың", "ты", "қа", "та", "тан", "пен")
KAZAKH_FORMS_AFTER_VOICED = ("дың", "ды", "ға", "да", "дан", "мен")
KAZAKH_FORMS_AFTER_NASAL = ("ның", "ды", "ға", "да", "нан", "мен")
VOICELESS = set("вкпстфхцчшщб")
NASAL = set("мнң")


def _kazakh_forms(word: str) -> list[str]:
    last = word[-1]
    if last in VOICELESS:
        endings = KAZAKH_FORMS_AFTER_VOICELESS
    elif last in NASAL:
        endings = KAZAKH_FORMS_AFTER_NASAL
    elif last in "аеиоуыэюя":
        return []  # vowel-final names are rare as surnames; their forms are covered by the tests
    else:
        endings = KAZAKH_FORMS_AFTER_VOICED
    back = not set("еіәөү").intersection(word[-4:]) or word.endswith(("ов", "ев", "ин"))
    forms = []
    for ending in endings:
        if not back:
            ending = ending.translate(str.maketrans("ыаұқғ", "іеүкг"))
        forms.append(word + ending)
    return forms


def load(tag: str, limit: int | None, cache: Path | None = None) -> dict[str, set[str]]:
    """lemma → its forms (singular cases). Reading the dictionary takes minutes: cached in `cache`."""
    if cache is not None and cache.exists():
        return pickle.loads(cache.read_bytes())
    morph = pymorphy3.MorphAnalyzer()
    lemmas: dict[str, set[str]] = {}
    for word, parse_tag, _normal, _para, _idx in morph.dictionary.iter_known_words():
        if tag in parse_tag and "masc" in parse_tag and "nomn" in parse_tag and "sing" in parse_tag:
            lemma = fold(word)
            if lemma in lemmas:
                continue
            lemmas[lemma] = set()
            if limit and len(lemmas) >= limit:
                break
    for lemma, forms in lemmas.items():
        for parse in morph.parse(lemma):
            if tag in parse.tag and "masc" in parse.tag:
                for form in parse.lexeme:
                    if "sing" in form.tag:
                        forms.add(fold(form.word))
                break
    if cache is not None:
        cache.write_bytes(pickle.dumps(lemmas))
    return lemmas


_VARIANT = str.maketrans({"ь": None, "ъ": None, "я": "а", "ю": "у", "э": "е", "й": "и", "ы": "и"})
_DOUBLE = re.compile(r"(.)\1+")


def spelling_variants(a: str, b: str) -> bool:
    """Two dictionary names that differ only in doubled letters, soft signs or я/а, ю/у, ы/и, й/и:
    one name spelt two ways (Абдулаев / Абдуллаев), which the key is meant to merge."""
    def norm(word: str) -> str:
        return _DOUBLE.sub(r"\1", word.translate(_VARIANT)).lstrip("и")

    return norm(a) == norm(b)


def report(title: str, lemmas: dict[str, set[str]], examples: int) -> None:
    by_key: dict[str, set[str]] = defaultdict(set)
    for lemma in lemmas:
        by_key[name_key(lemma)].add(lemma)

    def related(a: str, b: str) -> bool:
        return a in lemmas.get(b, ()) or b in lemmas.get(a, ())

    colliding = [lem for lem in lemmas if any(not related(lem, o) for o in by_key[name_key(lem)] - {lem})]
    unrelated = [lem for lem in colliding if any(
        not related(lem, o) and not spelling_variants(lem, o) for o in by_key[name_key(lem)] - {lem})]
    keys = list(by_key)
    near = 0
    for lemma in lemmas:
        key = name_key(lemma)
        if len(key) < 5:
            continue
        for other, _d, _ in process.extract(key, keys, scorer=OSA.distance, score_cutoff=1, limit=None):
            if other != key:
                near += 1
                break
    diverging, crossing = [], []
    for lemma, forms in lemmas.items():
        key = name_key(lemma)
        all_forms = set(forms) | set(_kazakh_forms(lemma))
        bad = sorted(f for f in all_forms if name_key(f) != key)
        if bad:
            diverging.append(f"{lemma}→{bad[0]}={name_key(bad[0])}")
        wrong = [f for f in all_forms if name_key(f) != key and name_key(f) in by_key
                 and not any(related(lemma, o) for o in by_key[name_key(f)])]
        if wrong:
            crossing.append(f"{wrong[0]}={name_key(wrong[0])}~{sorted(by_key[name_key(wrong[0])])[0]}")
    n = len(lemmas)
    print(f"\n{title}: {n} names, {len(by_key)} distinct keys")
    print(f"  equal key with another name        {len(colliding):6d}  {len(colliding) / n:7.2%}")
    print(f"  ... not just a spelling variant    {len(unrelated):6d}  {len(unrelated) / n:7.2%}")
    print(f"  another key within 1 edit (key≥5)  {near:6d}  {near / n:7.2%}")
    print(f"  some case form leaves the key      {len(diverging):6d}  {len(diverging) / n:7.2%}")
    print(f"  some case form meets another name  {len(crossing):6d}  {len(crossing) / n:7.2%}")
    groups = sorted((g for g in by_key.values() if len(g) > 1
                     and any(not spelling_variants(a, b) for a in g for b in g)), key=lambda g: -len(g))
    print("  collisions: " + "; ".join(" = ".join(sorted(g)) for g in groups[:examples]))
    print("  diverging forms: " + "; ".join(diverging[:examples]))
    print("  forms meeting another name: " + "; ".join(crossing[:examples]))


# ICAO Doc 9303 for the Kazakh letters, as Kazakhstan's passports write them (tests/romanisation.py)
_ICAO_KAZAKH = str.maketrans({"ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u",
                              "һ": "kh", "і": "i"})


def _icao(word: str) -> str:
    return iuliia.ICAO_DOC_9303.translate(word.translate(_ICAO_KAZAKH))


def latin_report(title: str, lemmas: dict[str, set[str]], examples: int) -> None:
    """The nominatives and Kazakh case forms of `lemmas` written by the passport table."""
    by_key: dict[str, set[str]] = defaultdict(set)
    for lemma in lemmas:
        by_key[name_key(lemma)].add(lemma)
    missed, crossing, diverging = [], [], []
    forms = 0
    for lemma in lemmas:
        key, latin = name_key(lemma), _icao(lemma)
        if key not in {name_key(latin), *reading_keys(latin)}:
            missed.append(f"{latin}={name_key(latin)}≠{key}")
            others = [o for o in by_key.get(name_key(latin), ()) if not spelling_variants(lemma, o)]
            if others:
                crossing.append(f"{latin}~{sorted(others)[0]}")
        written = [_icao(form) for form in _kazakh_forms(lemma)]
        forms += len(written)
        bad = [f for f in written if key not in {name_key(f), *reading_keys(f)}]
        diverging += [f"{f}={name_key(f)}" for f in bad]
    n = len(lemmas)
    print(f"\n{title}, in Latin (ICAO): {n} names")
    print(f"  nominative misses the Cyrillic key  {len(missed):6d}  {len(missed) / n:7.2%}")
    print(f"  ... and has another name's key      {len(crossing):6d}  {len(crossing) / n:7.2%}")
    print(f"  Kazakh case forms missing it        {len(diverging):6d}  {len(diverging) / max(forms, 1):7.2%}"
          f"  of {forms}")
    print("  with another name's key: " + "; ".join(crossing[:examples]))
    print("  missing forms: " + "; ".join(diverging[:examples]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--examples", type=int, default=15)
    parser.add_argument("--cache", default="/tmp/measure_collisions", help="where to keep the name lists")
    args = parser.parse_args()
    started = time.time()
    cache = Path(args.cache) if args.cache else None
    surnames = load("Surn", args.limit, cache.with_suffix(".surn.pickle") if cache else None)
    names = load("Name", args.limit, cache.with_suffix(".name.pickle") if cache else None)
    print(f"loaded in {time.time() - started:.0f} s")
    report("Surnames (pymorphy3 Surn)", surnames, args.examples)
    turkic = {k: v for k, v in surnames.items() if TURKIC.search(k)}
    report("Turkic-looking surnames", turkic, args.examples)
    report("First names (pymorphy3 Name)", names, args.examples)
    report("Surnames and first names together", {**surnames, **names}, args.examples)
    latin_report("Surnames", surnames, args.examples)
    latin_report("Turkic-looking surnames", turkic, args.examples)


if __name__ == "__main__":
    main()
