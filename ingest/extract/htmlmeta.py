"""Bibliographic metadata from an HTML page: ``<head>`` tags, Open Graph, and JSON-LD as a fallback."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

METADATA_KEYS = (
    "title", "publisher", "published_date", "canonical_url", "description", "author", "declared_language",
)  # fmt: skip
_PARSE_CHARS = 2 * 1024 * 1024  # metadata lives near the top; do not walk a 50 MB page
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "blogposting", "analysisnewsarticle",
                  "opinionnewsarticle", "backgroundnewsarticle", "report", "webpage", "scholarlyarticle"}
_DATE_META = ("article:published_time", "og:article:published_time", "datepublished", "pubdate",
              "publishdate", "publish-date", "dc.date.issued", "dcterms.issued", "dc.date", "dcterms.created",
              "date", "parsely-pub-date", "sailthru.date")


def host_of(url: str | None) -> str | None:
    host = urlsplit(url).hostname if url else None
    return host.removeprefix("www.") if host else None


def parse_metadata(html: str, url: str | None = None) -> dict:
    """Every key of ``METADATA_KEYS``, None when the page does not say; ``url`` resolves a relative
    canonical link and names the publisher when the page does not."""
    parser = _HeadParser()
    try:
        parser.feed(html[:_PARSE_CHARS])
        parser.close()
    except AssertionError:  # html.parser gives up on some broken markup; keep what was read
        pass
    meta, ld = parser.meta, _jsonld_article(parser.jsonld)

    def first(*keys: str) -> str | None:
        return next((meta[k] for k in keys if meta.get(k)), None)

    canonical = parser.canonical or first("og:url")
    authors = _names(ld.get("author"))
    return {
        "title": first("og:title", "twitter:title") or parser.title or _clean(ld.get("headline")),
        "publisher": first("og:site_name") or _clean(_names(ld.get("publisher"))) or host_of(url),
        "published_date": first(*_DATE_META) or _clean(ld.get("datePublished")),
        "canonical_url": urljoin(url or "", canonical) if canonical else None,
        "description": first("description", "og:description", "twitter:description")
        or _clean(ld.get("description")),
        "author": first("author", "article:author", "dc.creator") or _clean(authors),
        "declared_language": parser.lang or first("content-language", "language", "dc.language"),
    }


def _clean(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return " ".join(value.split()) or None


def _names(value: object) -> str | None:
    """JSON-LD ``author`` / ``publisher``: a string, an object with ``name``, or a list of those."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        name = value.get("name")
        return name if isinstance(name, str) else None
    if isinstance(value, list):
        names = [n for n in (_names(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def _jsonld_article(scripts: list[str]) -> dict:
    """The first article-like object in the page's JSON-LD blocks, or {}."""
    for script in scripts:
        try:
            data = json.loads(script)
        except ValueError:
            continue
        for item in _walk(data):
            types = item.get("@type")
            types = types if isinstance(types, list) else [types]
            if any(isinstance(t, str) and t.lower() in _ARTICLE_TYPES for t in types):
                return item
    return {}


def _walk(data: object):
    if isinstance(data, list):
        for value in data:
            yield from _walk(value)
    elif isinstance(data, dict):
        yield data
        yield from _walk(data.get("@graph", []))


class _HeadParser(HTMLParser):
    """Collects ``<meta>``, ``<title>``, ``<link rel=canonical>``, ``<html lang>`` and JSON-LD blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title: str | None = None
        self.canonical: str | None = None
        self.lang: str | None = None
        self.jsonld: list[str] = []
        self._capture: str | None = None  # "title" or "jsonld" while inside such an element
        self._buffer: list[str] = []
        self._svg_depth = 0  # <title> inside inline SVG is not the page title

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "svg":
            self._svg_depth += 1
        elif tag == "html" and self.lang is None:
            self.lang = _clean(a.get("lang") or a.get("xml:lang"))
        elif tag == "meta":
            key = a.get("property") or a.get("name") or a.get("itemprop") or a.get("http-equiv") or ""
            value = _clean(a.get("content"))
            if key and value:
                self.meta.setdefault(key.strip().lower(), value)
        elif tag == "link" and self.canonical is None:
            if "canonical" in a.get("rel", "").lower().split() and a.get("href", "").strip():
                self.canonical = a["href"].strip()
        elif tag == "title" and self.title is None and not self._svg_depth:
            self._start("title")
        elif tag == "script" and a.get("type", "").strip().lower() == "application/ld+json":
            self._start("jsonld")

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self._svg_depth:
            self._svg_depth -= 1
        elif tag in ("title", "script") and self._capture:
            text = "".join(self._buffer)
            if self._capture == "title":
                self.title = _clean(text)
            else:
                self.jsonld.append(text)
            self._capture = None

    def handle_data(self, data: str) -> None:
        if self._capture:
            self._buffer.append(data)

    def _start(self, what: str) -> None:
        self._capture = what
        self._buffer = []
