"""The JSON API of DESIGN.md, through a real application over a real archive."""

from __future__ import annotations

import hashlib
import io

import pytest

from archive.settings import load_settings
from tests.clients import client as client_for
from tests.http_fixture import LocalServer, closed_port

ARTICLE = """<!doctype html><html lang="ru"><head><meta charset="utf-8">
<title>Суд оштрафовал журналиста</title><meta property="og:site_name" content="Local News">
<meta property="article:published_time" content="2020-02-04T10:00:00Z"></head>
<body><nav>Главная | Политика | Общество</nav><article><h1>Суд оштрафовал журналиста</h1>
<p>Специализированный административный суд оштрафовал журналиста Ерлана Сейітова за публикацию
в социальных сетях о мирном собрании. Сейітов намерен обжаловать постановление суда.</p>
<p>Правозащитники считают преследование Сейітова давлением на свободу слова в Казахстане.</p>
</article><footer>© Local News. Все права защищены.</footer></body></html>"""


@pytest.fixture
def client(settings):
    with client_for(settings) as test_client:
        yield test_client


def upload(client, name: str, data: bytes, **form):
    return client.post("/api/documents", files={"file": (name, io.BytesIO(data))}, data=form)


def test_upload_read_download_search(client):
    data = "Активистку Айгүл Сейітову оштрафовали за одиночный пикет в Шымкенте.".encode()
    created = upload(client, "picket.txt", data, kind="report", source="monitoring group")
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["status"] == "created" and body["sha256"] == hashlib.sha256(data).hexdigest()
    assert upload(client, "again.txt", data).status_code == 200

    record = client.get(f"/api/documents/{body['id']}").json()
    assert record["provenance"]["source"] == "monitoring group"
    assert record["language"] == "ru" and record["permalink"] == f"/d/{body['id']}"

    original = client.get(f"/api/documents/{body['id']}/original")
    assert original.status_code == 200 and original.content == data
    assert original.headers["x-content-sha256"] == body["sha256"]

    answer = client.get("/api/search", params={"q": "Seitova", "limit": 5}).json()
    assert [h["id"] for h in answer["hits"]] == [body["id"]]
    assert answer["hits"][0]["matched"]
    hit = answer["hits"][0]
    assert [hit["snippet_text"][start:end] for start, end in hit["highlights"]] == ["Сейітову"]
    assert "<mark>Сейітову</mark>" in hit["snippet"]


