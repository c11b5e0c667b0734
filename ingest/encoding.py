"""Decide the character encoding of text bytes: English, Russian and Kazakh in any common encoding.

Order of decisions, cheapest and most certain first:

1. a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE);
2. UTF-16 without a BOM, seen from the byte pattern: one byte of every pair is nearly always 0x00
   (Latin) or 0x04 (Cyrillic);
3. strict UTF-8;
4. "mostly UTF-8": a few invalid bytes among many valid multi-byte characters, or a few stray ones
   in text that is otherwise ASCII, are replaced (U+FFFD) and counted, rather than failing the whole
   file or reading it in a code page;
5. the single-byte Cyrillic encodings (Windows-1251, KZ-1048, KOI8-R, CP866, ISO-8859-5), each scored
   by how much the decoded text looks like Russian or Kazakh prose. Statistical detectors confuse
   Windows-1251 and KOI8-R on short texts, because both decodings are "all Cyrillic letters"; case
   and letter frequency tell them apart: read in the wrong code page, lower case turns into upper
   case, and the common letters (о е а и н т …) turn into rare ones;
6. charset-normalizer for what is left (e.g. Western European code pages).
"""

from __future__ import annotations

import codecs
import itertools
import re
from dataclasses import dataclass

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Tried in this order; on equal scores the earlier one wins (Windows-1251 is by far the most common).
CYRILLIC_CANDIDATES = ("cp1251", "kz1048", "koi8-r", "cp866", "iso8859-5")
# A small prior for how common each code page is among Russian and Kazakh files; it decides near-ties.
_PRIOR = {"cp1251": 0.15, "kz1048": 0.1, "koi8-r": 0.05}

_SAMPLE = 64 * 1024
_RU_KK_LOWER = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі")
_RU_KK_UPPER = {c.upper() for c in _RU_KK_LOWER}
_RU_KK = _RU_KK_LOWER | _RU_KK_UPPER
_COMMON = set("оеаинтсрвлкмдпуыяіқңұә")
# Frequent Russian and Kazakh letter pairs; a right decoding has many of them, a wrong one few.
_BIGRAMS = frozenset(
    " ".join(
        (
            "ст но то на ен ов ни ра во ко ро ал пр по ет ре ан ос ол ер ли го не от ка ва та ль ел ор",
            "ат ит ве ле ла ри ин де ти ом ск ны ых ие ого ая ой ын ің ды ар да ға ге қа ты ек ма ме ді",
            "ай ба бо ғы лы ап",
        )
    ).split()
)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # Python codec name, e.g. "utf-8", "utf-16-le", "cp1251"
    bom: bool = False
    errors: int = 0  # bytes that could not be decoded and were replaced by U+FFFD


def bom_encoding(data: bytes) -> tuple[str, int] | None:
    """The encoding announced by a byte-order mark and the mark's length, or None."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    return None


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes have the pair pattern of UTF-16 text, else None."""
    sample = data[: _SAMPLE & ~1]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]

    def high_share(part: bytes) -> float:
        return (part.count(0) + part.count(4)) / len(part)

    even_share, odd_share = high_share(even), high_share(odd)
    if odd_share > 0.6 and even_share < 0.2:
        name = "utf-16-le"
    elif even_share > 0.6 and odd_share < 0.2:
        name = "utf-16-be"
    else:
        return None
    try:
        text = sample.decode(name)
    except UnicodeDecodeError:
        # the sample may end in the middle of a surrogate pair
        try:
            text = sample[:-2].decode(name)
        except UnicodeDecodeError:
            return None
    return name if _printable_share(text) > 0.95 else None


def _printable_share(text: str) -> float:
    if not text:
        return 1.0
    good = sum(1 for c in text if c.isprintable() or c in "\n\r\t\f")
    return good / len(text)


def _strict_utf8(data: bytes, final: bool) -> str | None:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        return decoder.decode(data, final=final)
    except UnicodeDecodeError:
        return None


