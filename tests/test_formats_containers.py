"""Every format an archivist receives, made here with a real library of that format: each is found by a
word of its body; containers and e-mails also by a word of a member or attachment, linked to it.
Bad containers fail member by member with a clear reason, and nothing is lost."""

from __future__ import annotations

import hashlib
import io
import mailbox
import tarfile
import zipfile
from pathlib import Path

import pytest

from archive.pipeline import IngestRequest
from archive.service import Archive
from archive.settings import load_settings
from ingest.extract import limits
from tests.clients import client
from tests.fixtures.formats import (
    make_csv,
    make_doc,
    make_eml,
    make_ods,
    make_odt,
    make_pptx,
    make_rtf,
    make_xls,
    make_xlsx,
)
from tests.fixtures.outlook import make_msg, write_compound_file


@pytest.fixture
def archive(tmp_path):
    archive = Archive(load_settings(home=tmp_path / "home", backend="embedded"))
    yield archive
    archive.close()


def _ingest(archive: Archive, path: Path):
    [result] = list(archive.ingest_paths([path], IngestRequest()))
    return result


def _found(archive: Archive, word: str) -> list[str]:
    return [hit.id for hit in archive.search(word).hits]


# --- documents ------------------------------------------------------------------------------------


DOCUMENTS = {
    "minutes.odt": (make_odt, "zebrafinch"),
    "cells.ods": (make_ods, "quokka"),
    "cases.xlsx": (make_xlsx, "axolotl"),
    "cases.xls": (make_xls, "numbat"),
    "briefing.pptx": (make_pptx, "pangolin"),
    "letter.rtf": (make_rtf, "okapi"),
    "cases.csv": (make_csv, "тапир"),
}


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_document_format_is_found_by_a_word_of_its_body(archive, tmp_path, name):
    make, word = DOCUMENTS[name]
    make(tmp_path / name, f"Activists detained {word} near the akimat")
    result = _ingest(archive, tmp_path / name)
    assert result.status == "created", result.error
    assert _found(archive, word) == [result.id]


def test_spreadsheets_keep_their_sheets_and_a_russian_csv_is_russian(archive, tmp_path):
    make_xlsx(tmp_path / "cases.xlsx", "axolotl")
    document = archive.document(_ingest(archive, tmp_path / "cases.xlsx").id)
    assert document.metadata["sheets"] == ["Cases", "Second"]
    assert "Мамай Жанболат | Алматы | axolotl" in document.text
    make_csv(tmp_path / "cases.csv", "тапир")
    assert archive.document(_ingest(archive, tmp_path / "cases.csv").id).language == "ru"


# --- e-mails ---------------------------------------------------------------------------------------


def test_an_email_has_its_headers_as_metadata_and_its_attachment_as_a_document(tmp_path):
    (tmp_path / "m.eml").write_bytes(make_eml("platypus", "narwhal detentions in Oral"))
    settings = load_settings(home=tmp_path / "home", backend="embedded")
    with client(settings) as api:
        archive = api.app.state.archive
        result = _ingest(archive, tmp_path / "m.eml")
        message = archive.document(result.id)
        assert message.metadata["subject"] == "Пикет в Оскемене"
        assert message.metadata["from"].endswith("<aigerim@example.org>")
        assert message.metadata["to"] == "bureau@example.org"
        assert message.metadata["sent_date"] == "2020-02-04"
        assert _found(archive, "platypus") == [result.id]
        [attachment] = result.members
        assert attachment.status == "created" and _found(archive, "narwhal") == [attachment.id]
        family = api.get(f"/api/documents/{attachment.id}").json()["family"]
        assert family["containers"] == [
            {"id": result.id, "title": "Пикет в Оскемене", "path": "note.txt", "permalink": f"/d/{result.id}"}
        ]
        assert api.get(f"/api/documents/{result.id}").json()["family"]["members"][0]["id"] == attachment.id
        page = api.get(f"/d/{attachment.id}").text
        assert f'href="/d/{result.id}"' in page and "Пикет в Оскемене" in page


def test_a_mailbox_gives_each_message_and_attachment_a_document(archive, tmp_path):
    box = mailbox.mbox(tmp_path / "inbox.mbox")
    box.add(make_eml("wombat"))
    box.add(make_eml("dingo", "kookaburra report", "report.txt"))
    box.close()
    result = _ingest(archive, tmp_path / "inbox.mbox")
    assert result.status == "created" and len(result.members) == 2
    assert _found(archive, "wombat") == [result.members[0].id]
    [attachment] = result.members[1].members
    assert _found(archive, "kookaburra") == [attachment.id]


def test_a_malformed_email_fails_with_the_reason_and_its_original_is_kept(archive, tmp_path):
    (tmp_path / "broken.eml").write_bytes(b"\x00\x01 this is not a message\n\nat all")
    result = _ingest(archive, tmp_path / "broken.eml")
    assert result.status == "failed" and result.sha256
    assert archive.blobs.exists(result.sha256)


