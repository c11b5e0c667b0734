"""The API as API users expect it: a valid OpenAPI schema that describes every answer, every error an
RFC 9457 problem with the right status, HEAD wherever GET works; and the small things (the icon, the
address `archive serve` prints)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from archive.service import IngestRequest
from archive.settings import load_settings
from tests.browser import serve
from tests.clients import token_headers
from tests.http_fixture import LocalServer, closed_port
from web.app import create_app

PROBLEM = "application/problem+json"
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rally in Oral</title></head>
<body><article><h1>Rally in Oral</h1><p>Aigerim Tleuzhan was fined after the peaceful rally in Oral,
her lawyer said. The court gave no reason for the fine.</p></article></body></html>"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    application = create_app(load_settings(home=tmp_path_factory.mktemp("standard")))

    @application.get("/api/test-boom", include_in_schema=False)
    @application.get("/test-boom", include_in_schema=False)
    def boom() -> dict:
        raise RuntimeError("a bug")

    return application


@pytest.fixture(scope="module")
def client(app):
    archivist = token_headers(app, "archivist")
    with TestClient(app, headers=archivist, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def document_id(client) -> str:
    files = {"file": ("fine.txt", io.BytesIO(b"The court in Oral fined Aigerim Tleuzhan after a rally."))}
    created = client.post("/api/documents", files=files, data={"kind": "report"})
    assert created.status_code == 201, created.text
    return created.json()["id"]


def assert_problem(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys(), body
    assert body["status"] == status and body["title"] and body["detail"]
    return body


# --- the schema ----------------------------------------------------------------------------------------


def test_the_openapi_schema_is_valid_and_describes_every_route(client) -> None:
    schema = client.get("/openapi.json").json()
    validate(schema)  # OpenAPI 3.1, by openapi-spec-validator
    binary = {"/api/documents/{document_id}/original", "/api/documents/{document_id}/evidence",
              "/api/documents/{document_id}/captures/{seq}/{kind}", "/api/entities/export"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            success = next(responses[code] for code in ("200", "201") if code in responses)
            content = success.get("content")
            assert content, (method, path)
            if path not in binary:
                assert content["application/json"]["schema"], (method, path)  # a model, not "any"
            for status in ("422", "500"):
                assert PROBLEM in responses[status]["content"], (method, path, status)
    problem = schema["components"]["schemas"]["ProblemDetails"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])


def test_the_schema_names_the_fields_other_answers_carry(client) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    assert {"query", "total", "hits", "facets"} <= schemas["SearchResult"]["properties"].keys()
    assert "facets" not in schemas["SearchResult"].get("required", [])
    hit = schemas["Hit"]
    assert {"id", "sha256", "title", "kind", "language", "score", "date"} <= hit["properties"].keys()
    assert "date" not in hit["required"]
    assert {"containers", "members"} <= schemas["Family"]["properties"].keys()


def test_the_models_keep_the_answers_as_they_were(client, document_id) -> None:
    """The models describe; they add no field a route did not give and drop none."""
    answer = client.get("/api/search", params={"q": "Tleuzhan"}).json()
    assert set(answer) == {"query", "total", "hits", "facets", "pending"}
    assert {"id", "sha256", "title", "kind", "language", "score", "snippet", "date"} <= set(answer["hits"][0])
    record = client.get(f"/api/documents/{document_id}").json()
    assert {"text", "family", "permalink", "original", "metadata", "spans"} <= set(record)


def test_the_problems_of_each_route_are_documented(client) -> None:
    paths = client.get("/openapi.json").json()["paths"]

    def documented(method: str, path: str) -> set[str]:
        return set(paths[path][method]["responses"])

    assert {"401", "503"} <= documented("get", "/api/search")
    assert {"401", "403", "413", "415", "507"} <= documented("post", "/api/documents")
    assert {"401", "404"} <= documented("get", "/api/documents/{document_id}")
    assert {"404", "410"} <= documented("get", "/api/documents/{document_id}/original")
    assert {"401", "403", "404", "415"} <= documented("patch", "/api/documents/{document_id}")


# --- problems ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("params", [{"lang": "xx"}, {"kind": "zzz"}], ids=["language", "kind"])
def test_an_unknown_language_or_kind_is_a_422_problem(client, params) -> None:
    body = assert_problem(client.get("/api/search", params={"q": "Mamay", **params}), 422)
    assert repr(next(iter(params.values()))) in body["detail"]


def test_an_invalid_parameter_is_a_422_problem_listing_it(client) -> None:
    body = assert_problem(client.get("/api/search", params={"q": "x", "limit": -1}), 422)
    assert body["errors"][0]["loc"] == ["query", "limit"] and "limit" in body["detail"]


def test_an_unknown_document_and_an_unknown_path_are_404_problems(client) -> None:
    assert "nope" in assert_problem(client.get("/api/documents/nope"), 404)["detail"]
    assert_problem(client.get("/api/documents/nope/original"), 404)
    assert_problem(client.get("/api/documents/nope/evidence"), 404)
    assert_problem(client.get("/api/no-such-route"), 404)


def test_a_wrong_method_is_a_405_problem_with_allow(client) -> None:
    response = client.delete("/api/search")
    assert_problem(response, 405)
    assert response.headers["allow"] == "GET"


def test_no_credentials_or_a_bad_token_is_a_401_problem(client) -> None:
    response = client.post("/api/links", json={"url": "http://127.0.0.1/"}, headers={"Authorization": ""})
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    bad = client.get("/api/search", headers={"Authorization": "Bearer arch_nothing"})
    assert "token" in assert_problem(bad, 401)["detail"]


def test_a_role_that_may_not_is_a_403_problem(app, client) -> None:
    researcher = token_headers(app, "researcher")
    files = {"file": ("a.txt", io.BytesIO(b"text"))}
    assert_problem(client.post("/api/documents", files=files, headers=researcher), 403)
    assert_problem(client.get("/api/failures", headers=researcher), 403)


def test_an_oversized_body_is_a_413_problem(client) -> None:
    response = client.post("/api/documents", content=b"x", headers={
        "content-length": str(3 * 1024**3), "content-type": "multipart/form-data; boundary=x"})
    assert "limit" in assert_problem(response, 413)["detail"]


def test_a_body_of_the_wrong_media_type_is_a_415_problem(client, document_id) -> None:
    patched = client.patch(f"/api/documents/{document_id}", content=b'{"title": "x"}',
                           headers={"content-type": "text/plain"})
    assert "application/json" in assert_problem(patched, 415)["detail"]
    linked = client.post("/api/links", content=b"url=http://x", headers={
        "content-type": "application/x-www-form-urlencoded"})
    assert_problem(linked, 415)
    uploaded = client.post("/api/documents", json={"file": "abc"})
    assert "multipart/form-data" in assert_problem(uploaded, 415)["detail"]


def test_a_malformed_json_body_is_a_problem(client, document_id) -> None:
    response = client.patch(f"/api/documents/{document_id}", content=b"{not json",
                            headers={"content-type": "application/json"})
    assert response.status_code in (400, 422)
    assert_problem(response, response.status_code)


def test_an_unavailable_index_is_a_503_problem(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path, backend="elasticsearch",
                             elasticsearch_url=f"http://127.0.0.1:{closed_port()}")
    application = create_app(settings)
    with TestClient(application, headers=token_headers(application, "archivist")) as client:
        body = assert_problem(client.get("/api/search", params={"q": "Mamay"}), 503)
        assert "unavailable" in body["detail"]


def test_an_unexpected_error_is_a_500_problem_and_an_html_page(client) -> None:
    body = assert_problem(client.get("/api/test-boom"), 500)
    assert "a bug" not in body["detail"]  # the log has it; the answer does not show internals
    page = client.get("/test-boom", headers={"Accept-Language": "ru"})
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "a bug" not in page.text and '<html lang="ru">' in page.text


def test_the_pages_keep_their_html_error_pages(client) -> None:
    page = client.get("/d/nope")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")


# --- HEAD ----------------------------------------------------------------------------------------------


def assert_head_like_get(client: TestClient, url: str) -> httpx.Response:
    got, head = client.get(url), client.head(url)
    assert got.status_code == head.status_code == 200, (url, got.status_code, head.status_code)
    assert head.content == b""
    for name in ("content-type", "content-length", "content-disposition", "x-content-sha256",
                 "content-security-policy"):
        assert head.headers.get(name) == got.headers.get(name), (url, name)
    return head


def test_head_answers_wherever_get_does(client, document_id) -> None:
    for url in ("/healthz", "/readyz", "/api/search?q=Tleuzhan", f"/api/documents/{document_id}",
                f"/api/documents/{document_id}/original", f"/api/documents/{document_id}/captures",
                f"/api/documents/{document_id}/citation", "/", f"/d/{document_id}", "/static/archive.css",
                "/favicon.ico", "/docs", "/openapi.json"):
        assert_head_like_get(client, url)
    original = client.head(f"/api/documents/{document_id}/original")
    assert int(original.headers["content-length"]) > 0 and original.headers["repr-digest"]
    evidence = client.head(f"/api/documents/{document_id}/evidence")  # a new zip at each GET: no length test
    assert evidence.status_code == 200 and evidence.content == b""
    assert evidence.headers["content-type"] == "application/zip"
    assert_problem(client.get("/api/documents/nope"), 404)
    missing = client.head("/api/documents/nope")
    assert missing.status_code == 404 and missing.content == b""


def test_head_on_a_capture_file(app, client) -> None:
    with LocalServer() as server:
        url = server.route("/rally", body=PAGE.encode(), headers={"Content-Type": "text/html; charset=utf-8"})
        result = app.state.archive.capture(url, IngestRequest())
    assert result.status == "created", result.error
    captures = client.get(f"/api/documents/{result.id}/captures").json()["captures"]
    seq = captures[0]["seq"]
    head = assert_head_like_get(client, f"/api/documents/{result.id}/captures/{seq}/warc")
    assert head.headers["content-type"] == "application/warc"


def test_head_on_a_real_server_sends_no_body(tmp_path: Path) -> None:
    with serve(create_app(load_settings(home=tmp_path))) as base:
        response = httpx.head(f"{base}/api/search", params={"q": "Oral"})
        assert response.status_code == 200 and response.content == b""
        assert int(response.headers["content-length"]) > 0


# --- small things ----------------------------------------------------------------------------------------


def test_the_pages_have_an_icon(client) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in icon.content
    page = client.get("/").text
    linked = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert linked and client.get(linked.group(1)).content == icon.content


def test_serve_prints_the_address_it_listens_on(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "archive", "--home", str(tmp_path), "serve", "--port", "0"]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env={**os.environ})
    try:
        assert server.stdout is not None
        line = ""
        while "Serving the archive on" not in line:
            line = server.stdout.readline()
            assert line, "archive serve ended without saying where it serves"
        address = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert address and address.group(1) != "0"
        deadline = time.monotonic() + 60
        while True:
            try:
                assert httpx.get(f"{address.group(0)}/healthz").json() == {"status": "ok"}
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(30)
