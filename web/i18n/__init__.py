"""Interface language: message catalogs (one JSON file per language) and choosing the language."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path

from starlette.requests import Request

LANGUAGES = ("en", "ru", "kk")
AUTONYMS = {"en": "English", "ru": "Русский", "kk": "Қазақша"}  # each language by its own name
DEFAULT = "en"
COOKIE = "ui_lang"
HERE = Path(__file__).parent

Message = str | dict[str, str]  # a plain string, or plural forms by CLDR category


@cache
def catalog(language: str) -> Mapping[str, Message]:
    return json.loads((HERE / f"{language}.json").read_text(encoding="utf-8"))


def plural_category(language: str, n: int) -> str:
    """CLDR cardinal category for integers: Russian needs one/few/many; English and Kazakh one/other."""
    if language == "ru":
        if n % 10 == 1 and n % 100 != 11:
            return "one"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "few"
        return "many"
    return "one" if n == 1 else "other"


def translator(language: str) -> Callable[..., str]:
    """`t(key, **values)`; with `count=` a plural message picks its form. Unknown keys fall back to
    English, then to the key itself, so a missing translation never breaks a page."""
    messages, fallback = catalog(language), catalog(DEFAULT)

    def t(key: str, **values: object) -> str:
        message = messages.get(key, fallback.get(key, key))
        if isinstance(message, dict):
            count = int(values.get("count", 0))  # type: ignore[call-overload]
            message = message.get(plural_category(language, count)) or message["other"]
        return message.format(**values) if values else message

    return t


def parse_accept_language(header: str) -> list[str]:
    """Supported languages from an Accept-Language header, best first (`kk-KZ` counts as `kk`)."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return [language for _, _, language in sorted(ranked)]


def requested_language(request: Request) -> str | None:
    """The language asked for explicitly with `?lang=`, if it is one we speak."""
    asked = request.query_params.get("lang", "")
    return asked if asked in LANGUAGES else None


def choose_language(request: Request) -> str:
    """`?lang=`, else the cookie set by an earlier `?lang=`, else Accept-Language, else English."""
    asked = requested_language(request)
    if asked:
        return asked
    remembered = request.cookies.get(COOKIE, "")
    if remembered in LANGUAGES:
        return remembered
    preferred = parse_accept_language(request.headers.get("accept-language", ""))
    return preferred[0] if preferred else DEFAULT
