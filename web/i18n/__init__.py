"""Interface language: the gettext catalogs (web/i18n/locale/LANG/LC_MESSAGES/messages.po, compiled to
.mo) and choosing the reader's language.

Messages are English text (the msgid) with `%(name)s` placeholders; plural forms follow each catalog's
Plural-Forms header. A message a catalog lacks shows in English, so a missing translation never breaks
a page (and tests/test_catalogs.py fails on it).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel.support import Translations
from starlette.requests import Request

LANGUAGES = ("en", "ru", "kk")
AUTONYMS = {"en": "English", "ru": "Русский", "kk": "Қазақша"}  # each language by its own name
DEFAULT = "en"
COOKIE = "ui_lang"
HERE = Path(__file__).parent
LOCALE = HERE / "locale"
DOMAIN = "messages"


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; it is translated where it is shown."""
    return message


def NC_(context: str, message: str) -> tuple[str, str]:
    """`N_` for a message with a context: the same English text said in another sense."""
    return context, message


@cache
def translations(language: str) -> Translations:
    found = Translations.load(LOCALE, [language], DOMAIN)
    if not isinstance(found, Translations):
        raise FileNotFoundError(f"no compiled catalog for {language!r} in {LOCALE} (run `make i18n`)")
    return found


class Messages:
    """The messages of one language for Python code: `t("English %(name)s", name=x)`, `t.ngettext(...)`,
    `t.pgettext(context, ...)`; each formats its values as the templates' `_()` does."""

    def __init__(self, language: str) -> None:
        self.language = language
        self.catalog = translations(language)

    def __call__(self, message: str, **values: object) -> str:
        return self.catalog.gettext(message) % values

    def pgettext(self, context: str, message: str, **values: object) -> str:
        return self.catalog.pgettext(context, message) % values

    def ngettext(self, singular: str, plural: str, n: int, **values: object) -> str:
        return self.catalog.ngettext(singular, plural, n) % {"num": n, **values}

    def npgettext(self, context: str, singular: str, plural: str, n: int, **values: object) -> str:
        return self.catalog.npgettext(context, singular, plural, n) % {"num": n, **values}


@cache
def translator(language: str) -> Messages:
    return Messages(language)


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
