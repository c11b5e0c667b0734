"""Signing in, sessions, tokens, forms from other sites, response headers and archivists' edits, as an
attacker and as an archivist would try them."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from archive.accounts import MAX_FAILURES_PER_ACCOUNT
from archive.service import IngestRequest
from archive.settings import load_settings
from search_api.auth import SESSION_COOKIE
from web.app import create_app

NAME, PASSWORD = "alice", "a long enough password"


@pytest.fixture
def client(tmp_path) -> Iterator[TestClient]:
    app = create_app(load_settings(home=tmp_path / "home"))
    app.state.archive.accounts.add_user(NAME, "archivist", PASSWORD)
    with TestClient(app, base_url="http://archive.test") as test_client:
        yield test_client


def sign_in(client: TestClient, password: str = PASSWORD):
    return client.post("/login", data={"name": NAME, "password": password, "next": "/upload"},
                       follow_redirects=False)


def form_token(client: TestClient) -> str:
    page = client.get("/upload").text
    marker = 'name="csrf_token" value="'
    start = page.index(marker) + len(marker)
    return page[start:page.index('"', start)]


def test_signing_in_sets_a_hardened_session_cookie_and_returns_where_asked(client: TestClient) -> None:
    answer = sign_in(client)
    assert answer.status_code == 303 and answer.headers["location"] == "/upload"
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/upload").status_code == 200


def session_of(answer) -> str:
    return answer.headers["set-cookie"].split(";", 1)[0].split("=", 1)[1]


def test_a_session_id_set_before_sign_in_is_never_adopted(client: TestClient) -> None:
    client.cookies.set(SESSION_COOKIE, "chosen-by-the-attacker")
    first = session_of(sign_in(client))
    assert first != "chosen-by-the-attacker"
    client.cookies.clear()
    client.cookies.set(SESSION_COOKIE, first)
    assert session_of(sign_in(client)) != first  # a new id at every sign-in


def test_a_wrong_password_and_an_unknown_name_answer_alike(client: TestClient) -> None:
    wrong = sign_in(client, "not the password")
    unknown = client.post("/login", data={"name": "mallory", "password": "whatever it is"})
    assert wrong.status_code == unknown.status_code == 401
    for answer in (wrong, unknown):
        assert "The name or the password is wrong." in answer.text


def test_repeated_failures_slow_sign_in_down_even_with_the_right_password(client: TestClient) -> None:
    for _ in range(MAX_FAILURES_PER_ACCOUNT):
        assert sign_in(client, "guess").status_code == 401
    throttled = sign_in(client)
    assert throttled.status_code == 429
    assert int(throttled.headers["retry-after"]) > 0


def test_a_cookie_post_without_the_form_token_is_refused(client: TestClient) -> None:
    sign_in(client)
    files = {"file": ("note.txt", b"A note about a picket in Oral.")}
    assert client.post("/upload", files=files).status_code == 403
    assert client.post("/api/documents", files=files).status_code == 403
    token = form_token(client)
    accepted = client.post("/upload", files=files, data={"csrf_token": token})
    assert accepted.status_code == 201


def test_a_form_from_another_site_is_refused_even_with_the_token(client: TestClient) -> None:
    sign_in(client)
    token = form_token(client)
    evil = {"Origin": "http://evil.example"}
    link = {"url": "http://127.0.0.1:1/", "csrf_token": token}
    refused = client.post("/upload/link", data=link, headers=evil)
    assert refused.status_code == 403
    assert client.post("/logout", data={"csrf_token": token}, headers=evil).status_code == 403


def test_a_revoked_token_stops_working_at_once(client: TestClient) -> None:
    accounts = client.app.state.archive.accounts
    token_id, token = accounts.create_token(NAME)
    bearer = {"Authorization": f"Bearer {token}"}
    files = {"file": ("a.txt", b"The court in Oral fined a blogger.")}
    assert client.post("/api/documents", files=files, headers=bearer).status_code == 201
    assert accounts.revoke_token(token_id)
    assert client.post("/api/documents", files=files, headers=bearer).status_code == 401
    assert client.get("/api/search", params={"q": "Oral"}, headers=bearer).status_code == 401


def test_a_disabled_account_loses_its_session(client: TestClient) -> None:
    sign_in(client)
    client.app.state.archive.accounts.set_disabled(NAME)
    assert client.get("/upload", follow_redirects=False).status_code == 303  # to the sign-in page


PATHS = ["/", "/search?q=x", "/login", "/d/unknown", "/api/search?q=x", "/static/archive.css"]


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize("document_id", ["../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "%00", "a" * 300])
def test_odd_ids_are_unknown_documents(client: TestClient, document_id: str) -> None:
    for route in ("/api/documents/{}", "/api/documents/{}/original", "/d/{}"):
        route = route.format(document_id)
        assert client.get(route).status_code == 404


def test_an_uploaded_page_is_served_as_an_attachment_with_an_encoded_name(client: TestClient) -> None:
    archive = client.app.state.archive
    page = b"<html><body><script>alert(document.cookie)</script><p>A report from Oral.</p></body></html>"
    created = archive.ingest_upload(io.BytesIO(page), 'evil"; name=x\r\n.html', IngestRequest())
    answer = client.get(f"/api/documents/{created.id}/original")
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''")
    assert "\r" not in disposition and '"' not in disposition.split("''", 1)[1]


def test_an_archivist_corrects_and_withdraws_and_the_log_keeps_both(client: TestClient) -> None:
    archive = client.app.state.archive
    created = archive.ingest_upload(io.BytesIO(b"QUICK SEARCH\n\nThe court in Oral fined Aigerim Tleuzhan."),
                                    "ruling.txt", IngestRequest())
    _, token = archive.accounts.create_token(NAME)
    bearer = {"Authorization": f"Bearer {token}"}
    patch = {"title": "Oral court fines Aigerim Tleuzhan", "kind": "ruling",
             "metadata": {"court": "Oral city court", "case_number": "2712-20-00-3/402",
                          "decision_date": "2020-02-04", "articles": ["488"]}}
    edited = client.patch(f"/api/documents/{created.id}", json=patch, headers=bearer)
    assert edited.status_code == 200, edited.text
    record = edited.json()
    assert record["title"] == patch["title"] and record["kind"] == "ruling"
    assert record["metadata"]["decision_date"] == "2020-02-04"
    hits = client.get("/api/search", params={"q": "Tleuzhan"}).json()["hits"]
    assert hits[0]["title"] == patch["title"]  # the index followed

    url = f"/api/documents/{created.id}"
    bad = client.patch(url, json={"metadata": {"decision_date": "4 Feb"}}, headers=bearer)
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.json()["detail"]
    extra = client.patch(f"/api/documents/{created.id}", json={"court": "x"}, headers=bearer)
    assert extra.status_code == 422  # an unknown field is an error, never dropped silently

    withdrawn = client.patch(url, json={"withdraw": "scanned twice"}, headers=bearer)
    assert withdrawn.status_code == 200
    assert client.get(f"/api/documents/{created.id}").status_code == 404  # for the public
    assert client.get("/api/search", params={"q": "Tleuzhan"}).json()["total"] == 0

    entries = archive.store.custody_of(created.id)
    actions = [e.action for e in entries]
    assert actions[0] == "ingest" and "metadata" in actions and actions[-1] == "access"
    title_change = next(e for e in entries if e.action == "metadata").details["changes"]["title"]
    # page chrome never becomes a title (issue 13): the first line of words was the old one
    assert title_change == {"old": "The court in Oral fined Aigerim Tleuzhan.", "new": patch["title"]}
    assert all(e.actor == NAME for e in entries[1:])
    assert archive.verify().ok


def test_only_an_admin_purges_and_the_log_keeps_the_hash_and_reason(client: TestClient) -> None:
    archive = client.app.state.archive
    created = archive.ingest_upload(io.BytesIO(b"A testimony that a court ordered destroyed."), "t.txt",
                                    IngestRequest())
    archivist = {"Authorization": f"Bearer {archive.accounts.create_token(NAME)[1]}"}
    archive.accounts.add_user("root", "admin", "an admin password")
    admin = {"Authorization": f"Bearer {archive.accounts.create_token('root')[1]}"}
    url = f"/api/documents/{created.id}/purge"
    assert client.post(url, json={"reason": "court order"}, headers=archivist).status_code == 403
    assert client.post(url, json={"reason": "court order"}).status_code == 401
    purged = client.post(url, json={"reason": "court order 12/2025"}, headers=admin)
    assert purged.status_code == 200 and purged.json()["withdrawn"].startswith("purged")
    assert not archive.blobs.exists(created.sha256)
    gone = client.get(f"/api/documents/{created.id}/original", headers=admin)
    assert gone.status_code == 410 and "purged" in gone.json()["detail"]
    entry = archive.store.custody_of(created.id)[-1]
    assert entry.action == "delete" and entry.sha256 == created.sha256 and entry.actor == "root"
    assert entry.details["reason"] == "court order 12/2025"
    report = archive.verify()
    assert report.ok, report.as_json()  # a purge is no missing original


def test_the_custody_log_names_the_signed_in_user_whatever_the_form_says(client: TestClient) -> None:
    archive = client.app.state.archive
    bearer = {"Authorization": f"Bearer {archive.accounts.create_token(NAME)[1]}"}
    files = {"file": ("note.txt", b"A note about a picket in Oral, archived for a colleague.")}
    created = client.post("/api/documents", files=files, data={"ingested_by": "A. Colleague"}, headers=bearer)
    assert created.status_code == 201
    record = client.get(f"/api/documents/{created.json()['id']}").json()
    assert record["provenance"]["ingested_by"] == "A. Colleague"
    (entry,) = archive.store.custody_of(record["id"])
    assert entry.actor == NAME


def test_a_users_uploads_stop_at_their_quota_failed_ones_kept_included(tmp_path) -> None:
    settings = load_settings(home=tmp_path / "home").with_overrides(user_quota_bytes=3000)
    app = create_app(settings)
    accounts = app.state.archive.accounts
    accounts.add_user(NAME, "archivist", PASSWORD)
    bearer = {"Authorization": f"Bearer {accounts.create_token(NAME)[1]}"}
    with TestClient(app) as client:
        kept_failure = client.post("/api/documents", headers=bearer,
                                   files={"file": ("broken.pdf", b"%PDF-1.7 not really a PDF " * 40)})
        assert kept_failure.status_code == 422  # the original stays as evidence of the attempt: 1,040 bytes
        report, another = b"A report on Oral. " * 80, b"Another report. " * 80
        ok = client.post("/api/documents", headers=bearer, files={"file": ("a.txt", report)})
        assert ok.status_code == 201  # 1,440 bytes: 2,480 of 3,000 used
        over = client.post("/api/documents", headers=bearer, files={"file": ("b.txt", another)})
        assert over.status_code == 422 and "quota" in over.json()["error"]
        assert not client.app.state.archive.blobs.exists(hashlib.sha256(another).hexdigest())
