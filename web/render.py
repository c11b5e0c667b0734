"""Rendering pages and fragments in the reader's interface language."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from archive.search.explain import Highlight, mark
from search_api.auth import resolve
from web.i18n import (
    AUTONYMS,
    COOKIE,
    LANGUAGES,
    N_,
    Messages,
    choose_language,
    requested_language,
    translations,
    translator,
)
from web.i18n.labels import LABELS
from web.messages import failure_key

TEMPLATES = Path(__file__).parent / "templates"
COOKIE_MAX_AGE = 365 * 24 * 3600
# Pages differ by fragment/full page and by interface language: caches must keep them apart.
VARY = "HX-Request, Cookie, Accept-Language"

def utc_iso(value: datetime | str | None) -> str:
    """`2025-11-25T12:41:03Z`: one unambiguous form for dates people cite."""
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def utc_date(value: datetime | str | None) -> str:
    return utc_iso(value)[:10]


def data(value: object) -> Markup:
    """A value from the archive or the user (a name, a query) inside an interface sentence, marked as
    no text to translate: browsers' page translation leaves it as it is, and so do the checks."""
    return Markup('<span translate="no">{}</span>').format(value)


def marked(text: str, highlights: list[Highlight]) -> Markup:
    """Text with its highlight ranges in <mark>, every piece escaped: snippets and reading pages alike
    (a function, not a macro: a page marks every hit's snippet, or every paragraph of a long text)."""
    return Markup(mark(text, highlights, "<mark>", "</mark>", escape))


def label(t: Messages, key: str, **values: object) -> str:
    """The message for a key made at run time (`label("kind." ~ document.kind)`); an unknown key shows as
    itself."""
    message = LABELS.get(key)
    if message is None:
        return key
    if isinstance(message, tuple):
        return t.pgettext(*message, **values)
    return t(message, **values)


@cache
def environment(language: str) -> Environment:
    """The templates with gettext (`_`, `ngettext`, `pgettext`) bound to one interface language."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    t = translator(language)
    env.filters["utc_iso"] = utc_iso
    env.filters["utc_date"] = utc_date
    env.globals["label"] = lambda key, **values: label(t, key, **values)
    env.globals["failure_key"] = failure_key
    env.globals["data"] = data
    env.globals["marked"] = marked
    env.globals["size_label"] = lambda size: size_label(size, language, t)
    return env


def size_label(size: int, language: str, t: Messages) -> str:
    """`12.1 KB (12,345 bytes)`, with the decimal and thousands marks of the interface language."""
    exact = t.ngettext("%(value)s byte", "%(value)s bytes", size, count=size, value=_number(size, language))
    if size < 1024:
        return exact
    value, unit = size / 1024, N_("%(value)s KB")
    for bigger in (N_("%(value)s MB"), N_("%(value)s GB")):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{t(unit, value=_number(round(value, 1), language))} ({exact})"


def _number(value: float, language: str) -> str:
    shown = f"{value:,}".removesuffix(".0")
    if language == "en":
        return shown
    return shown.replace(",", "\u202f").replace(".", ",")  # narrow no-break space, decimal comma


def say(request: Request, message: str, **values: object) -> str:
    """One message of the interface catalogs, in the reader's language (for text a route composes)."""
    return translator(choose_language(request))(message, **values)


def say_label(request: Request, key: str, **values: object) -> str:
    """A message looked up by a key made at run time (`batch.too_many`), in the reader's language."""
    return label(translator(choose_language(request)), key, **values)


def is_htmx(request: Request) -> bool:
    """A request from htmx wanting a fragment (a history restore wants the whole page)."""
    return request.headers.get("hx-request") == "true" and "hx-history-restore-request" not in request.headers


def render(request: Request, template: str, context: dict | None = None, status: int = 200,
           switch_path: str | None = None) -> HTMLResponse:
    """Renders `template` with gettext bound to the chosen language; remembers an explicit `?lang=`.

    `switch_path` is where the language switcher points when the current URL cannot be reloaded
    (the answer to a POST)."""
    language = choose_language(request)
    path = switch_path or request.url.path
    kept = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"] if not switch_path else []

    def lang_url(code: str) -> str:
        return f"{path}?{urlencode([*kept, ('lang', code)])}"

    viewer = resolve(request)
    page = environment(language).get_template(template).render({
        "request": request,
        "viewer": viewer,
        "csrf_token": request.state.csrf_token,
        "lang": language,
        "ui_languages": LANGUAGES,
        "autonyms": AUTONYMS,
        "lang_url": lang_url,
        **(context or {}),
    })
    response = HTMLResponse(page, status_code=status)
    if requested_language(request):
        response.set_cookie(COOKIE, language, max_age=COOKIE_MAX_AGE, samesite="lax", httponly=True)
    response.headers["Vary"] = VARY
    return response
