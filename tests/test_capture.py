"""Link capture against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import gzip
import hashlib
import time
from datetime import UTC, datetime, timedelta

import pytest

from ingest.capture import DEFAULT_USER_AGENT, CapturedPage, CaptureError, capture
from ingest.capture.addresses import check_peer, is_public
from ingest.extract.charset import decode_html
from ingest.extract.htmlmeta import parse_metadata
from tests.http_fixture import LocalServer, closed_port

ARTICLE = """<!DOCTYPE html>
<html lang="ru">
<head>
  <meta charset="utf-8">
  <title>Суд в Алматы оставил приговор в силе — Пример Новости</title>
  <meta property="og:title" content="Суд в Алматы оставил приговор в силе">
  <meta property="og:site_name" content="Пример Новости">
  <meta property="article:published_time" content="2024-03-05T10:15:00+05:00">
  <meta name="description" content="Апелляционная коллегия рассмотрела жалобу защиты.">
  <meta name="author" content="Айгерім Сәрсенова">
  <link rel="canonical" href="/news/2024/03/sud-almaty">
</head>
<body><svg><title>icon</title></svg><article><p>Текст статьи. Қазақша мәтін.</p></article></body>
</html>
""".encode()

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = {"Content-Type": "text/html; charset=utf-8"}


@pytest.fixture
def server():
    with LocalServer() as srv:
        yield srv


def described(page: CapturedPage) -> dict:
    """The page's metadata as extraction reads it: the server's charset weighed, relative links resolved."""
    text, encoding = decode_html(page.content, page.charset)
    return {**parse_metadata(text, page.final_url), "encoding": encoding}


def capture_error(url: str, **kwargs) -> CaptureError:
    with pytest.raises(CaptureError) as info:
        capture(url, **kwargs)
    return info.value


def test_article_page(server):
    headers = {
        **HTML,
        "Last-Modified": "Tue, 05 Mar 2024 05:20:00 GMT",
        "ETag": '"abc123"',
        "Set-Cookie": "session=secret",
    }
    url = server.route("/news/article", body=ARTICLE, headers=headers)
    before = datetime.now(UTC)
    page = capture(url)
    after = datetime.now(UTC)

    assert isinstance(page, CapturedPage)
    assert page.content == ARTICLE
    assert page.sha256 == hashlib.sha256(ARTICLE).hexdigest()
    assert page.size == len(ARTICLE)
    assert page.status == 200
    assert page.requested_url == url and page.final_url == url
    assert page.redirects == []
    assert page.media_type == "text/html"
    assert page.captured_at.tzinfo is not None and page.captured_at.utcoffset() == timedelta(0)
    assert before <= page.captured_at <= after
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["etag"] == '"abc123"'
    assert page.headers["last-modified"] == "Tue, 05 Mar 2024 05:20:00 GMT"
    assert {"server", "date"} <= page.headers.keys()
    assert "set-cookie" not in page.headers
    assert described(page) == {
        "title": "Суд в Алматы оставил приговор в силе",
        "publisher": "Пример Новости",
        "published_date": "2024-03-05T10:15:00+05:00",
        "canonical_url": server.url("/news/2024/03/sud-almaty"),
        "description": "Апелляционная коллегия рассмотрела жалобу защиты.",
        "author": "Айгерім Сәрсенова",
        "declared_language": "ru",
        "encoding": "utf-8",
    }
    assert server.requests[0].headers["user-agent"] == DEFAULT_USER_AGENT


def test_minimal_page_falls_back_to_title_tag_and_host(server):
    url = server.route(
        "/plain", body=b"<html><head><title> Bare  page </title></head><body>x</body></html>", headers=HTML
    )
    meta = described(capture(url))
    assert meta["title"] == "Bare page"
    assert meta["publisher"] == "127.0.0.1"
    assert meta["published_date"] is None and meta["canonical_url"] is None
    assert meta["declared_language"] is None


def test_json_ld_fills_missing_head_metadata(server):
    body = b"""<html><head><title>T</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Site"},
  {"@type": "NewsArticle", "headline": "H", "datePublished": "2023-11-02",
   "author": [{"@type": "Person", "name": "A. One"}, {"@type": "Person", "name": "B. Two"}],
   "publisher": {"@type": "Organization", "name": "Kaz Media"}}]}</script>
