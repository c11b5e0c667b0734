"""Language of a text and of each of its paragraphs: English, Russian or Kazakh.

Rules first, a statistical model only where the rules cannot tell:

- Script: Latin letters are English or Kazakh in its Latin alphabet, Cyrillic letters are Russian or
  Kazakh. Capitalised and all-capital words count half, so that names and acronyms in the other
  script ("Human Rights Watch" in a Russian text, "Жұмағалиев" in an English one) do not flip it.
- Latin-script Kazakh (the 2021 alphabet, and the informal q-spelling) shows in lower-case words with
  ä ğ ñ ö ū ü ı ş or a q not followed by u; English has almost none, and names (Toqaev, Qostanay) are
  capitalised, so an English text full of Kazakh names stays English.
- Kazakh letters (ә ғ қ ң ө ұ ү һ і) in lower-case words are a near-certain sign of Kazakh: they
  occur in roughly every third Kazakh word and in no Russian one. Only lower-case words are counted, so
  a Russian text full of Kazakh names (Сыздықбек, Жұмағалиев) stays Russian.
- Otherwise lingua, restricted to en/ru/kk, decides Russian against Kazakh: it recognises Kazakh typed
  without its extra letters. It sees the text without Kazakh-spelled names and without Latin words,
  and at most ``LINGUA_SAMPLE`` characters, so a long text costs no more than a paragraph.

langdetect is not used: it has no Kazakh model and calls Kazakh Russian.
"""

from __future__ import annotations

import re
from functools import lru_cache

from archive.analysis.kazakh import LETTERS_ANY_CASE as KK_LETTERS
from archive.domain import MIXED, UNKNOWN, LanguageSpan

LINGUA_SAMPLE = 1000  # characters given to lingua: beyond that its answer no longer changes
STRONG_KK_SHARE = 0.06  # share of lower-case Cyrillic words with a Kazakh letter that settles "kk"
LATIN_KK_SHARE = 0.15  # share of lower-case Latin words with a Kazakh Latin sign that settles "kk"
LATIN_KK_MIN_WORDS = 2  # and at least this many such words: one quoted word is not a language
MIN_LETTERS = 2  # fewer letters than this: "und"
SHORT_PARAGRAPH = 25  # letters; shorter paragraphs (headings, names, dates) follow their neighbours
DOMINANT_SHARE = 0.75  # a document is one language when that language holds this share of its letters
MIXED_MIN_PARAGRAPH = 40  # letters a paragraph needs to make a document "mixed"

# Russian function words that Kazakh does not use as words: two of them in a paragraph with no Kazakh
# letter settle "ru" without asking the model (most Russian paragraphs, at a fraction of the cost).
RUSSIAN_MARKERS = frozenset({
    "в", "во", "что", "на", "и", "для", "по", "от", "это", "как", "из", "был", "была", "были", "с", "со",
    "за", "при", "после", "также", "его", "ее", "её", "их", "или", "но", "который", "которая", "которые",
    "к", "о", "об", "у", "до", "не", "он", "она", "они", "уже", "только", "суток", "года",
})
RUSSIAN_MARKERS_NEEDED = 2

_CYRILLIC = re.compile("[\u0400-\u052f]")
_KK_LETTER = re.compile(f"[{''.join(sorted(KK_LETTERS))}]")
_KK_LATIN_SIGN = re.compile("[äğñöūüış]|q(?!u)")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_PARAGRAPH = re.compile(r"[^\n]+")


@lru_cache(maxsize=1)
def _lingua():
    """Build lingua's detector once; building is cheap, the language models load lazily on first use."""
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.RUSSIAN, Language.KAZAKH).build()


_LINGUA_CODES = {"ENGLISH": "en", "RUSSIAN": "ru", "KAZAKH": "kk"}


def lingua_language(text: str) -> str:
    """lingua's answer alone (used by the measurement script as a baseline, and for ru/kk below)."""
    language = _lingua().detect_language_of(text[:LINGUA_SAMPLE])
    return _LINGUA_CODES.get(language.name, UNKNOWN) if language is not None else UNKNOWN


@lru_cache(maxsize=200_000)
def _signs(word: str) -> tuple[bool, bool, bool, bool]:
    """What a word says of its language, asked once per spelling (words repeat): capitalised,
    Cyrillic, with a Kazakh letter, with a Kazakh Latin sign (the last for Latin words only)."""
    cyrillic = _CYRILLIC.search(word) is not None
    return (
        word[0].isupper(),
        cyrillic,
        cyrillic and _KK_LETTER.search(word) is not None,
        not cyrillic and _KK_LATIN_SIGN.search(word) is not None,
    )


