"""Citations (text and CSL-JSON, permalink from the configured base URL) and secrets kept out of links."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from archive.citation import cite
from archive.domain import Document, Kind, Provenance
from archive.service import IngestRequest
from archive.settings import load_settings
from ingest.capture.urls import redact_text, redact_url
from tests.clients import client as client_for
from tests.http_fixture import LocalServer

PUBLIC = "https://archive.example.org"
PAGE = """<!doctype html><html lang="ru"><head><meta charset="utf-8"><title>Суд оштрафовал журналиста</title>
<meta name="author" content="Айгерим Тлеуова"><meta property="og:site_name" content="Local News">
<meta property="article:published_time" content="2020-02-04T10:00:00Z"></head><body><article>
<p>Специализированный административный суд оштрафовал журналиста за публикацию о мирном собрании.</p>
</article></body></html>""".encode()


def ruling() -> Document:
    return Document(
        id="d26cxkj3exrrdh26", kind=Kind.RULING, title="Постановление о наложении штрафа", language="ru",
        text="...", sha256="ab" * 32, size=10, media_type="text/plain", original_name="ruling.txt",
        ingested_at=datetime(2024, 3, 1, 10, 0, 5, 123, tzinfo=UTC),
        metadata={"court": "Специализированный административный суд г. Алматы",
                  "case_number": "7599-24-00-3/215", "decision_date": "2024-02-27"},
    )


def test_a_ruling_is_cited_with_court_case_and_date() -> None:
    cited = cite(ruling(), PUBLIC + "/")
    assert cited.permalink == f"{PUBLIC}/d/d26cxkj3exrrdh26"
    assert cited.text() == (
        "“Постановление о наложении штрафа”. Специализированный административный суд г. Алматы. "
        "case 7599-24-00-3/215. decided 2024-02-27. file “ruling.txt”. archived 2024-03-01T10:00:05Z. "
        f"SHA-256 {'ab' * 32}. {PUBLIC}/d/d26cxkj3exrrdh26."
    )
    csl = cited.csl()
    assert csl["type"] == "legal_case" and csl["authority"].startswith("Специализированный")
    assert csl["number"] == "7599-24-00-3/215" and csl["issued"] == {"date-parts": [[2024, 2, 27]]}
    assert csl["archive_location"] == cited.permalink and "ab" * 32 in csl["note"]


@pytest.fixture
def client(tmp_path: Path):
    settings = load_settings(home=tmp_path / "home", backend="embedded", public_url=PUBLIC)
    with client_for(settings) as test_client:
        yield test_client


def test_a_captured_article_is_cited_with_author_publisher_and_date(client: TestClient) -> None:
    with LocalServer() as server:
        url = server.route("/news/1", body=PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
        created = client.post("/api/links", json={"url": url}).json()
    answer = client.get(f"/api/documents/{created['id']}/citation", headers={"Host": "evil.example"}).json()
    assert answer["text"].startswith("Айгерим Тлеуова. “Суд оштрафовал журналиста”. Local News. "
                                     f"published 2020-02-04T10:00:00Z. {url}. archived ")
    (item,) = answer["csl"]
    assert item["type"] == "article-newspaper" and item["author"] == [{"literal": "Айгерим Тлеуова"}]
    assert item["issued"] == {"date-parts": [[2020, 2, 4]]} and item["URL"] == url
    csl = client.get(f"/api/documents/{created['id']}/citation", params={"format": "csl"})
    assert csl.headers["content-type"] == "application/vnd.citationstyles.csl+json"
    assert json.loads(csl.content)[0]["id"] == created["id"]
    page = client.get(f"/d/{created['id']}", headers={"Host": "evil.example"}).text
    assert f"{PUBLIC}/d/{created['id']}" in page and "evil.example" not in page
    bad = client.get(f"/api/documents/{created['id']}/citation", params={"format": "bibtex"})
    assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"


def test_redaction_of_urls() -> None:
    params = ("token", "sig")
    assert redact_url("https://user:s3cret@host.kz/a?b=1&Token=abc#x", params) == \
        "https://host.kz/a?b=1&Token=REDACTED#x"
    assert redact_url("http://host/a?b=1", params) == "http://host/a?b=1"
    assert redact_text("failed fetching http://u:p@h:81/x?sig=9 (404)", params) == \
        "failed fetching http://h:81/x?sig=REDACTED (404)"


def test_a_password_in_a_link_is_never_stored_or_shown(client: TestClient, tmp_path: Path) -> None:
    secret, token = "pa55word-xyz", "tok-123456"
    with LocalServer() as server:
        server.route("/private/page", body=PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
        server.redirect("/start", f"/private/page?token={token}")
        base = f"http://reporter:{secret}@127.0.0.1:{server.port}"
        created = client.post("/api/links", json={"url": f"{base}/start?token={token}"})
        failed = client.post("/api/links", json={"url": f"{base}/missing?token={token}"})
        assert server.requests[0].headers.get("authorization", "").startswith("Basic ")  # used to fetch
    assert created.status_code == 201 and failed.status_code == 422
    archive = client.app.state.archive
    document = archive.document(created.json()["id"])
    shown = [created.text, failed.text, client.get(f"/api/documents/{document.id}").text,
             client.get(f"/d/{document.id}").text, json.dumps(archive.citation(document).as_json())]
    shown += [json.dumps(e.as_json()) for e in archive.store.iter_custody()]
    for text in shown:
        assert secret not in text and token not in text and "reporter" not in text
    assert document.metadata["redirects"] and "token=REDACTED" in document.metadata["final_url"]
    home = tmp_path / "home"
    for path in home.rglob("*"):  # the database, its WAL and every blob, WARCs and WACZs opened
        if path.is_file():
            for data in expanded(path.read_bytes()):
                assert secret.encode() not in data and token.encode() not in data, path


def expanded(data: bytes) -> list[bytes]:
    """The bytes, and what a gzip stream or a zip file holds (WARCs are gzipped, a WACZ is a zip)."""
    if data.startswith(b"\x1f\x8b"):
        return [data, *expanded(gzip.decompress(data))]
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [data, *(part for name in archive.namelist() for part in expanded(archive.read(name)))]
    return [data]


def test_a_file_ingest_keeps_its_provenance_as_given(client: TestClient) -> None:
    archive = client.app.state.archive
    request = IngestRequest(provenance=Provenance("field notes", "dana", ""))
    result = archive.ingest_upload(io.BytesIO("Отчёт о пикете в Таразе.".encode()), "r.txt", request)
    assert cite(archive.document(result.id), PUBLIC).url is None