</head><body></body></html>"""
    meta = described(capture(server.route("/ld", body=body, headers=HTML)))
    assert meta["published_date"] == "2023-11-02"
    assert meta["author"] == "A. One, B. Two"
    assert meta["publisher"] == "Kaz Media"
    assert meta["title"] == "T"


def test_gzip_body_is_kept_decoded(server):
    url = server.route("/gz", body=gzip.compress(ARTICLE), headers={**HTML, "Content-Encoding": "gzip"})
    page = capture(url)
    assert page.content == ARTICLE
    assert described(page)["publisher"] == "Пример Новости"


def test_redirect_chain(server):
    server.redirect("/old", "/middle", status=301)
    server.redirect("/middle", server.url("/news/article"), status=302)
    server.route("/news/article", body=ARTICLE, headers=HTML)
    page = capture(server.url("/old"))
    assert page.redirects == [server.url("/old"), server.url("/middle")]
    assert page.final_url == server.url("/news/article")
    assert page.requested_url == server.url("/old")
    assert page.content == ARTICLE
    assert page.status == 200


@pytest.mark.parametrize(("hops", "limit", "ok"), [(3, 3, True), (3, 2, False), (1, 0, False)])
def test_redirect_limit_is_exact(server, hops, limit, ok):
    for i in range(hops):
        server.redirect(f"/hop{i}", f"/hop{i + 1}")
    server.route(f"/hop{hops}", body=b"done", headers={"Content-Type": "text/plain"})
    if ok:
        assert len(capture(server.url("/hop0"), max_redirects=limit).redirects) == hops
    else:
        assert capture_error(server.url("/hop0"), max_redirects=limit).code == "too_many_redirects"


def test_redirect_loop(server):
    server.redirect("/a", "/b")
    server.redirect("/b", "/a")
    error = capture_error(server.url("/a"), max_redirects=5)
    assert error.code == "too_many_redirects"
    assert "loop" in str(error)
    assert len(server.requests) == 6


def test_redirect_to_unsupported_scheme(server):
    server.redirect("/to-file", "file:///etc/passwd")
    assert capture_error(server.url("/to-file")).code == "unsupported_scheme"


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_http_error_status(server, status):
    url = server.route("/gone", status=status, body=b"error page", headers={"Content-Type": "text/html"})
    error = capture_error(url)
    assert error.code == "http_status"
    assert error.status == status
    assert str(status) in str(error)


def test_missing_route_is_404(server):
    error = capture_error(server.url("/nowhere"))
    assert error.code == "http_status" and "404" in str(error)


def test_connection_refused():
    error = capture_error(f"http://127.0.0.1:{closed_port()}/article", timeout=5)
    assert error.code == "connection"
    assert "127.0.0.1" in str(error)


def test_dns_failure():
    error = capture_error("http://no-such-host.invalid/news", timeout=5)
    assert error.code == "dns"
    assert "no-such-host.invalid" in str(error)


def test_slow_server_times_out(server):
    url = server.route("/slow", body=b"late", delay=3.0)
    start = time.monotonic()
    error = capture_error(url, timeout=0.5)
    assert error.code == "timeout"
    assert time.monotonic() - start < 2.0


def test_trickling_body_hits_total_timeout(server):
    """Each chunk arrives in time, but the whole body does not."""
    url = server.route("/trickle", body=b"x" * 100, chunk_size=1, chunk_delay=0.05)
    start = time.monotonic()
    error = capture_error(url, timeout=0.5)
    assert error.code == "timeout"
    assert time.monotonic() - start < 2.0


def test_body_larger_than_limit_declared(server):
    url = server.route("/big", body=b"a" * 10_000)
    error = capture_error(url, max_bytes=1000)
    assert error.code == "too_large"
    assert "1000" in str(error)


def test_body_larger_than_limit_streamed(server):
    """Without Content-Length the limit must be enforced while reading."""
    url = server.route("/stream", body=b"a" * 2_000_000, content_length=False, chunk_size=4096)
    start = time.monotonic()
    assert capture_error(url, max_bytes=10_000).code == "too_large"
    assert time.monotonic() - start < 2.0


def test_body_exactly_at_limit(server):
    body = b"a" * 1000
    url = server.route("/exact", body=body, content_length=False, headers={"Content-Type": "text/plain"})
    assert capture(url, max_bytes=1000).content == body


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.com/file.pdf",
        "javascript:alert(1)",
        "data:text/html,<b>hi</b>",
        "mailto:editor@example.kz",
        "FILE:///C:/x",
    ],
)
def test_unsupported_scheme(url):
    error = capture_error(url)
    assert error.code == "unsupported_scheme"
    assert "http" in str(error)


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "not a url",
        "example.com/news",
        "localhost:8080/news",
        "http://",
        "https:///path",
        "http://exa mple.com/",
        "http://[::1",
        "http://example.com:99999/",
        "http://example.com:0/",
        "http://a..b/",
        "http://bad_%20host/",
        "http://example.com/\nx",
    ],
)
def test_malformed_url(url):
    assert capture_error(url).code == "invalid_url"


def test_url_whitespace_is_trimmed(server):
    url = server.route("/trim", body=b"ok", headers={"Content-Type": "text/plain"})
    page = capture(f"  {url}\n")
    assert page.requested_url == url and page.content == b"ok"


CP1251_PAGE = """<html lang="ru"><head>
<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">
<title>Правозащитники Казахстана требуют освободить журналиста</title>
<meta name="description" content="Заявление опубликовано в понедельник.">
</head><body><p>Текст на русском языке.</p></body></html>""".encode("cp1251")


@pytest.mark.parametrize(
    "content_type",
    ["text/html; charset=windows-1251", "text/html", "text/html; charset=utf-8", "text/html; charset=bogus"],
    ids=["header", "meta-only", "header-lies", "unknown-label"],
)
def test_windows_1251_page(server, content_type):
    url = server.route("/cp1251", body=CP1251_PAGE, headers={"Content-Type": content_type})
    page = capture(url)
    assert page.content == CP1251_PAGE
    meta = described(page)
    assert meta["title"] == "Правозащитники Казахстана требуют освободить журналиста"
    assert meta["description"] == "Заявление опубликовано в понедельник."
    assert meta["encoding"] == "cp1251"


def test_windows_1251_without_any_declaration(server):
    body = (
        "<html><head><title>Правозащитники Казахстана требуют освободить журналиста</title></head>"
        "<body><p>Заявление опубликовано в понедельник. Суд рассмотрит дело на следующей неделе, "
        "сообщили в пресс-службе.</p></body></html>"
    ).encode("cp1251")
    page = capture(server.route("/cp1251-bare", body=body, headers={"Content-Type": "text/html"}))
    assert described(page)["title"] == "Правозащитники Казахстана требуют освободить журналиста"


@pytest.mark.parametrize(
    "headers",
    [
        {"Content-Type": "application/pdf"},
        {},
        {"Content-Type": "application/octet-stream"},
        {"Content-Type": "text/html; charset=utf-8"},
    ],
    ids=["declared", "missing", "generic", "mislabelled-html"],
)
def test_pdf(server, headers):
    url = server.route("/report.pdf", body=PDF, headers=headers)
    page = capture(url)
    assert page.media_type == "application/pdf"
    assert page.content == PDF


def test_html_without_content_type_is_sniffed(server):
    page = capture(server.route("/untyped", body=ARTICLE))
    assert page.media_type == "text/html"
    assert described(page)["declared_language"] == "ru"


def test_capture_error_carries_url(server):
    url = server.route("/e", status=500)
    error = capture_error(url)
    assert error.url == url
    assert error.message == str(error)


def test_capture_error_is_an_ingest_error():
    from ingest.errors import IngestError

    error = capture_error("ftp://example.com/x")
    assert isinstance(error, IngestError)
    assert error.code == "unsupported_scheme"


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
     "224.0.0.1", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1"],
)
def test_private_and_local_addresses_are_not_public(address):
    assert not is_public(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "95.59.1.1", "2001:4860:4860::8888"])
def test_global_addresses_are_public(address):
    assert is_public(address)


def test_public_only_refuses_a_local_host_before_asking_it(server):
    url = server.route("/internal", body=ARTICLE, headers=HTML)
    error = capture_error(url, public_only=True)
    assert error.code == "private_address" and "127.0.0.1" in str(error)
    assert server.requests == []
    assert capture(url).content == ARTICLE  # allowed by default, on one researcher's machine


def test_public_only_checks_the_address_actually_reached(server):
    """A name that passed the check but connected to a private address (DNS rebinding) yields nothing."""
    import httpx

    url = server.route("/x", body=b"secret")
    with httpx.Client() as client, client.stream("GET", url) as reply, pytest.raises(CaptureError) as raised:
        check_peer(reply)
    assert raised.value.code == "private_address"
