"""The web pages against a real archive in a temporary directory, through FastAPI's test client."""

from __future__ import annotations

import io
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from archive.domain import Document, Kind, LanguageSpan, Provenance
from archive.index import BackendUnavailable
from archive.pipeline import IngestRequest
from archive.settings import load_settings
from tests.clients import client as client_for
from web.app import create_app
from web.document_page import metadata_rows, paragraphs
from web.i18n import parse_accept_language

EN_TEXT = ("Zhanbolat Mamai detained in Almaty\n\n"
           "Journalist Zhanbolat Mamai was detained in Almaty after a peaceful rally. "
           "His lawyers said the police gave no reason for the arrest and refused to let them see him.")
RU_TEXT = ("Задержание Жанболата Мамая\n\n"
           "Журналиста Жанболата Мамая задержали в Алматы после мирного митинга. "
           "Адвокаты сообщили, что полиция не назвала причину задержания и не допустила их к нему.")
KK_TEXT = ("Жанболат Мамайдың ісі\n\n"
           "Журналист Жанболат Мамайдың ісі Алматы қалалық сотында қаралды. "
           "Қорғаушылары полиция ұстаудың себебін түсіндірмегенін және оларды кездестірмегенін айтты.")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with client_for(load_settings(home=tmp_path / "home"), **{"Accept-Language": "en"}) as test_client:
        yield test_client


def upload(client: TestClient, name: str, content: bytes | str, htmx: bool = False, **fields: str):
    data = content.encode() if isinstance(content, str) else content
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post("/upload", files={"file": (name, data, "text/plain")}, data=fields, headers=headers)


def document_id(html: str) -> str:
    found = re.search(r'href="/d/([^"]+)"', html)
    assert found, html
    return found.group(1)


@pytest.fixture
def three(client: TestClient) -> dict[str, str]:
    """One document about the same person in each language; their ids by language."""
    return {lang: document_id(upload(client, f"{lang}.txt", text).text)
            for lang, text in (("en", EN_TEXT), ("ru", RU_TEXT), ("kk", KK_TEXT))}


# --- search -----------------------------------------------------------------------------------


