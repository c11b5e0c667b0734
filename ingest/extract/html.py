"""HTML: the main text of a page without its furniture (menus, cookie banners, sidebars, footers)."""

from __future__ import annotations

import codecs
import re
from urllib.parse import urljoin

import lxml.html
import trafilatura
from lxml import etree

from ingest import encoding
from ingest.errors import IngestError
from ingest.extract.cleanup import clean_text, join_paragraphs
from ingest.extract.result import Extracted
from ingest.sniff import HTML

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
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


def decode_html(data: bytes, charset: str | None = None) -> tuple[str, str]:
    """The page as text and the encoding used: BOM, then the declared charset (HTTP header, then <meta>)
    when the bytes agree with it, then detection."""
    found = encoding.bom_encoding(data)
    if found:
        name, size = found
        return data[size:].decode(name, errors="replace"), name
    declared = [charset] if charset else []
    match = _META_CHARSET.search(data[:4096])
    if match:
        declared.append(match.group(1).decode("ascii"))
    for name in declared:
        try:
            codec = codecs.lookup(name).name
        except LookupError:
            continue
        if codec in ("utf-16", "utf-16-le", "utf-16-be"):
            continue  # a <meta> read as ASCII cannot be UTF-16; let detection decide
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    decoded = encoding.detect(data)
    return decoded.text, decoded.encoding


def _meta(tree: lxml.html.HtmlElement, *keys: str) -> str | None:
    for key in keys:
        for attr in ("property", "name", "itemprop"):
            for value in tree.xpath(f"//meta[@{attr}=$key]/@content", key=key):
                value = clean_text(value)
                if value:
                    return value
    return None


def _first_text(tree: lxml.html.HtmlElement, xpath: str) -> str | None:
    for element in tree.xpath(xpath):
        text = clean_text(element.text_content() if hasattr(element, "text_content") else str(element))
        if text:
            return text
    return None


def _page_metadata(tree: lxml.html.HtmlElement, html: str, url: str | None) -> tuple[str | None, dict]:
    found = trafilatura.extract_metadata(html, default_url=url)
    info = found.as_dict() if found else {}
    # trafilatura's title already prefers og:title and strips the site name from <title>
    title = (
        info.get("title")
        or _meta(tree, "og:title", "twitter:title")
        or _first_text(tree, "//title")
        or _first_text(tree, "//h1")
    )
    metadata: dict = {}
    publisher = _meta(tree, "og:site_name", "application-name") or info.get("sitename")
    if publisher:
        metadata["publisher"] = publisher
    published = _meta(tree, "article:published_time", "datePublished", "date", "dc.date", "pubdate")
    if published or info.get("date"):
        metadata["published_date"] = published or info.get("date")
    author = _meta(tree, "author", "article:author", "dc.creator")
    if author:
        metadata["author"] = author
    description = _meta(tree, "description", "og:description")
    if description:
        metadata["description"] = description
    canonical = _first_text(tree, "//link[@rel='canonical']/@href") or _meta(tree, "og:url")
    if canonical:
        metadata["url"] = urljoin(url, canonical) if url else canonical
    elif url:
        metadata["url"] = url
    lang = _first_text(tree, "/html/@lang")
    if lang:
        metadata["declared_language"] = lang
    return title, metadata


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
