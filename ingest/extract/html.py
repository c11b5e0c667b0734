"""HTML: the main text of a page without its furniture (menus, cookie banners, sidebars, footers)."""

from __future__ import annotations

import re

import lxml.html
import trafilatura
from lxml import etree

from ingest.errors import IngestError
from ingest.extract.charset import decode_html
from ingest.extract.cleanup import clean_text, join_paragraphs
from ingest.extract.htmlmeta import parse_metadata
from ingest.extract.result import Extracted
from ingest.sniff import HTML

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_DROP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "iframe",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
)
_BLOCK_TAGS = (
    "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br",
    "blockquote", "pre", "table", "ul", "ol", "dl", "dt", "dd", "figcaption", "address",
)  # fmt: skip
# Trafilatura's options, chosen on the four dev-eval pages and the furniture tests: the default balance
# kept every article paragraph and dropped menus, cookie banners, sidebars and footers, as did
# favor_precision and favor_recall; recall is preferred because a lost paragraph of evidence costs more
# than a stray line of furniture, and it still dropped all of it.
_TRAFILATURA_OPTIONS = {
    "favor_recall": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "deduplicate": False,
    "output_format": "txt",
}


def _first_text(tree: lxml.html.HtmlElement, xpath: str) -> str | None:
    for element in tree.xpath(xpath):
        text = clean_text(element.text_content())
        if text:
            return text
    return None


def _page_metadata(tree: lxml.html.HtmlElement, html: str, url: str | None) -> tuple[str | None, dict]:
    """The title, and the page's metadata in the keys of ``htmlmeta.METADATA_KEYS`` that it states."""
    head = parse_metadata(html, url)
    found = trafilatura.extract_metadata(html, default_url=url)
    # trafilatura's title strips the site name from <title>; the head's tags come next, then the first <h1>
    title = (found.title if found else None) or head.pop("title") or _first_text(tree, "//h1")
    head.pop("title", None)
    if not head["published_date"] and found and found.date:
        head["published_date"] = found.date
    return title, {key: value for key, value in head.items() if value}


def body_text(tree: lxml.html.HtmlElement) -> str:
    """All visible text of the body, one paragraph per block element: the fallback when trafilatura finds
    no main text."""
    tree = lxml.html.fromstring(lxml.html.tostring(tree))  # work on a copy
    for element in tree.xpath("//" + " | //".join(_DROP_TAGS)):
        element.drop_tree()
    for element in tree.iter(*_BLOCK_TAGS):
        element.tail = "\n\n" + (element.tail or "")
    bodies = tree.xpath("//body")
    root = bodies[0] if bodies else tree
    return clean_text(root.text_content())


def extract_html(data: bytes, url: str | None = None, charset: str | None = None) -> Extracted:
    """Main text, title and metadata of an HTML page; ``charset`` is the one from an HTTP header, if any."""
    html, used = decode_html(data, charset)
    html = _XML_DECLARATION.sub("", html, count=1)
    if not html.strip():
        raise IngestError("empty", "The HTML page is empty.")
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError) as error:
        raise IngestError("decode_error", f"The HTML page could not be parsed: {error}.") from error
    title, metadata = _page_metadata(tree, html, url)
    metadata["encoding"] = used
    main = trafilatura.extract(html, url=url, **_TRAFILATURA_OPTIONS)
    if main and main.strip():
        text = join_paragraphs(main.split("\n"))
        metadata["extractor"] = "trafilatura"
    else:
        text = body_text(tree)
        metadata["extractor"] = "body"
    if not text:
        raise IngestError("no_text", "The HTML page has no visible text.")
    return Extracted(text=text, title=title, media_type=HTML, metadata=metadata)