def test_an_outlook_message_has_its_headers_as_metadata_and_its_attachment_as_a_document(archive, tmp_path):
    make_msg(tmp_path / "m.msg", "platypus", "narwhal detentions in Oral")
    result = _ingest(archive, tmp_path / "m.msg")
    assert result.status == "created", result.error
    message = archive.document(result.id)
    assert message.media_type == "application/vnd.ms-outlook" and message.title == "Пикет в Оскемене"
    assert message.metadata["subject"] == "Пикет в Оскемене"
    assert message.metadata["from"] == "Айгерим <aigerim@example.org>"
    assert message.metadata["to"] == "Бюро <bureau@example.org>"
    assert message.metadata["date"] == "Tue, 04 Feb 2020 04:00:00 +0000"  # Outlook keeps the time in UTC
    assert message.metadata["sent_date"] == "2020-02-04"
    assert _found(archive, "platypus") == [result.id]
    [attachment] = result.members
    assert attachment.status == "created" and _found(archive, "narwhal") == [attachment.id]
    assert archive.blobs.exists(attachment.sha256)
    [hit] = archive.search("narwhal").hits
    assert hit.found_in == {"id": result.id, "title": "Пикет в Оскемене", "path": "note.txt"}


def _truncated_msg(path: Path) -> None:
    make_msg(path, "platypus", "narwhal detentions in Oral")
    path.write_bytes(path.read_bytes()[:2048])  # the header, the FAT and part of the directory


MALFORMED_MSG = {
    "not a message": lambda path: write_compound_file(path, {"Contents": b"a compound file of another kind"}),
    "truncated": _truncated_msg,
}


@pytest.mark.parametrize("kind", sorted(MALFORMED_MSG))
def test_a_malformed_outlook_message_fails_with_the_reason_and_nothing_is_lost(archive, tmp_path, kind):
    folder = tmp_path / "inbox"
    folder.mkdir()
    MALFORMED_MSG[kind](folder / "broken.msg")
    make_msg(folder / "good.msg", "platypus")
    results = {Path(r.file).name: r for r in archive.ingest_paths([folder], IngestRequest())}
    broken = results["broken.msg"]
    assert broken.status == "failed" and broken.code == "corrupt_msg"
    assert "not a readable Outlook message" in broken.error
    assert broken.sha256 == hashlib.sha256((folder / "broken.msg").read_bytes()).hexdigest()
    assert archive.blobs.exists(broken.sha256)  # the original is kept as evidence all the same
    [event] = archive.store.events(status="failed")
    assert (event.sha256, event.error) == (broken.sha256, broken.error)
    assert results["good.msg"].status == "created" and _found(archive, "platypus") == [results["good.msg"].id]


# --- archives --------------------------------------------------------------------------------------


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_zip_and_tar_members_are_documents_linked_to_their_container(archive, tmp_path):
    inner = io.BytesIO()
    make_xlsx(tmp_path / "inner.xlsx", "capybara")
    result = _ingest(archive, _zip(tmp_path / "scans.zip", {
        "reports/2020/march.txt": b"Detentions in Atyrau, marmoset words",
        "cases.xlsx": (tmp_path / "inner.xlsx").read_bytes(),
        "mail/m.eml": make_eml("meerkat", "ocelot attachment"),
    }))  # fmt: skip
    assert result.status == "created"
    paths = {m.file.split("!/", 1)[1]: m for m in result.members}
    assert _found(archive, "marmoset") == [paths["reports/2020/march.txt"].id]
    assert _found(archive, "capybara") == [paths["cases.xlsx"].id]
    assert _found(archive, "ocelot") == [paths["mail/m.eml"].members[0].id]
    family = archive.family(archive.document(result.id))
    assert {m.path for m in family.members} == set(paths)
    with tarfile.open(tmp_path / "bundle.tar.gz", "w:gz") as bundle:
        data = b"Report on the lemur hearing in Oral"
        info = tarfile.TarInfo("docs/lemur.txt")
        info.size = len(data)
        bundle.addfile(info, io.BytesIO(data))
    tar = _ingest(archive, tmp_path / "bundle.tar.gz")
    assert tar.status == "created", tar.error
    assert tar.members[0].id in _found(archive, "lemur")  # and the listing of its container
    assert archive.family(archive.document(tar.members[0].id)).containers[0].path == "docs/lemur.txt"
    del inner


def test_a_zip_bomb_member_is_refused_and_the_rest_kept(archive, tmp_path):
    result = _ingest(archive, _zip(tmp_path / "bomb.zip", {
        "zeros.txt": b"0" * (50 * 1024 * 1024), "real.txt": b"The gecko report",
    }))  # fmt: skip
    by_path = {m.file.split("!/", 1)[1]: m for m in result.members}
    assert by_path["zeros.txt"].code == "zip_bomb" and "compressed" in by_path["zeros.txt"].error
    assert by_path["real.txt"].status == "created" and _found(archive, "gecko")
    assert archive.blobs.exists(result.sha256)  # the container, bomb and all, is kept