class _Words:
    """Letter counts of a text by script, with names and acronyms weighing half."""

    def __init__(self, text: str) -> None:
        self.cyrillic = self.latin = 0.0
        self.letters = 0
        self.lower_cyrillic = self.lower_kk = self.kk_any = 0
        self.lower_latin = self.lower_kk_latin = 0
        self.plain: list[str] = []  # Cyrillic words without Kazakh-spelled names, for lingua
        self.russian_markers: set[str] = set()
        for word in _WORD.findall(text):
            size = len(word)
            self.letters += size
            capitalised, cyrillic, has_kk, kk_latin = _signs(word)
            weight = size * 0.5 if capitalised else size
            if cyrillic:
                self.cyrillic += weight
                self.kk_any += has_kk
                if not capitalised:
                    self.lower_cyrillic += 1
                    self.lower_kk += has_kk
                    if word in RUSSIAN_MARKERS:
                        self.russian_markers.add(word)
                if not (capitalised and has_kk):
                    self.plain.append(word)
            else:
                self.latin += weight
                if not capitalised:
                    self.lower_latin += 1
                    self.lower_kk_latin += kk_latin

    def latin_kazakh(self) -> bool:
        return (
            self.lower_kk_latin >= LATIN_KK_MIN_WORDS
            and self.lower_kk_latin >= LATIN_KK_SHARE * self.lower_latin
        )


def detect_language(text: str) -> str:
    """ "en", "ru", "kk", or "und" when the text has no letters."""
    return _language_of(_Words(text))


def _language_of(words: _Words) -> str:
    if words.letters < MIN_LETTERS:
        return UNKNOWN
    if words.latin > words.cyrillic:
        return "kk" if words.latin_kazakh() else "en"
    if words.lower_cyrillic:
        if words.lower_kk / words.lower_cyrillic >= STRONG_KK_SHARE:
            return "kk"
        if not words.lower_kk and len(words.russian_markers) >= RUSSIAN_MARKERS_NEEDED:
            return "ru"
    elif words.kk_any:
        return "kk"  # only capitalised words (a heading, a name) and they are spelled in Kazakh
    sample = " ".join(words.plain)[:LINGUA_SAMPLE]
    if not sample:
        return "ru"
    answer = lingua_language(sample)
    return answer if answer in ("ru", "kk") else "ru"


def paragraph_offsets(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-blank line, without its surrounding spaces."""
    spans = []
    for match in _PARAGRAPH.finditer(text):
        line = match.group()
        stripped = line.strip()
        if stripped:
            start = match.start() + (len(line) - len(line.lstrip()))
            spans.append((start, start + len(stripped)))
    return spans


def _document_language(sized: list[tuple[str, int]]) -> str:
    totals: dict[str, int] = {}
    for language, letters in sized:
        if language != UNKNOWN:
            totals[language] = totals.get(language, 0) + letters
    if not totals:
        return UNKNOWN
    ranked = sorted(totals.items(), key=lambda item: item[1], reverse=True)
    top, top_letters = ranked[0]
    if top_letters >= DOMINANT_SHARE * sum(totals.values()):
        return top
    substantial = {language for language, letters in sized if letters >= MIXED_MIN_PARAGRAPH}
    return MIXED if len(substantial) >= 2 else top


def detect_document(text: str) -> tuple[str, list[LanguageSpan]]:
    """The document's language ("mixed" when no language holds ~75 % of its letters and two languages
    have substantial paragraphs) and one span per non-blank line, with offsets into ``text``."""
    offsets = paragraph_offsets(text)
    found: list[tuple[str, int]] = []
    for start, end in offsets:
        words = _Words(text[start:end])
        found.append((_language_of(words), words.letters))
    document = _document_language(found)
    languages = _settle_short(found, document)
    spans = [
        LanguageSpan(start, end, language) for (start, end), language in zip(offsets, languages, strict=True)
    ]
    return document, spans


def _settle_short(found: list[tuple[str, int]], document: str) -> list[str]:
    """Short paragraphs (headings, names, dates) take the document's language, or in a mixed document
    the language of the nearest substantial paragraph before them (after them for the first ones)."""
    if document not in (MIXED, UNKNOWN):
        return [document if letters < SHORT_PARAGRAPH else language for language, letters in found]
    result: list[str] = []
    previous = None
    for language, letters in found:
        if letters >= SHORT_PARAGRAPH and language != UNKNOWN:
            previous = language
        result.append(language if letters >= SHORT_PARAGRAPH or previous is None else previous)
    following = next((language for language, letters in found if letters >= SHORT_PARAGRAPH), None)
    for index, (language, letters) in enumerate(found):
        if letters >= SHORT_PARAGRAPH:
            break
        result[index] = following or language
    return result
