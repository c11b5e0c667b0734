"""A document's title when it gives none of its own: never page chrome, and for a ruling the fields
that tell it from the court's other rulings."""

from __future__ import annotations

import re

TITLE_MAX = 200

# Words of search boxes, menus and buttons that a saved web page or a copied text keeps at its top.
_CHROME = frozenset(
    {
        "quick search", "advanced search", "search", "reset", "reset all", "menu", "home", "main menu",
        "skip to content", "skip to main content", "log in", "login", "sign in", "sign up", "register",
        "subscribe", "share", "print", "back", "next", "previous", "all news", "news", "contacts",
        "about us", "english", "русский", "қазақша", "eng", "рус", "қаз", "en", "ru", "kk", "kz",
        "поиск", "быстрый поиск", "расширенный поиск", "сбросить", "меню", "главная", "войти",
        "регистрация", "подписаться", "поделиться", "печать", "назад", "все новости", "новости",
        "контакты", "о нас", "іздеу", "жылдам іздеу", "кеңейтілген іздеу", "мәзір", "басты бет", "кіру",
        "тіркелу", "барлық жаңалықтар", "жаңалықтар", "байланыс",
    }
)  # fmt: skip
_PUNCTUATION = re.compile(r"[\W_]+")
_MENU_LINE_WORDS = 3  # a run of lines this short with chrome among them is a menu


def is_chrome(line: str) -> bool:
    """A line that is a control of a web page rather than words of the document."""
    return _PUNCTUATION.sub(" ", line).strip().casefold() in _CHROME


def first_line_title(text: str) -> str | None:
    """The first line that is the document's own words: chrome and menu runs at the top left out."""
    lines = [" ".join(line.strip().strip("#").split()) for line in text.splitlines()]
    index = 0
    while index < len(lines):
        line = lines[index]
        run = _menu_run(lines, index)
        if run:
            index += run
        elif line and not is_chrome(line):
            return line[:TITLE_MAX]
        else:
            index += 1
    return None


def _menu_run(lines: list[str], start: int) -> int:
    """How many short lines in a row start here, when chrome is among them (a menu's section names
    come with its search box); 0 when they are not a menu."""
    end = start
    while end < len(lines) and lines[end] and len(lines[end].split()) <= _MENU_LINE_WORDS:
        end += 1
    return end - start if any(is_chrome(line) for line in lines[start:end]) else 0


def ruling_title(metadata: dict) -> str | None:
    """ "Court, № case number, date" from what was read of a ruling, when at least two are known."""
    parts = [
        str(metadata.get("court") or ""),
        f"№ {metadata['case_number']}" if metadata.get("case_number") else "",
        str(metadata.get("decision_date") or ""),
    ]
    known = [part for part in parts if part]
    return ", ".join(known)[:TITLE_MAX] if len(known) >= 2 else None