def test_search_page_renders(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="en">' in html
    assert re.search(r'<input id="q" name="q" type="search"[^>]*autofocus', html)
    assert 'hx-get="/search"' in html and 'hx-target="#results"' in html and 'hx-push-url="true"' in html
    assert 'action="/search" method="get"' in html  # works without JavaScript too
    assert "<details class=\"syntax-help\">" in html and "OR" in html
    assert '<script src="/static/htmx.min.js"' in html
    assert not re.search(r'<script[^>]+src="https?:', html), "no script from a CDN"
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"


def test_search_full_page_and_htmx_fragment(client: TestClient, three: dict[str, str]) -> None:
    full = client.get("/search", params={"q": "Mamai"})
    assert full.status_code == 200
    assert full.text.lstrip().startswith("<!doctype html>")
    assert f'href="/d/{three["en"]}?q=Mamai"' in full.text

    fragment = client.get("/search", params={"q": "Mamai"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "<body" not in fragment.text
    assert f'href="/d/{three["en"]}?q=Mamai"' in fragment.text
    assert "<mark>" in fragment.text
    assert 'class="snippet" lang="en"' in fragment.text
    assert "documents found" in fragment.text or "document found" in fragment.text
    assert "matched:" in fragment.text and "→" in fragment.text
    assert 'id="lang-switch"' in fragment.text and 'hx-swap-oob="true"' in fragment.text
    assert "Vary" in fragment.headers and "HX-Request" in fragment.headers["Vary"]


def test_history_restore_gets_the_whole_page(client: TestClient) -> None:
    page = client.get("/search", params={"q": "Mamai"},
                      headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in page.text


def test_language_and_kind_filters(client: TestClient, three: dict[str, str]) -> None:
    fragment = client.get("/search", params={"q": "Мамай", "language": "ru"}, headers={"HX-Request": "true"})
    assert f'/d/{three["ru"]}?' in fragment.text
    assert f'/d/{three["en"]}?' not in fragment.text and f'/d/{three["kk"]}?' not in fragment.text
    nothing = client.get("/search", params={"q": "Mamai", "kind": "ruling"}, headers={"HX-Request": "true"})
    assert "Nothing found" in nothing.text
    page = client.get("/", params={"q": "Mamai", "language": "ru", "kind": "report"})
    assert re.search(r'value="ru"\s*checked', page.text) and re.search(r'value="report"\s*checked', page.text)


def test_operator_only_queries_show_a_message(client: TestClient, three: dict[str, str]) -> None:
    for query in ("-", '""', "OR", "- -"):
        page = client.get("/search", params={"q": query}, headers={"HX-Request": "true"})
        assert page.status_code == 200, query
        assert "no words to search for" in page.text, query


def test_the_empty_query_lists_every_document_with_its_facets(client: TestClient, three: dict[str, str]):
    empty = client.get("/search", params={"q": "  "}, headers={"HX-Request": "true"})
    assert empty.status_code == 200 and "3 documents found" in empty.text
    assert all(f'/d/{doc_id}' in empty.text for doc_id in three.values())
    assert re.search(r'value="kk">\s*Kazakh <span class="count">1</span>', empty.text)
    russian = client.get("/", params={"language": "ru"})
    assert "1 document found" in russian.text and f'/d/{three["ru"]}?language=ru"' in russian.text


def test_an_empty_archive_says_how_to_start(tmp_path: Path) -> None:
    with TestClient(create_app(load_settings(home=tmp_path / "empty"))) as fresh:
        assert "Type a name" in fresh.get("/").text


def test_bad_parameters_are_ignored(client: TestClient) -> None:
    page = client.get("/search", params={"q": "x", "offset": "lots", "language": "fr", "kind": "<b>"})
    assert page.status_code == 200


def test_pagination(client: TestClient) -> None:
    for n in range(12):
        upload(client, f"note-{n}.txt", f"Field note {n}\n\nThe picket in Uralsk lasted {n + 1} hours.")
    first = client.get("/search", params={"q": "Uralsk"}, headers={"HX-Request": "true"})
    assert "12 documents found, showing 1–10" in first.text
    assert first.text.count('class="hit"') == 10
    next_url = re.search(r'<a href="([^"]+)" rel="next"', first.text)
    assert next_url and "offset=10" in next_url.group(1)
    second = client.get(next_url.group(1).replace("&amp;", "&"), headers={"HX-Request": "true"})
    assert second.text.count('class="hit"') == 2
    assert 'rel="prev"' in second.text and 'rel="next"' not in second.text
    assert '<ol class="hits" start="11">' in second.text


def test_unavailable_index_shows_a_friendly_message(client: TestClient, monkeypatch) -> None:
    archive = client.app.state.archive

    def down(*_args, **_kwargs):
        raise BackendUnavailable("connection refused")

    monkeypatch.setattr(archive.backend, "search", down)
    fragment = client.get("/search", params={"q": "Mamai"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 503
    assert "Search is unavailable right now" in fragment.text and "Traceback" not in fragment.text
    page = client.get("/", params={"q": "Mamai"})
    assert page.status_code == 503 and '<html lang="en">' in page.text


def test_markup_in_titles_is_escaped(client: TestClient) -> None:
    doc = document_id(upload(client, "x.txt", "Evening report\n\nThe Uralsk picket.",
                             title="<script>alert(1)</script>").text)
    results = client.get("/search", params={"q": "Uralsk"}).text
    permalink = client.get(f"/d/{doc}").text
    for html in (results, permalink):
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_markup_in_snippets_is_escaped_and_matches_marked(client: TestClient) -> None:
    upload(client, "y.txt", "The <b>bold</b> claim: <script>alert(2)</script> the Uralsk picket.")
    results = client.get("/search", params={"q": "Uralsk"}).text
    assert "<script>alert(2)</script>" not in results and "<b>bold</b>" not in results
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in results
    assert "<mark>Uralsk</mark>" in results


# --- permalink --------------------------------------------------------------------------------


def test_permalink_page(client: TestClient) -> None:
    created = upload(client, "mamai-ru.txt", RU_TEXT, source="Adil Soz monitoring",
                     ingested_by="A. Archivist", note="Received by e-mail", kind="report")
    doc = document_id(created.text)
    record = client.get(f"/api/documents/{doc}").json()
    page = client.get(f"/d/{doc}")
    assert page.status_code == 200
    html = page.text
    assert record["sha256"] in html and 'class="hash" id="sha256"' in html
    for shown in ("Adil Soz monitoring", "A. Archivist", "Received by e-mail", "mamai-ru.txt", "text/plain",
                  "Report", "Russian"):
        assert shown in html, shown
    assert f'href="/api/documents/{doc}/original"' in html
    assert re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", html)
    assert '<p lang="ru">' in html and '<h1 lang="ru">' in html
    assert f"SHA-256 {record['sha256']}. /d/{doc}." in html  # no public URL set: never the Host header
    assert "“Задержание Жанболата Мамая”. file “mamai-ru.txt”. archived " in html
    assert f'href="/api/documents/{doc}/evidence"' in html
    original = client.get(f"/api/documents/{doc}/original")
    assert original.content == RU_TEXT.encode()


def test_unknown_document_is_a_404_page(client: TestClient) -> None:
    page = client.get("/d/no-such-id")
    assert page.status_code == 404
    assert "<html" in page.text and "no document “no-such-id”" in page.text
    assert client.get("/no/such/page").status_code == 404
    assert "<html" in client.get("/no/such/page").text
    api = client.get("/api/documents/no-such-id")
    assert api.status_code == 404 and "detail" in api.json()  # the API keeps its JSON errors


def test_media_metadata_links_only_web_addresses() -> None:
    document = Document(
        id="d1", kind=Kind.MEDIA, title="t", language="en", text="", sha256="0" * 64, size=1,
        media_type="text/html", original_name="a.html", ingested_at=None,  # type: ignore[arg-type]
        metadata={"url": "https://example.org/news?a=1&b=2", "final_url": "javascript:alert(1)",
                  "publisher": "Example", "captured_at": "2024-03-01T10:00:00+06:00", "http_status": 200},
    )
    rows = {row.name: row for row in metadata_rows(document)}
    assert rows["url"].link and not rows["final_url"].link
    assert rows["captured_at"].value == "2024-03-01T04:00:00Z"
    assert rows["http_status"].value == "200"


def test_media_permalink_shows_link_metadata(client: TestClient) -> None:
    archive = client.app.state.archive
    request = IngestRequest(kind=Kind.MEDIA, provenance=Provenance("https://example.org/news"),
                            metadata={"url": "https://example.org/news", "publisher": "Example News",
                                      "captured_at": "2024-03-01T04:00:00+00:00", "http_status": 200})
    result = archive.ingest_upload(io.BytesIO(EN_TEXT.encode()), "news.html", request)
    html = client.get(f"/d/{result.id}").text
    assert '<a href="https://example.org/news" rel="noopener noreferrer nofollow">' in html
    assert "Example News" in html and "HTTP status" in html
    assert "Example News. https://example.org/news. archived 2024-03-01T04:00:00Z" in html


def test_paragraphs_follow_language_spans() -> None:
    text = "Заголовок\n\nҚазақша мәтін.\n\nEnglish text."
    ru_end = text.index("Қ")
    kk_end = text.index("E")
    document = Document(
        id="d1", kind=Kind.REPORT, title="t", language="mixed", text=text, sha256="0" * 64, size=1,
        media_type="text/plain", original_name="a.txt", ingested_at=None,  # type: ignore[arg-type]
        spans=[LanguageSpan(0, ru_end, "ru"), LanguageSpan(ru_end, kk_end, "kk"),
               LanguageSpan(kk_end, len(text), "en")],
    )
    assert [(p.text, p.language) for p in paragraphs(document)] == [
        ("Заголовок", "ru"), ("Қазақша мәтін.", "kk"), ("English text.", "en")]


# --- adding evidence --------------------------------------------------------------------------


def test_upload_page_has_both_forms(client: TestClient) -> None:
    html = client.get("/upload").text
    assert 'action="/upload" method="post" enctype="multipart/form-data"' in html
    assert '<input id="file" name="file" type="file" multiple required' in html
    for field in ('name="court"', 'name="case_number"', 'name="decision_date" type="date"', 'name="articles"',
                  'name="publisher"', 'name="published_date" type="date"'):
        assert field in html, field
    assert 'action="/upload/link" method="post"' in html
    for field in ('name="file"', 'name="kind"', 'name="title"', 'name="source"', 'name="ingested_by"',
                  'name="note"', 'name="url"'):
        assert field in html, field
    labels = set(re.findall(r'<label for="([^"]+)"', html))
    ids = set(re.findall(r'<(?:input|select|textarea) id="([^"]+)"', html))
    assert ids <= labels, ids - labels


def test_upload_created_duplicate_and_failed(client: TestClient) -> None:
    created = upload(client, "report.txt", EN_TEXT, title="Mamai detention")
    assert created.status_code == 201
    assert "Archived." in created.text and "Mamai detention" in created.text
    assert "<html" in created.text  # without htmx: the whole page, with the result
    doc = document_id(created.text)

    again = upload(client, "copy.txt", EN_TEXT, htmx=True)
    assert again.status_code == 200
    assert "Already in the archive" in again.text and f'href="/d/{doc}"' in again.text
    assert "<html" not in again.text  # htmx: the result box alone

    failed = upload(client, "empty.txt", b"", htmx=True)
    assert failed.status_code == 422
    assert "Could not be archived." in failed.text and "empty" in failed.text

    binary = upload(client, "photo.txt", bytes(range(256)) * 64, htmx=True)
    assert binary.status_code == 422 and "Could not be archived." in binary.text
    message = re.search(r"<p class=\"failure-reason\">([^<]+)</p>", binary.text)
    assert message and message.group(1).strip(), binary.text


def test_upload_without_a_file_or_with_a_bad_kind(client: TestClient) -> None:
    nothing = {"file": ("", b"", "application/octet-stream")}  # what a browser sends when no file is chosen
    no_file = client.post("/upload", data={"title": "kept"}, files=nothing)
    assert no_file.status_code == 422 and "Choose a file to upload." in no_file.text
    assert 'value="kept"' in no_file.text  # what was typed is not lost
    bad_kind = upload(client, "a.txt", EN_TEXT, kind="memo")
    assert bad_kind.status_code == 422 and "Unknown kind" in bad_kind.text


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_capture_of_an_unreachable_link_shows_a_clear_error(client: TestClient) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/news/1"
    answer = client.post("/upload/link", data={"url": url}, headers={"HX-Request": "true"})
    assert answer.status_code == 422
    assert "Could not be archived." in answer.text and 'role="alert"' in answer.text
    assert "Traceback" not in answer.text
    page = client.post("/upload/link", data={"url": url})
    assert page.status_code == 422 and f'value="{url}"' in page.text
    empty = client.post("/upload/link", data={"url": " "})
    assert empty.status_code == 422 and "Enter the link to capture." in empty.text


# --- interface language -----------------------------------------------------------------------


def test_language_switch_by_parameter_and_cookie(client: TestClient) -> None:
    russian = client.get("/", params={"lang": "ru"})
    assert '<html lang="ru">' in russian.text and "Поиск по архиву" in russian.text
    assert russian.cookies.get("ui_lang") == "ru"
    remembered = client.get("/upload")
    assert '<html lang="ru">' in remembered.text and "Загрузить файл" in remembered.text
    kazakh = client.get("/search", params={"q": "Мамай", "lang": "kk"})
    assert '<html lang="kk">' in kazakh.text and "Мұрағаттан іздеу" in kazakh.text
    assert "Құжат тілі" in kazakh.text  # a Kazakh label with Kazakh letters
    assert 'href="/search?q=%D0%9C%D0%B0%D0%BC%D0%B0%D0%B9&amp;lang=en"' in kazakh.text  # query kept
    ignored = client.get("/", params={"lang": "de"})
    assert '<html lang="kk">' in ignored.text


def test_language_from_accept_language(tmp_path: Path) -> None:
    app = create_app(load_settings(home=tmp_path / "home"))
    with TestClient(app) as fresh:
        assert '<html lang="kk">' in fresh.get("/", headers={"Accept-Language": "kk-KZ,ru;q=0.8"}).text
        assert '<html lang="ru">' in fresh.get("/", headers={"Accept-Language": "de, ru;q=0.5"}).text
        assert '<html lang="en">' in fresh.get("/", headers={"Accept-Language": "fr"}).text
        assert '<html lang="en">' in fresh.get("/").text


def test_parse_accept_language() -> None:
    assert parse_accept_language("kk-KZ,ru;q=0.9,en;q=0.8") == ["kk", "ru", "en"]
    assert parse_accept_language("en;q=0.2, ru") == ["ru", "en"]
    assert parse_accept_language("ru;q=0, *") == []
    assert parse_accept_language("") == []


def test_static_files(client: TestClient) -> None:
    htmx = client.get("/static/htmx.min.js")
    assert htmx.status_code == 200 and "Zero-Clause BSD" in htmx.text[:1000]
    assert client.get("/static/archive.css").status_code == 200
    assert client.get("/static/archive.js").status_code == 200


def test_an_archivist_corrects_a_record_in_the_page(client: TestClient) -> None:
    created = upload(client, "ruling.txt", "QUICK SEARCH\n\nThe court in Oral fined Aigerim Tleuzhan.")
    doc_id = re.search(r'href="/d/([0-9a-z]+)"', created.text).group(1)
    form = client.get(f"/d/{doc_id}/edit")
    assert form.status_code == 200 and 'name="meta.decision_date"' in form.text
    token = re.search(r'name="csrf_token" value="([^"]*)"', form.text).group(1)
    fields = {"csrf_token": token, "title": "Oral court fines Aigerim Tleuzhan", "kind": "ruling",
              "language": "en", "access": "public", "meta.court": "Oral city court",
              "meta.decision_date": "4 February"}
    refused = client.post(f"/d/{doc_id}/edit", data=fields)
    assert refused.status_code == 422 and "YYYY-MM-DD" in refused.text
    fields["meta.decision_date"] = "2020-02-04"
    saved = client.post(f"/d/{doc_id}/edit", data=fields, follow_redirects=False)
    assert saved.status_code == 303
    page = client.get(f"/d/{doc_id}").text
    assert "Oral court fines Aigerim Tleuzhan" in page and "Oral city court" in page and "2020-02-04" in page


def test_the_exact_spelling_switch_finds_only_the_typed_script(client: TestClient) -> None:
    upload(client, "en.txt", "Zhanbolat Mamay spoke to reporters in Almaty about the charges.")
    upload(client, "kk.txt", KK_TEXT)
    any_spelling = client.get("/search", params={"q": "Mamay"}).text
    assert "Zhanbolat Mamay spoke" in any_spelling and "Мамайдың" in any_spelling
    exact = client.get("/search", params={"q": "Mamay", "exact": "1"}).text
    assert "Zhanbolat Mamay spoke" in exact and "Мамайдың" not in exact
    assert 'name="exact" value="1" checked' in exact


def test_marks_fall_in_their_paragraphs_and_other_languages_are_labelled() -> None:
    text = "Mamai in English.\n\nМамай по-русски, Мамая.\n\nThe end, Mamai."
    ru_start, ru_end = text.index("М"), text.index("The")
    document = Document(
        id="d1", kind=Kind.REPORT, title="t", language="en", text=text, sha256="0" * 64, size=1,
        media_type="text/plain", original_name="a.txt", ingested_at=None,  # type: ignore[arg-type]
        spans=[LanguageSpan(ru_start, ru_end, "ru")],
    )
    marks = [(m.start(), m.end()) for m in re.finditer(r"Mamai|Мама[йя]", text)]
    found = paragraphs(document, marks)
    marked = [[p.text[s:e] for s, e in p.highlights] for p in found]
    assert marked == [["Mamai"], ["Мамай", "Мамая"], ["Mamai"]]
    assert [p.marker for p in found] == [None, "ru", None]


def test_the_reading_page_marks_the_query_and_links_back_to_the_search(
    client: TestClient, three: dict[str, str]
) -> None:
    page = client.get(f"/d/{three['kk']}", params={"q": "Mamai", "language": "kk", "exact": "", "lang": "ru"})
    assert "<mark>Мамайдың</mark>" in page.text
    assert 'href="/search?q=Mamai&amp;language=kk&amp;exact="' in page.text  # not the interface language
    exact = client.get(f"/d/{three['kk']}", params={"q": "Mamai", "exact": "1"}).text
    assert "<mark>" not in exact  # the typed form alone is not in the Kazakh text
    plain = client.get(f"/d/{three['kk']}").text
    assert "<mark>" not in plain and '<a href="/" id="back-to-search">' in plain
    assert 'id="related"' in plain and f'href="/d/{three["ru"]}"' in plain


RULINGS = {
    f"ruling-{n}.txt": f"Постановление по делу об административном правонарушении № {n}\n\n"
                       f"Суд рассмотрел дело гражданина Ерлана Сейітова номер {n} и назначил штраф."
    for n in range(1, 4)
}


def test_several_files_at_once_with_the_rulings_fields(client: TestClient) -> None:
    files = [("file", (name, text.encode(), "text/plain")) for name, text in RULINGS.items()]
    fields = {"kind": "ruling", "court": "Specialised administrative court of Oral",
              "case_number": "5-123/2024", "decision_date": "2024-03-05", "articles": "488, 489"}
    answer = client.post("/upload", files=files, data=fields)  # as a browser without JavaScript posts
    assert answer.status_code == 200
    assert answer.text.count("Archived.") == 3
    for name in RULINGS:
        assert name in answer.text
    ids = re.findall(r'href="/d/([0-9a-z]+)"', answer.text)
    assert len(set(ids)) == 3
    record = client.get(f"/api/documents/{ids[0]}").json()
    assert record["kind"] == "ruling"
    assert record["metadata"]["court"] == "Specialised administrative court of Oral"
    assert record["metadata"]["case_number"] == "5-123/2024"
    assert record["metadata"]["decision_date"] == "2024-03-05"
    assert record["metadata"]["articles"] == ["488", "489"]

    again = client.post("/upload", files=[*files[:1], ("file", ("empty.txt", b"", "text/plain"))],
                        data=fields, headers={"HX-Request": "true"})
    assert again.status_code == 200 and "<html" not in again.text
    assert "Already in the archive" in again.text and "The file is empty." in again.text


def test_a_malformed_date_loses_nothing_typed(client: TestClient) -> None:
    answer = upload(client, "r.txt", EN_TEXT, decision_date="5 March", court="Oral court")
    assert answer.status_code == 422
    assert "write dates as YYYY-MM-DD" in answer.text and 'value="Oral court"' in answer.text


def test_failure_reasons_in_the_interface_language(client: TestClient) -> None:
    answer = client.post("/upload?lang=ru", files={"file": ("empty.txt", b"", "text/plain")},
                         headers={"HX-Request": "true"})
    assert answer.status_code == 422
    assert "Файл пустой." in answer.text and "(0 bytes)" not in answer.text
    kk = client.post("/upload?lang=kk", files={"file": ("photo.txt", bytes(range(256)) * 64, "text/plain")},
                     headers={"HX-Request": "true"})
    assert "Мұрағатқа сақтау мүмкін болмады." in kk.text and "екілік деректер" in kk.text


FAILING = [  # (name, bytes): a file for each of several failure codes
    ("empty.txt", b""),
    ("photo.txt", bytes(range(256)) * 64),
    ("broken.pdf", b"%PDF-1.7\n this is no PDF at all"),
    ("broken.docx", b"PK\x03\x04 not a zip"),
]


def test_the_failures_page_gives_each_reason_in_the_interface_language(client: TestClient) -> None:
    for name, data in FAILING:
        assert upload(client, name, data, htmx=True).status_code == 422
    for url in ("ftp://example.org/report", f"http://127.0.0.1:{_closed_port()}/news/1"):
        answer = client.post("/upload/link", data={"url": url}, headers={"HX-Request": "true"})
        assert answer.status_code == 422
    failures = client.get("/api/failures").json()["failures"]
    assert len({f["code"] for f in failures}) == len(failures) == 6  # each its own reason
    page = client.get("/failures", params={"lang": "ru"}).text
    reasons = re.findall(r'<p class="failure-reason"( lang="en")?>([^<]*)</p>', page)
    assert len(reasons) == 6
    for english, reason in reasons:
        assert not english and re.search("[а-яё]", reason) and not re.search("[A-Za-z]", reason), reason
    for failure in failures:  # the server's own sentence, kept as the technical detail
        assert f'lang="en">{escape(failure["error"])}</p>' in page


def test_a_long_batch_comes_in_chunks_with_its_progress(client: TestClient, three: dict[str, str]) -> None:
    names = "\n".join(["Mamai", *(f"Nobody{n} Anywhere" for n in range(40))])
    frame = client.post("/batch", data={"names": names}, headers={"HX-Request": "true"})
    assert frame.status_code == 200 and "<html" not in frame.text
    assert 'id="batch-next"' in frame.text and '{"start": 0}' in frame.text.replace("&#34;", '"')
    assert 'max="41" value="0"' in frame.text
    first = client.post("/batch/rows", data={"names": names, "start": "0"}, headers={"HX-Request": "true"})
    assert first.text.count("<tr>") == 25 and '{"start": 25}' in first.text.replace("&#34;", '"')
    assert 'hx-swap-oob="true"' in first.text and 'value="25"' in first.text
    assert f'href="/d/{three["en"]}?q=Mamai"' in first.text
    last = client.post("/batch/rows", data={"names": names, "start": "25"}, headers={"HX-Request": "true"})
    assert last.text.count("<tr>") == 16 and 'id="batch-next"' not in last.text
    assert "41 of 41 names searched" in last.text
    too_many = client.post("/batch", data={"names": "\n".join(f"n{i}" for i in range(1001))})
    assert too_many.status_code == 422 and "at most 1000" in too_many.text


def test_a_list_that_is_no_text_is_refused_in_the_interface_language(client: TestClient) -> None:
    answer = client.post("/batch?lang=kk", files={"file": ("names.csv", bytes(range(256)) * 4, "text/csv")})
    assert answer.status_code == 422 and "есімдердің мәтіндік не CSV тізіміне ұқсамайды" in answer.text
    empty = client.post("/batch?lang=ru", data={"names": "\n \n"})
    assert empty.status_code == 422 and "В списке нет имён" in empty.text


@pytest.mark.parametrize(("language", "said"), [
    ("en", "2 documents are kept but not yet searchable"),
    ("ru", "2 документа сохранены, но пока не находятся поиском"),
    ("kk", "2 құжат сақталды, бірақ әзірге іздеуде табылмайды"),
])
def test_the_search_page_says_how_many_documents_are_not_yet_searchable(
    client: TestClient, language: str, said: str
) -> None:
    ids = []
    for name, text in (("en.txt", EN_TEXT), ("ru.txt", RU_TEXT)):
        upload = client.post("/api/documents", files={"file": (name, text.encode(), "text/plain")})
        ids.append(upload.json()["id"])
    archive = client.app.state.archive
    archive.store.mark_pending(ids, "the index was down")
    page = client.get("/", params={"q": "Mamai"}, headers={"Accept-Language": language})
    assert page.status_code == 200 and said in page.text
    assert client.get("/api/search", params={"q": "Mamai"}).json()["pending"] == 2
    archive.store.mark_indexed(ids)
    assert "notice-pending" not in client.get("/", params={"q": "Mamai"}).text


def test_the_upload_page_says_how_much_of_the_quota_is_left(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path / "quota").with_overrides(user_quota_bytes=1024**2)
    with client_for(settings, "archivist") as archivist:
        before = archivist.get("/upload", params={"lang": "ru"}).text
        assert "могут добавить ещё 1 МБ (1\u202f048\u202f576 байт)" in before
        archivist.post("/api/documents", files={"file": ("a.txt", b"x" * 300_000, "text/plain")})
        after = archivist.get("/upload", params={"lang": "en"}).text
        assert 'id="quota"' in after and "(748,576 bytes)" in after  # 1,048,576 - 300,000