def test_a_bad_upload_is_a_clear_422(client):
    response = upload(client, "photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(2000))
    assert response.status_code == 422
    assert response.json()["status"] == "failed" and response.json()["error"]


def test_an_oversized_upload_is_refused_before_it_is_read(client):
    response = client.post(
        "/api/documents",
        content=b"x",
        headers={"content-length": str(3 * 1024**3), "content-type": "multipart/form-data; boundary=x"},
    )
    assert response.status_code == 413


def test_a_streamed_upload_without_length_is_cut_off_at_the_limit(tmp_path):
    settings = load_settings(home=tmp_path / "home", max_upload_bytes=1024**2)

    def chunks():
        yield b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n"
        for _ in range(8):  # 8 MB in 1 MB chunks, with no Content-Length
            yield b"a" * 1024**2

    with client_for(settings) as client:
        response = client.post(
            "/api/documents", content=chunks(), headers={"content-type": "multipart/form-data; boundary=x"}
        )
        assert response.status_code == 413 and "limit" in response.json()["detail"]
        assert client.get("/api/search", params={"q": "big"}).json()["total"] == 0
        assert upload(client, "small.txt", b"The court fined a blogger in Oral.").status_code == 201


def test_unknown_document_is_404(client):
    assert client.get("/api/documents/nope").status_code == 404
    assert client.get("/api/documents/nope/original").status_code == 404


def test_operator_query_is_an_empty_answer(client):
    answer = client.get("/api/search", params={"q": '((( "" -'}).json()
    assert answer["total"] == 0 and answer["message"]


def test_capture_a_link_from_a_local_server(client):
    with LocalServer() as server:
        server.route("/news/1", body=ARTICLE.encode(), headers={"Content-Type": "text/html; charset=utf-8"})
        response = client.post("/api/links", json={"url": server.url("/news/1")})
        assert response.status_code == 201, response.text
        doc_id = response.json()["id"]
        record = client.get(f"/api/documents/{doc_id}").json()
    assert record["kind"] == "media"
    assert record["metadata"]["url"].endswith("/news/1")
    assert record["metadata"]["captured_at"]
    assert "Главная" not in record["text"] and "Сейітова" in record["text"]
    original = client.get(f"/api/documents/{doc_id}/original").content
    assert original == ARTICLE.encode()


def test_a_shared_archive_refuses_links_to_its_own_network(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHIVE_CAPTURE_PRIVATE", "deny")
    settings = load_settings(home=tmp_path / "home")
    with client_for(settings) as client, LocalServer() as server:
        url = server.route("/admin", body=ARTICLE.encode(), headers={"Content-Type": "text/html"})
        response = client.post("/api/links", json={"url": url})
        assert response.status_code == 422
        assert "private" in response.json()["error"]
        assert server.requests == []


def test_the_capture_setting_is_allow_or_deny(tmp_path, monkeypatch):
    monkeypatch.setenv("ARCHIVE_CAPTURE_PRIVATE", "sometimes")
    with pytest.raises(ValueError, match="allow or deny"):
        load_settings(home=tmp_path)


def test_a_dead_link_is_a_clear_422(client):
    response = client.post("/api/links", json={"url": f"http://127.0.0.1:{closed_port()}/gone"})
    assert response.status_code == 422
    assert response.json()["error"]


def test_search_answers_503_when_elasticsearch_is_down(tmp_path):
    settings = load_settings(
        home=tmp_path, backend="elasticsearch", elasticsearch_url=f"http://127.0.0.1:{closed_port()}"
    )
    with client_for(settings) as client:
        response = client.get("/api/search", params={"q": "Mamay"})
        assert response.status_code == 503
        assert "unavailable" in response.json()["detail"]
        created = upload(client, "kept.txt", b"The court fined a blogger in Oral.")
        assert created.status_code == 201
        record = client.get(f"/api/documents/{created.json()['id']}").json()
        assert record["indexed"] is False


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "store": "ok", "blobs": "ok", "index": "ok"}


def test_readiness_names_the_part_that_does_not_answer(tmp_path):
    settings = load_settings(
        home=tmp_path, backend="elasticsearch", elasticsearch_url=f"http://127.0.0.1:{closed_port()}"
    )
    with client_for(settings) as client:
        assert client.get("/healthz").status_code == 200
        ready = client.get("/readyz")
        assert ready.status_code == 503
        body = ready.json()
        assert body["status"] == "unavailable"
        assert body["store"] == "ok" and body["blobs"] == "ok"
        assert body["index"].startswith("unavailable")


@pytest.mark.parametrize("params", [{"lang": "xx"}, {"kind": "zzz"}], ids=["language", "kind"])
def test_an_unknown_filter_is_a_422_naming_it(client, params):
    response = client.get("/api/search", params={"q": "Mamay", **params})
    assert response.status_code == 422
    assert repr(next(iter(params.values()))) in response.json()["detail"]


def test_the_query_is_normalised_once(client):
    upload(client, "oral.txt", b"The court in Oral fined Aigerim Tleuzhan for a picket.")
    spaced = client.get("/api/search", params={"q": "  Tleuzhan \t  Oral  "}).json()
    plain = client.get("/api/search", params={"q": "Tleuzhan Oral"}).json()
    assert spaced["query"] == plain["query"] == "Tleuzhan Oral"
    assert [h["id"] for h in spaced["hits"]] == [h["id"] for h in plain["hits"]]
