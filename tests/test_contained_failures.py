"""Failures stay contained: links out of an ingested folder, a full disk (a real, small tmpfs under the
blob store) on the command line and in the API, and stray bytes in a mostly-UTF-8 file."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.pipeline import IngestRequest
from archive.service import Archive
from archive.settings import load_settings
from ingest.encoding import detect
from tests.clients import client
from tests.needs import missing_part
from tests.test_cli import rows, run

SMALL = "Жанболат Мамай провёл одиночный пикет у акимата. " * 20  # about 1.5 KB
BLOB_ROOM = "256k"


def _archive(home: Path, **settings) -> Archive:
    return Archive(load_settings(home=home, backend="embedded", **settings))


# --- symbolic links ---------------------------------------------------------------------------


@pytest.fixture
def folder_with_links(tmp_path) -> Path:
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "shadow.txt").write_text("root:secretpasswordhash:19000:0:99999:7:::\n")
    folder = tmp_path / "partner"
    (folder / "inner").mkdir(parents=True)
    (folder / "report.txt").write_text("Отчёт о задержании активистов в Атырау.")
    (folder / "inner" / "note.txt").write_text("A note on the Atyrau detentions.")
    (folder / "shadow.txt").symlink_to(outside / "shadow.txt")
    (folder / "elsewhere").symlink_to(outside, target_is_directory=True)
    (folder / "same-note.txt").symlink_to(folder / "inner" / "note.txt")  # inside: followed
    return folder


def test_links_out_of_the_folder_are_not_followed(tmp_path, folder_with_links):
    archive = _archive(tmp_path / "home")
    try:
        results = {Path(r.file).name: r for r in archive.ingest_paths([folder_with_links], IngestRequest())}
        assert results["shadow.txt"].status == "failed" and results["shadow.txt"].code == "link_outside"
        assert "outside the folder" in results["shadow.txt"].error
        assert results["elsewhere"].code == "link_outside"
        assert results["report.txt"].status == "created"
        assert {results["note.txt"].status, results["same-note.txt"].status} == {"created", "duplicate"}
        assert archive.search("secretpasswordhash").total == 0
        failed = {Path(event.file).name for event in archive.store.events(status="failed")}
        assert {"shadow.txt", "elsewhere"} <= failed  # in the custody log with the reason
    finally:
        archive.close()


def test_a_setting_allows_following_links(tmp_path, folder_with_links):
    archive = _archive(tmp_path / "home", follow_links=True)
    try:
        results = list(archive.ingest_paths([folder_with_links], IngestRequest()))
        statuses = {str(Path(r.file).relative_to(folder_with_links)): r.status for r in results}
        assert statuses["shadow.txt"] == "created" and statuses["elsewhere/shadow.txt"] == "duplicate"
    finally:
        archive.close()


def test_the_command_line_refuses_the_link_and_goes_on(tmp_path, folder_with_links):
    proc = run(tmp_path / "home", "ingest", str(folder_with_links), "--json")
    assert proc.returncode == 1
    by_name = {Path(row["file"]).name: row for row in rows(proc)}
    assert by_name["shadow.txt"]["status"] == "failed" and by_name["report.txt"]["status"] == "created"


# --- a full disk --------------------------------------------------------------------------------


@pytest.fixture
def small_blob_disk(tmp_path) -> Iterator[Path]:
    """An archive home whose blob store is a tmpfs of 256 KB: a real ENOSPC at the write."""
    home = tmp_path / "home"
    blobs = home / "blobs"
    blobs.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={BLOB_ROOM}", "tmpfs", str(blobs)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(missing_part(f"permission to mount a tmpfs (root): {mounted.stderr.decode().strip()}"))
    try:
        yield home
    finally:
        subprocess.run(["umount", str(blobs)], check=True)


def _big(path: Path) -> Path:
    path.write_bytes(os.urandom(200 * 1024).hex().encode())  # 400 KB: more than the disk holds
    return path


def _no_partial_blob(home: Path) -> None:
    blobs = home / "blobs"
    assert list((blobs / "tmp").iterdir()) == []
    assert all(p.stat().st_size < 100 * 1024 for p in blobs.rglob("*") if p.is_file())


def test_the_command_line_fails_the_file_that_does_not_fit_and_goes_on(tmp_path, small_blob_disk):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(SMALL + "Атырау")
    _big(folder / "b.txt")
    (folder / "c.txt").write_text(SMALL + "Өскемен")
    proc = run(small_blob_disk, "ingest", str(folder), "--json")
    assert proc.returncode == 1
    by_name = {Path(row["file"]).name: row for row in rows(proc)}
    assert by_name["a.txt"]["status"] == by_name["c.txt"]["status"] == "created"
    assert by_name["b.txt"]["status"] == "failed" and by_name["b.txt"]["code"] == "disk_full"
    assert "disk is full" in by_name["b.txt"]["error"]
    assert "Traceback" not in proc.stderr
    _no_partial_blob(small_blob_disk)
    archive = _archive(small_blob_disk)
    try:
        failures = archive.store.events(status="failed")
        assert [Path(event.file).name for event in failures] == ["b.txt"]
        assert "disk is full" in failures[0].error
        assert archive.search("Өскемен").total == 1
    finally:
        archive.close()


def test_the_api_answers_507_with_a_problem_document(tmp_path, small_blob_disk):
    settings = load_settings(home=small_blob_disk, backend="embedded")
    with client(settings) as api:
        big = _big(tmp_path / "big.txt").read_bytes()
        response = api.post("/api/documents", files={"file": ("big.txt", big, "text/plain")})
        assert response.status_code == 507
        assert response.headers["content-type"].startswith("application/problem+json")
        problem = response.json()
        assert problem["status"] == 507 and "disk is full" in problem["detail"]
        small = api.post("/api/documents", files={"file": ("small.txt", SMALL.encode(), "text/plain")})
        assert small.status_code == 201
        events = api.app.state.archive.store.events(status="failed")
        assert [event.file for event in events] == ["big.txt"]
    _no_partial_blob(small_blob_disk)


# --- stray bytes ------------------------------------------------------------------------------


def test_stray_bytes_in_mostly_ascii_text_decode_as_utf8_and_are_counted():
    data = ("id,name,city\n" * 300).encode() + b"1,Bob\xff,Almaty\n2,Ann\xfe\xfd,Oral\n"
    decoded = detect(data)
    assert decoded.encoding == "utf-8" and decoded.errors == 3
    assert "Bob\ufffd,Almaty" in decoded.text


def test_a_code_page_file_with_a_few_cyrillic_words_is_still_read_in_its_code_page():
    data = "Жанболат Мамай, Алматы\n".encode("cp1251") + b"id,name\n" * 300
    assert detect(data).encoding == "cp1251"
    assert "Жанболат" in detect(data).text