def test_a_deeply_nested_zip_stops_expanding_at_the_bound_and_keeps_every_level(archive, tmp_path):
    data = b"The deepest iguana"
    for level in range(6):
        data = _zip(tmp_path / f"level{level}.zip", {f"level{level}.zip" if level else "deep.txt": data})
        data = data.read_bytes()
    result = _ingest(archive, tmp_path / "level5.zip")
    results, depth = result, 0
    while results.members and results.members[0].status == "created":
        results, depth = results.members[0], depth + 1
    assert depth == limits.MAX_NESTING
    assert results.members[0].code == "too_deep" and "not expanded" in results.members[0].error
    assert _found(archive, "iguana") == []  # not expanded, but its original is kept inside its container
    assert archive.blobs.exists(results.sha256)


def test_a_zip_with_100000_members_expands_up_to_the_bound(archive, tmp_path):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as many:
        for number in range(100_000):
            many.writestr(f"f{number}.txt", b"the same small note about a tern")
    result = _ingest(archive, path)
    assert result.status == "created"
    assert len(result.members) == limits.MAX_MEMBERS + 1
    assert result.members[-1].code == "too_many_members" and "1,000" in result.members[-1].error
    assert archive.document(result.id).metadata["member_count"] == 100_000


def test_a_path_traversal_member_is_kept_as_an_original_not_a_document(archive, tmp_path):
    members = {"../../x": b"climbing bytes", "ok.txt": b"a fine heron"}
    result = _ingest(archive, _zip(tmp_path / "evil.zip", members))
    evil, ok = result.members
    assert evil.code == "unsafe_path" and "climbs out" in evil.error
    assert archive.blobs.exists(evil.sha256) and ok.status == "created"
    assert not (tmp_path.parent.parent / "x").exists()


def test_an_encrypted_member_fails_with_the_reason(archive, tmp_path):
    path = _zip(tmp_path / "secret.zip", {"open.txt": b"an open puffin"})
    raw = bytearray(path.read_bytes())
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # set the "encrypted" flag, as zip -e writes it
        at = raw.find(header)
        offset = 6 if header == b"PK\x03\x04" else 8
        raw[at + offset] |= 0x1
    path.write_bytes(bytes(raw))
    result = _ingest(archive, path)
    assert result.status == "created" and result.members[0].code == "encrypted"
    assert "password" in result.members[0].error and archive.blobs.exists(result.sha256)


def test_a_container_whose_ingest_was_killed_halfway_is_finished_on_rerun(tmp_path):
    """The command line killed (SIGKILL) while it takes members out of a zip: the next run of the same
    command takes out the rest, and the ones stored before answer as duplicates."""
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    count = 400
    bundle = _zip(tmp_path / "deposit.zip", {
        f"statements/{n:03}.txt": f"Statement {n} of the deposit, about the hearing in Taraz.".encode()
        for n in range(count)
    })  # fmt: skip
    home = tmp_path / "home"
    env = {**os.environ, "ARCHIVE_HOME": str(home), "ARCHIVE_BACKEND": "embedded"}
    command = [sys.executable, "-m", "archive", "ingest", str(bundle), "--json"]
    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def members() -> int:
        try:
            with sqlite3.connect(home / "archive.sqlite3", timeout=5) as conn:
                return conn.execute("SELECT count(*) FROM members").fetchone()[0]
        except sqlite3.OperationalError:  # not made yet
            return 0

    deadline = time.monotonic() + 240
    while members() < 20 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    first.send_signal(signal.SIGKILL)
    first.wait()
    stopped_at = members()
    assert 0 < stopped_at < count, stopped_at  # killed halfway

    rerun = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert members() == count
    archive = Archive(load_settings(home=home, backend="embedded"))
    try:
        assert archive.search("Taraz", limit=1).total >= count
    finally:
        archive.close()


def test_an_old_word_document_is_refused_with_the_reason_and_kept(archive, tmp_path):
    make_doc(tmp_path / "ruling.doc")
    result = _ingest(archive, tmp_path / "ruling.doc")
    assert result.status == "failed" and ".doc" in result.error and "DOCX" in result.error
    assert archive.blobs.exists(result.sha256)  # the original is kept as evidence all the same


def test_a_hit_in_an_attachment_names_its_message_to_those_who_may_see_it(archive, tmp_path):
    from archive.accounts import Principal, Role
    from archive.edits import DocumentChanges

    (tmp_path / "m.eml").write_bytes(make_eml("dingo", "kookaburra report", "report.txt"))
    result = _ingest(archive, tmp_path / "m.eml")
    [attachment] = result.members
    [hit] = archive.search("kookaburra").hits
    assert hit.id == attachment.id
    assert hit.found_in == {"id": result.id, "title": "Пикет в Оскемене", "path": "report.txt"}
    reader = Principal("dana", Role.RESEARCHER, 1)
    archive.edit(result.id, DocumentChanges(access="restricted"))
    [seen] = archive.search("kookaburra", viewer=reader).hits
    assert seen.id == attachment.id and seen.found_in is None  # the message stays unseen
