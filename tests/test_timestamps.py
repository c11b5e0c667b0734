"""Trusted timestamps against a local time-stamping authority (openssl ts -reply on 127.0.0.1)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from archive.domain import Provenance
from archive.service import Archive, IngestRequest
from archive.settings import load_settings
from archive.timestamps import TimestampClient, check_token, load_certificates, request_der
from tests.http_fixture import closed_port
from tests.tsa_fixture import LocalTSA


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory):
    with LocalTSA(tmp_path_factory.mktemp("tsa")) as authority:
        yield authority


def open_archive(home: Path, tsa: LocalTSA | None, **settings: object) -> Archive:
    if tsa is not None:
        settings = {"tsa_url": tsa.url, "tsa_ca_file": tsa.ca_file, "tsa_head_seconds": 0.0, **settings}
    return Archive(load_settings(home=home, backend="embedded", **settings))


def ingest_texts(archive: Archive, folder: Path, texts: list[str]) -> list:
    folder.mkdir(exist_ok=True)
    for n, text in enumerate(texts):
        (folder / f"{n}.txt").write_text(text, "utf-8")
    request = IngestRequest(provenance=Provenance("test", "dana", ""))
    return list(archive.ingest_paths(sorted(folder.iterdir()), request))


TEXTS = [
    "Суд Алматы оштрафовал журналиста за публикацию о пикете.",
    "Астана қаласының соты белсендіні әкімшілік қамаққа алды.",
]


def test_request_is_what_openssl_reads(tmp_path: Path) -> None:
    digest = hashlib.sha256(b"x").digest()
    query = tmp_path / "q.tsq"
    query.write_bytes(request_der(digest, nonce=2**62 + 5))
    import subprocess

    shown = subprocess.run(["openssl", "ts", "-query", "-in", str(query), "-text"],
                           capture_output=True, text=True, check=True).stdout
    assert "sha256" in shown and digest.hex(" ").upper().split()[0] in shown.upper()
    assert "Certificate required: yes" in shown


def test_every_new_original_and_the_head_are_stamped(tsa: LocalTSA, tmp_path: Path) -> None:
    archive = open_archive(tmp_path / "home", tsa)
    try:
        results = ingest_texts(archive, tmp_path / "in", TEXTS)
        originals = archive.store.timestamps(subject="original")
        assert sorted(s.sha256 for s in originals) == sorted(r.sha256 for r in results)
        assert {s.document_id for s in originals} == {r.id for r in results}
        heads = archive.store.timestamps(subject="custody_head")
        assert len(heads) == 1
        head_entry = archive.store.custody_entries([heads[0].custody_seq])[heads[0].custody_seq]
        assert head_entry.hash == heads[0].sha256
        for stamp in originals + heads:  # a peer's tool agrees
            checked = tsa.openssl_verify(stamp.token, stamp.sha256)
            assert checked.returncode == 0 and "Verification: OK" in checked.stdout, checked.stderr
        report = archive.verify()
        assert report.ok and report.timestamps_checked == 3 and report.timestamp_signatures
        actions = [e.action for e in archive.store.iter_custody()]
        assert actions.count("timestamp") == 3
    finally:
        archive.close()


def test_verify_reports_an_invalid_token(tsa: LocalTSA, tmp_path: Path) -> None:
    archive = open_archive(tmp_path / "home", tsa)
    try:
        ingest_texts(archive, tmp_path / "in", TEXTS[:1])
        stamp = archive.store.timestamps(subject="original")[0]
        forged = bytearray(stamp.token)
        forged[-20] ^= 0x01  # inside the signature
        with sqlite3.connect(archive.settings.home / "archive.sqlite3") as conn:
            conn.execute("DROP TRIGGER timestamps_no_update")
            conn.execute("UPDATE timestamps SET token = ? WHERE id = ?", (bytes(forged), stamp.id))
        report = archive.verify()
        assert not report.ok
        assert [(t["id"], t["subject"]) for t in report.timestamps] == [(stamp.id, "original")]
        assert "signature" in report.timestamps[0]["problem"]
        assert tsa.openssl_verify(bytes(forged), stamp.sha256).returncode != 0
    finally:
        archive.close()


def test_a_stamped_head_exposes_a_log_rewritten_from_there(tsa: LocalTSA, tmp_path: Path) -> None:
    archive = open_archive(tmp_path / "home", tsa)
    try:
        ingest_texts(archive, tmp_path / "in", TEXTS)
        head = archive.store.timestamps(subject="custody_head")[0]
        with sqlite3.connect(archive.settings.home / "archive.sqlite3") as conn:
            conn.execute("DROP TRIGGER custody_log_no_delete")
            conn.execute("DELETE FROM custody_log WHERE seq >= ?", (head.custody_seq,))
        broken = archive.verify().custody.broken
        assert broken is not None and broken.problem == "tail_deleted"
    finally:
        archive.close()


def test_without_an_authority_nothing_breaks(tmp_path: Path) -> None:
    archive = open_archive(tmp_path / "home", None)
    try:
        assert [r.status for r in ingest_texts(archive, tmp_path / "in", TEXTS)] == ["created", "created"]
        assert archive.store.timestamps() == [] and archive.verify().ok
    finally:
        archive.close()


def test_an_authority_that_is_down_leaves_originals_to_catch_up(tsa: LocalTSA, tmp_path: Path) -> None:
    home = tmp_path / "home"
    archive = open_archive(home, None, tsa_url=f"http://127.0.0.1:{closed_port()}/tsa")
    try:
        assert {r.status for r in ingest_texts(archive, tmp_path / "in", TEXTS)} == {"created"}
        assert archive.store.timestamps() == []
    finally:
        archive.close()
    archive = open_archive(home, tsa)
    try:
        assert archive.timestamp_pending() == (2, 0)
        assert len(archive.store.timestamps(subject="original")) == 2 and archive.verify().ok
    finally:
        archive.close()


def test_client_and_checker_on_their_own(tsa: LocalTSA) -> None:
    digest = hashlib.sha256("Решение суда".encode()).hexdigest()
    stamp = TimestampClient(tsa.url).stamp(digest)
    roots = load_certificates(tsa.ca_file)
    assert check_token(stamp.token, digest, roots) is None
    other = hashlib.sha256(b"other").hexdigest()
    assert check_token(stamp.token, other, roots) == "the token is for another hash"
    assert check_token(b"not a token", digest, roots).startswith("not a time-stamp response")