def _lenient_utf8(data: bytes, final: bool) -> Decoded | None:
    """UTF-8 with a few bad bytes: decode with replacement when valid multi-byte text dominates."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    text = decoder.decode(data, final=final)
    errors = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    valid_non_ascii = sum(1 for c in text if c > "\x7f") - text.count("\ufffd")
    if (valid_non_ascii >= 20 * errors and valid_non_ascii >= 10) or _stray_bytes(data, errors):
        return Decoded(text, "utf-8", errors=errors)
    return None


_HIGH_RUN = re.compile(rb"[\x80-\xff]+")


def _stray_bytes(data: bytes, errors: int) -> bool:
    """Invalid bytes that are few (at most one in a thousand) and stand alone or in pairs: damage in a
    UTF-8 or ASCII file. A single-byte code page writes a Cyrillic word as a run of high bytes."""
    if errors > max(3, len(data) // 1000):
        return False
    for run in _HIGH_RUN.finditer(data):
        if len(run.group()) > 2 and _strict_utf8(run.group(), final=True) is None:
            return False
    return True


def _glued(a: str, b: str) -> bool:
    return (a in _RU_KK and b.isascii() and b.isalpha()) or (b in _RU_KK and a.isascii() and a.isalpha())


def cyrillic_score(text: str) -> float:
    """How much a decoded text looks like Russian or Kazakh prose (higher is better; about 2.5 at best)."""
    non_ascii = [c for c in text if c > "\x7f"]
    if not non_ascii:
        return 0.0
    lower = sum(1 for c in non_ascii if c in _RU_KK_LOWER)
    upper = sum(1 for c in non_ascii if c in _RU_KK_UPPER)
    letters = lower + upper
    junk = (len(non_ascii) - letters) / len(non_ascii)
    if not letters:
        return -2.0 * junk
    folded = text.lower()
    common = sum(1 for c in folded if c in _COMMON) / max(1, sum(1 for c in folded if c in _RU_KK_LOWER))
    pairs = total = 0
    for a, b in itertools.pairwise(folded):
        if a in _RU_KK_LOWER and b in _RU_KK_LOWER:
            total += 1
            pairs += a + b in _BIGRAMS
    bigram = pairs / total if total else 0.0
    # capitals inside a word ("пПХБЕР") are the mark of a wrong code page
    inner_caps = sum(1 for a, b in itertools.pairwise(text) if a in _RU_KK_LOWER and b in _RU_KK_UPPER)
    inner = inner_caps / letters
    # a Cyrillic letter glued to a Latin one ("CafИ") is a Western text read in a Cyrillic code page
    glued = sum(1 for a, b in itertools.pairwise(text) if _glued(a, b))
    return 0.5 * lower / letters + common + 3 * bigram - 5 * junk - 3 * inner - 3 * glued / letters


def best_cyrillic(data: bytes) -> tuple[str, float]:
    """The single-byte Cyrillic code page whose decoding of ``data`` scores best, and its score."""
    sample = data[:_SAMPLE]
    best, best_score = CYRILLIC_CANDIDATES[0], float("-inf")
    for name in CYRILLIC_CANDIDATES:
        score = cyrillic_score(sample.decode(name, errors="replace")) + _PRIOR.get(name, 0.0)
        if score > best_score + 1e-9:
            best, best_score = name, score
    return best, best_score


def detect(data: bytes, final: bool = True) -> Decoded:
    """Decode text bytes, choosing the encoding as described in the module docstring.

    ``final=False`` is for a head of a longer file: a multi-byte character cut at the end is not an error.
    """
    found = bom_encoding(data)
    if found:
        name, size = found
        body = data[size:]
        if name.startswith(("utf-16", "utf-32")) and not final:
            unit = 2 if name.startswith("utf-16") else 4
            body = body[: len(body) - len(body) % unit]
        decoder = codecs.getincrementaldecoder(name)("replace")
        text = decoder.decode(body, final=final)
        return Decoded(text, name, bom=True, errors=text.count("\ufffd"))

    utf16 = utf16_without_bom(data)
    if utf16:
        body = data if final else data[: len(data) & ~1]
        decoder = codecs.getincrementaldecoder(utf16)("replace")
        text = decoder.decode(body, final=final)
        return Decoded(text, utf16, errors=text.count("\ufffd"))

    text = _strict_utf8(data, final)
    if text is not None:
        return Decoded(text, "utf-8")
    lenient = _lenient_utf8(data, final)
    if lenient:
        return lenient

    name, score = best_cyrillic(data)
    if score >= 1.0:
        text = data.decode(name, errors="replace")
        return Decoded(text, name, errors=text.count("\ufffd"))
    return _fallback(data, name)


def _fallback(data: bytes, cyrillic: str) -> Decoded:
    from charset_normalizer import from_bytes

    match = from_bytes(data[:_SAMPLE]).best()
    name = codecs.lookup(match.encoding).name if match else cyrillic
    try:
        return Decoded(data.decode(name), name)
    except (UnicodeDecodeError, LookupError):
        text = data.decode(cyrillic, errors="replace")
        return Decoded(text, cyrillic, errors=text.count("\ufffd"))
