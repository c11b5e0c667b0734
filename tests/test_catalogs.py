"""The interface catalogs (gettext, web/i18n/locale): every message of the templates and the code has a
real translation in Russian and Kazakh, with the placeholders of its English text, plural forms from the
catalogs' own Plural-Forms, and compiled .mo files that match their .po files."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from web.i18n import LANGUAGES, LOCALE, translator

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def makefile_keywords() -> dict:
    """The extraction keywords of `make i18n` (the one place they are named), as Babel takes them."""
    line = next(line for line in (ROOT / "Makefile").read_text().splitlines() if "pybabel -q extract" in line)
    return {**DEFAULT_KEYWORDS, **parse_keywords(re.findall(r"-k (\S+)", line))}


def extracted(source: Path = WEB) -> set[tuple[str | None, str | tuple[str, ...]]]:
    """(context, msgid) of every message in the templates and the code, as `make i18n` extracts them."""
    method_map = [("**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True",
                                     "lstrip_blocks": "True"}}
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
            source, method_map, options, keywords=makefile_keywords()):
        found.add((context, message if isinstance(message, str) else tuple(message[:2])))
    return found


def catalog(language: str, locale: Path = LOCALE):
    with (locale / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


def missing(language: str, source: Path = WEB, locale: Path = LOCALE) -> list[str]:
    """The messages of the sources that `language` lacks: absent, empty or fuzzy."""
    messages = catalog(language, locale)
    lacking = []
    for context, msgid in sorted(extracted(source), key=str):
        entry = messages.get(msgid, context=context)
        strings = entry.string if entry is not None and isinstance(entry.string, tuple) else (
            (entry.string,) if entry is not None else ("",))
        if entry is None or entry.fuzzy or not all(strings):
            lacking.append(f"{context or ''}|{msgid}")
    return lacking


def test_the_sources_have_messages_to_translate() -> None:
    found = extracted()
    assert len(found) > 150
    assert (None, "Search the archive") in found
    assert (None, ("%(value)s byte", "%(value)s bytes")) in found  # from Python: t.ngettext(...)
    assert (None, "Public") in found  # from web/i18n/labels.py: N_(...)
    assert ("nav.search", "Search") in found and ("search.button", "Search") in found  # same text, two senses


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_every_message_is_translated(language: str) -> None:
    assert missing(language) == []


def test_a_new_message_without_translation_fails_the_check(tmp_path: Path) -> None:
    source = tmp_path / "web"
    shutil.copytree(WEB, source, ignore=shutil.ignore_patterns("__pycache__", "locale"))
    page = source / "templates" / "base.html"
    page.write_text(page.read_text().replace("</footer>", '{{ _("A brand new line") }}</footer>'))
    (source / "extra.py").write_text('from web.i18n import N_\nREASON = N_("A brand new reason")\n')
    assert missing("ru", source) == ["|A brand new line", "|A brand new reason"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_english(language: str) -> None:
    for message in catalog(language):
        if not message.id:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = {name for text in english for name in PLACEHOLDER.findall(text)}
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= wanted | {"num", "count"}, (language, message.id, text)


def test_plural_forms_come_from_the_catalogs() -> None:
    assert catalog("ru").num_plurals == 3 and catalog("kk").num_plurals == 2
    ru, en, kk = translator("ru"), translator("en"), translator("kk")

    def size(t, n: int) -> str:
        return t.ngettext("%(value)s byte", "%(value)s bytes", n, value=n)

    assert [size(ru, n) for n in (1, 3, 5, 11, 21, 22)] == [
        "1 байт", "3 байта", "5 байт", "11 байт", "21 байт", "22 байта"]
    assert size(en, 1) == "1 byte" and size(en, 2) == "2 bytes"
    assert size(kk, 5) == "5 байт"
    assert en("No such message") == "No such message"  # unknown text shows as it is


def plain(value: object) -> object:
    """One form for what .po and .mo readers give (Babel's .mo reader gives contexts as bytes)."""
    if isinstance(value, bytes):
        return value.decode()
    return tuple(value) if isinstance(value, list | tuple) else value


def test_the_compiled_catalogs_match_their_po_files() -> None:
    """The .mo files are committed: one stale after a .po edit fails here (`make i18n` compiles)."""
    for language in LANGUAGES:
        po = catalog(language)
        with (LOCALE / language / "LC_MESSAGES" / "messages.mo").open("rb") as file:
            mo = read_mo(file)
        def strings(messages) -> dict:
            return {(plain(m.context), plain(m.id)): plain(m.string)
                    for m in messages if m.id and m.string and not m.fuzzy}

        compiled, written = strings(mo), strings(po)
        assert len(written) > 150
        assert compiled == written, language


def test_the_kazakh_catalog_is_kazakh() -> None:
    text = io.StringIO()
    for message in catalog("kk"):
        text.write(str(message.string))
    assert any(letter in text.getvalue() for letter in "әғқңөұүһі")
