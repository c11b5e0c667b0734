"""Captures as web archives against local servers: WARC (warcio check), WACZ (wacz validate), screenshot,
versions, failures kept and retried. Peers' tools judge the files."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
import time
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from archive.service import Archive, IngestRequest
from archive.settings import load_settings
from tests.clients import client as as_archivist
from tests.http_fixture import LocalServer, Route
from tests.tsa_fixture import LocalTSA

BIN = Path(sys.executable).parent
HTML = {"Content-Type": "text/html; charset=utf-8"}
PAGES = {
    "/ru-1251": ("<html><head><meta charset='windows-1251'><title>Суд оштрафовал журналиста</title></head>"
                 "<body><p>Специализированный суд Алматы оштрафовал журналиста за пикет.</p></body></html>"
                 ).encode("cp1251"),
    "/ru-utf8": "<html><head><title>Задержание</title></head><body><p>В Шымкенте задержали активиста "
                "за участие в мирном собрании.</p></body></html>".encode(),
    "/kk": "<html lang='kk'><head><title>Сот шешімі</title></head><body><p>Алматы қаласының соты "
           "белсендіні әкімшілік қамаққа алды, құқық қорғаушылар шешімге шағымданбақ.</p></body></html>"
           .encode(),
    "/en": b"<html><head><title>Court fines journalist</title></head><body><p>The court in Astana fined "
           b"a journalist for a post about a peaceful rally.</p></body></html>",
}


@pytest.fixture
def archive(tmp_path: Path):
    opened = Archive(load_settings(home=tmp_path / "home", backend="embedded", capture_timeout_seconds=3.0))
    yield opened
    opened.close()


def warcio_check(path: Path) -> None:
    checked = subprocess.run([str(BIN / "warcio"), "check", "-v", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0 and "digest pass" in checked.stdout, checked.stdout + checked.stderr


def wacz_validate(path: Path) -> None:
    checked = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0 and "succeeded" in checked.stdout, checked.stdout + checked.stderr


def blob(archive: Archive, sha256: str) -> Path:
    return archive.blobs.path_of(sha256)


def test_pages_in_three_languages_through_a_redirect(archive: Archive, tmp_path: Path) -> None:
    with LocalServer() as server:
        for path, body in PAGES.items():
            headers = {"Content-Type": "text/html; charset=windows-1251"} if "1251" in path else HTML
            server.route(path, body=gzip.compress(body), headers={**headers, "Content-Encoding": "gzip"})
            server.redirect(f"/go{path}", path)
        results = {path: archive.capture(server.url(f"/go{path}"), IngestRequest()) for path in PAGES}
    languages = {path: result.language for path, result in results.items()}
    assert languages == {"/ru-1251": "ru", "/ru-utf8": "ru", "/kk": "kk", "/en": "en"}
    assert "оштрафовал" in archive.document(results["/ru-1251"].id).text
    for result in results.values():
        files = result.capture
        assert result.status == "created" and files["warc_sha256"] and files["wacz_sha256"]
        warc = blob(archive, files["warc_sha256"])
        warcio_check(warc)
        with open(warc, "rb") as stream:
            records = [(r.rec_type, r.http_headers.get_statuscode() if r.rec_type == "response" else None)
                       for r in ArchiveIterator(stream)]
        assert records == [("warcinfo", None), ("response", "302"), ("request", None),
                           ("response", "200"), ("request", None)]
        wacz = tmp_path / f"{result.id}.wacz"
        wacz.write_bytes(blob(archive, files["wacz_sha256"]).read_bytes())
        wacz_validate(wacz)
    assert archive.verify().ok


def test_the_warc_body_is_the_document_s_original(archive: Archive) -> None:
    with LocalServer() as server:
        result = archive.capture(server.route("/en", body=PAGES["/en"], headers=HTML), IngestRequest())
    with open(blob(archive, result.capture["warc_sha256"]), "rb") as stream:
        bodies = [r.content_stream().read() for r in ArchiveIterator(stream) if r.rec_type == "response"]
    assert bodies == [PAGES["/en"]] and archive.document(result.id).sha256 == result.sha256


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="Chromium (apt-get install chromium)")
def test_a_screenshot_is_kept_beside_the_warc(archive: Archive) -> None:
    with LocalServer() as server:
        result = archive.capture(server.route("/en", body=PAGES["/en"], headers=HTML), IngestRequest())
    png = blob(archive, result.capture["screenshot_sha256"]).read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and result.capture["missing"] == []


def test_without_a_browser_the_capture_says_what_is_missing(tmp_path: Path) -> None:
    archive = Archive(load_settings(home=tmp_path / "home", browser_path="/nonexistent/chromium"))
    try:
        with LocalServer() as server:
            missing_browser = Path("/usr/bin/chromium")
            result = archive.capture(server.route("/en", body=PAGES["/en"], headers=HTML), IngestRequest())
        assert result.status == "created" and result.capture["warc_sha256"]
        if not missing_browser.exists():
            assert result.capture["missing"] and "Chromium" in result.capture["missing"][0]
    finally:
        archive.close()
    off = Archive(load_settings(home=tmp_path / "home2", screenshots=False))
    try:
        with LocalServer() as server:
            result = off.capture(server.route("/en", body=PAGES["/en"], headers=HTML), IngestRequest())
        assert result.capture["screenshot_sha256"] is None and "turned off" in result.capture["missing"][0]
    finally:
        off.close()


def test_a_page_that_changes_keeps_both_versions(archive: Archive) -> None:
    with LocalServer() as server:
        url = server.route("/news", body=PAGES["/en"], headers=HTML)
        first = archive.capture(url, IngestRequest())
        server.route("/news", body=PAGES["/en"].replace(b"fined", b"acquitted"), headers=HTML)
        second = archive.capture(url, IngestRequest())
    assert first.status == second.status == "created" and first.id != second.id
    versions = archive.captures(archive.document(second.id))
    assert [(v["document_id"], v["changed"]) for v in versions] == [(first.id, False), (second.id, True)]
    assert all(v["http_status"] == 200 and v["warc_sha256"] for v in versions)
    assert versions[1]["change"] == {"added": 1, "removed": 1, "title_changed": False, "partial": False}


def test_unchanged_content_from_a_second_url_is_a_second_capture_event(archive: Archive) -> None:
    with LocalServer() as server:
        first = archive.capture(server.route("/a", body=PAGES["/kk"], headers=HTML), IngestRequest())
        again = archive.capture(server.route("/mirror/a", body=PAGES["/kk"], headers=HTML), IngestRequest())
    assert again.status == "duplicate" and again.id == first.id
    captures = [e for e in archive.store.custody_of(first.id) if e.action == "capture"]
    assert [(e.status, e.subject) for e in captures] == [
        ("created", server.url("/a")), ("duplicate", server.url("/mirror/a"))]
    assert captures[0].sha256 != captures[1].sha256  # each capture has its own WARC


def test_a_pdf_link_is_ingested_as_the_pdf(archive: Archive) -> None:
    from tests.fixtures.make_fixtures import fpdf_pdf

    pdf = fpdf_pdf(["Решение суда о штрафе журналисту в Алматы за публикацию о мирном собрании."])
    with LocalServer() as server:
        result = archive.capture(server.route("/ruling.pdf", body=pdf, headers={
            "Content-Type": "application/pdf"}), IngestRequest())
    document = archive.document(result.id)
    assert document.media_type == "application/pdf" and document.sha256 == result.sha256
    warcio_check(blob(archive, result.capture["warc_sha256"]))


FAILURES = {
    "/404": Route(status=404, body=b"gone"),
    "/500": Route(status=500, body=b"oops"),
    "/slow": Route(body=b"late", delay=5.0),
    "/endless": Route(body=b"x" * (3 * 1024 * 1024), content_length=False),
}


def test_failures_are_records_that_can_be_retried(tmp_path: Path) -> None:
    archive = Archive(load_settings(home=tmp_path / "home", capture_timeout_seconds=2.0,
                                    capture_max_bytes=1024 * 1024))
    try:
        with LocalServer() as server:
            for path, route in FAILURES.items():
                server.route(path, route)
            started = time.monotonic()
            results = {path: archive.capture(server.url(path), IngestRequest()) for path in FAILURES}
            assert time.monotonic() - started < 15
            codes = {path: r.error for path, r in results.items()}
            assert all(r.status == "failed" for r in results.values()), codes
            assert "404" in codes["/404"] and "500" in codes["/500"]
            assert "timed out" in codes["/slow"] and "limit" in codes["/endless"]
            failures = {f.subject.rsplit("/", 1)[-1]: f for f in archive.failures()}
            assert set(failures) == {"404", "500", "slow", "endless"}
            for status in ("404", "500"):  # the error page is kept as a WARC, the failure's original
                warc = blob(archive, results[f"/{status}"].sha256)
                warcio_check(warc)
                with open(warc, "rb") as stream:
                    codes_seen = [r.http_headers.get_statuscode() for r in ArchiveIterator(stream)
                                  if r.rec_type == "response"]
                assert codes_seen == [status]
            server.route("/404", body=PAGES["/en"], headers=HTML)  # the page is back
            retried = archive.retry(failures["404"].seq, IngestRequest())
            assert retried.status == "created"
        after = {f.subject.rsplit("/", 1)[-1]: f for f in archive.failures()}
        assert after["404"].retried_by is not None and after["404"].retry_status == "created"
        entry = archive.store.custody_entries([after["404"].retried_by])[after["404"].retried_by]
        assert entry.action == "retry" and entry.details["retry_of"] == failures["404"].seq
    finally:
        archive.close()


def test_a_private_address_is_refused_when_denied(tmp_path: Path) -> None:
    archive = Archive(load_settings(home=tmp_path / "home", capture_private_addresses=False))
    try:
        with LocalServer() as server:
            result = archive.capture(server.route("/en", body=PAGES["/en"], headers=HTML), IngestRequest())
        assert result.status == "failed" and "private" in result.error.lower()
        assert [f.subject for f in archive.failures()] == [server.url("/en")]
    finally:
        archive.close()


def test_the_cli_capture_retry_and_failures(tmp_path: Path, capsys) -> None:
    from archive.cli import main

    home = str(tmp_path / "home")
    with LocalServer() as server:
        url = server.route("/later", status=503, body=b"busy")
        assert main(["--home", home, "capture", url]) == 1
        assert main(["--home", home, "failures", "--json"]) == 0
        lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
        import json

        seq = json.loads(lines[-1])["seq"]
        server.route("/later", body=PAGES["/ru-utf8"], headers=HTML)
        assert main(["--home", home, "capture", "--retry", str(seq), "--json"]) == 0
        answer = json.loads(capsys.readouterr().out.splitlines()[-1])
        assert answer["status"] == "created" and answer["capture"]["warc_sha256"]
        assert main(["--home", home, "retry"]) == 0  # nothing left to retry


def test_warc_and_original_are_timestamped(tmp_path: Path) -> None:
    with LocalTSA(tmp_path / "tsa") as tsa:
        archive = Archive(load_settings(home=tmp_path / "home", tsa_url=tsa.url, tsa_ca_file=tsa.ca_file,
                                        screenshots=False))
        try:
            with LocalServer() as server:
                url = server.route("/en", body=PAGES["/en"], headers=HTML)
                result = archive.capture(url, IngestRequest())
            stamped = {s.sha256 for s in archive.store.timestamps(subject="original")}
            assert stamped == {result.sha256, result.capture["warc_sha256"]}
            assert archive.verify().ok
        finally:
            archive.close()


def test_the_package_of_a_capture_holds_its_web_archive(tmp_path: Path) -> None:

    from tests.test_evidence_package import check_with_peers_tools, unzip

    with as_archivist(load_settings(home=tmp_path / "home", screenshots=False)) as client:
        with LocalServer() as server:
            created = client.post("/api/links", json={"url": server.route("/en", body=PAGES["/en"],
                                                                             headers=HTML)}).json()
        listed = client.get(f"/api/documents/{created['id']}/captures").json()["captures"]
        assert [c["status"] for c in listed] == ["created"]
        warc = client.get(f"/api/documents/{created['id']}/captures/{listed[0]['seq']}/warc")
        assert warc.status_code == 200 and warc.headers["content-type"] == "application/warc"
        missing = client.get(f"/api/documents/{created['id']}/captures/{listed[0]['seq']}/screenshot")
        assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
        bag = unzip(client.get(f"/api/documents/{created['id']}/evidence").content, tmp_path / "out")
    check_with_peers_tools(bag)
    names = sorted(p.name for p in (bag / "data" / "original").iterdir())
    assert names == [f"capture-{listed[0]['seq']}.wacz", f"capture-{listed[0]['seq']}.warc.gz", "en"]
    warcio_check(bag / "data" / "original" / f"capture-{listed[0]['seq']}.warc.gz")
    wacz_validate(bag / "data" / "original" / f"capture-{listed[0]['seq']}.wacz")


@pytest.mark.parametrize(("lang", "altered", "missing"), [
    ("en", "no longer matches its SHA-256", "is missing from the archive"),
    ("ru", "больше не совпадает со своим SHA-256", "отсутствует в архиве"),
    ("kk", "енді өзінің SHA-256", "мұрағатта жоқ"),
])
def test_the_permalink_page_tells_when_the_original_is_altered_or_missing(
    tmp_path: Path, lang: str, altered: str, missing: str
) -> None:


    with as_archivist(load_settings(home=tmp_path / "home", screenshots=False)) as client:
        archive = client.app.state.archive
        result = archive.ingest_upload(io.BytesIO(PAGES["/en"]), "page.html", IngestRequest())
        page = client.get(f"/d/{result.id}?lang={lang}").text
        assert 'id="original-state"' not in page
        path = archive.blobs.path_of(result.sha256)
        path.chmod(0o644)
        path.write_bytes(PAGES["/en"] + b"<!-- edited -->")
        assert altered in client.get(f"/d/{result.id}?lang={lang}").text
        path.unlink()
        assert missing in client.get(f"/d/{result.id}?lang={lang}").text


def test_verify_finds_a_deleted_screenshot_or_wacz(archive: Archive) -> None:
    with LocalServer() as server:
        result = archive.capture(server.route("/en", body=PAGES["/en"], headers=HTML), IngestRequest())
    assert archive.verify().ok
    archive.blobs.path_of(result.capture["wacz_sha256"]).unlink()
    report = archive.verify()
    assert [(e["sha256"], e["custody_seq"]) for e in report.missing] == [
        (result.capture["wacz_sha256"], result.capture["custody_seq"])]


def test_the_failures_page_lists_and_retries(tmp_path: Path) -> None:


    settings = load_settings(home=tmp_path / "home", screenshots=False)
    with as_archivist(settings) as client, LocalServer() as server:
        url = server.route("/later", status=500, body=b"down")
        assert client.post("/api/links", json={"url": url}).status_code == 422
        page = client.get("/failures?lang=kk").text
        assert "HTTP 500" in page and "Сақтауды қайталау" in page
        (seq,) = [f["seq"] for f in client.get("/api/failures").json()["failures"]]
        server.route("/later", body=PAGES["/kk"], headers=HTML)
        answer = client.post(f"/failures/{seq}/retry?lang=en")
        assert answer.status_code == 200 and "/d/" in answer.text
        assert "Retried in entry" in answer.text
        again = client.post(f"/api/failures/{seq + 100}/retry")
        assert again.status_code == 404 and again.headers["content-type"] == "application/problem+json"
    with as_archivist(settings, role=None) as anonymous:
        assert anonymous.get("/api/failures").status_code == 401
        assert anonymous.post(f"/api/failures/{seq}/retry").status_code == 401
    with as_archivist(settings, role="researcher") as researcher:
        assert researcher.get("/api/failures").status_code == 403


def test_a_purge_takes_the_capture_s_files_too(archive: Archive) -> None:
    with LocalServer() as server:
        result = archive.capture(server.route("/en", body=PAGES["/en"], headers=HTML), IngestRequest())
    files = [result.capture["warc_sha256"], result.capture["wacz_sha256"]]
    archive.purge(result.id, "a court order")
    assert not any(archive.blobs.exists(sha) for sha in [result.sha256, *files])
    purged = [e.details["purged"] for e in archive.store.custody_of(result.id) if e.action == "delete"]
    assert purged[0] == "original" and {"warc", "wacz"} <= set(purged)
    assert archive.verify().ok
    assert archive.original_state(archive.document(result.id)) == "purged"
