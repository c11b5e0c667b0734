"""Evidence packages: peers' tools (bagit.py --validate, sha256sum -c, openssl ts -verify) accept them."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from archive.cli import main
from archive.custody import entry_hash
from archive.settings import load_settings
from tests.clients import client as client_for
from tests.tsa_fixture import LocalTSA

BAGIT = str(Path(sys.executable).parent / "bagit.py")
TEXT = "Решение суда по делу № 2-145/2024 об административном аресте активиста в Алматы.".encode()


@pytest.fixture(scope="module")
def tsa(tmp_path_factory: pytest.TempPathFactory):
    with LocalTSA(tmp_path_factory.mktemp("tsa")) as authority:
        yield authority


@pytest.fixture
def client(tmp_path: Path, tsa: LocalTSA):
    settings = load_settings(home=tmp_path / "home", backend="embedded", tsa_url=tsa.url,
                             tsa_ca_file=tsa.ca_file, tsa_head_seconds=0.0)
    with client_for(settings) as test_client:
        yield test_client


def upload(client: TestClient, name: str, data: bytes) -> dict:
    response = client.post("/api/documents", files={"file": (name, io.BytesIO(data))},
                           data={"ingested_by": "asel"})
    assert response.status_code in (200, 201), response.text
    return response.json()


def unzip(package: bytes, into: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        archive.extractall(into)
        (top,) = {name.split("/", 1)[0] for name in archive.namelist()}
    return into / top


def check_with_peers_tools(bag: Path) -> None:
    validated = subprocess.run([BAGIT, "--validate", str(bag)], capture_output=True, text=True)
    assert validated.returncode == 0, validated.stderr
    summed = subprocess.run(
        ["sha256sum", "-c", "manifest-sha256.txt"], cwd=bag, capture_output=True, text=True
    )
    assert summed.returncode == 0 and "FAILED" not in summed.stdout, summed.stdout


def test_the_package_over_http(client: TestClient, tsa: LocalTSA, tmp_path: Path) -> None:
    created = upload(client, "решение суда.txt", TEXT)
    upload(client, "copy.txt", TEXT)  # a duplicate: one more custody entry for the same document
    response = client.get(f"/api/documents/{created['id']}/evidence")
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    bag = unzip(response.content, tmp_path / "out")
    check_with_peers_tools(bag)

    data = bag / "data"
    (original,) = (data / "original").iterdir()
    assert original.read_bytes() == TEXT
    assert json.loads((data / "metadata.json").read_text())["sha256"] == created["sha256"]
    assert "Алматы" in (data / "text.txt").read_text("utf-8")

    custody = json.loads((data / "custody.json").read_text())
    actions = [(e["action"], e["status"]) for e in custody["entries"]]
    assert actions == [("ingest", "created"), ("timestamp", None), ("ingest", "duplicate")]
    # The custody log names the signed-in user (the client's token), whatever "ingested by" says.
    actors = [e["actor"] for e in custody["entries"] if e["action"] == "ingest"]
    assert len(set(actors)) == 1 and actors[0].startswith("archivist-")
    for entry in custody["entries"]:  # each entry's hash, recomputed from the package alone
        assert entry_hash({k: v for k, v in entry.items() if k != "hash"}) == entry["hash"]

    listing = json.loads((data / "timestamps" / "timestamps.json").read_text())
    assert {t["of"] for t in listing} == {"original", "custody_head"}
    for stamp in listing:
        checked = tsa.openssl_verify((data / "timestamps" / stamp["file"]).read_bytes(), stamp["sha256"])
        assert checked.returncode == 0, checked.stderr
    assert (data / "timestamps" / "tsa-ca.pem").exists()


def test_an_altered_original_gives_no_package_but_a_problem(client: TestClient, tmp_path: Path) -> None:
    created = upload(client, "a.txt", TEXT)
    blob = tmp_path / "home" / "blobs" / created["sha256"][:2] / created["sha256"]
    blob.chmod(0o644)
    blob.write_bytes(TEXT + b" edited")
    response = client.get(f"/api/documents/{created['id']}/evidence")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "altered" in response.json()["detail"]
    unknown = client.get("/api/documents/nosuchdocument00/evidence")
    assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"


def test_archive_export_writes_a_valid_bag(tmp_path: Path, capsys) -> None:
    home = tmp_path / "home"
    source = tmp_path / "note.txt"
    source.write_bytes(TEXT)
    assert main(["--home", str(home), "ingest", str(source), "--json"]) == 0
    document_id = json.loads(capsys.readouterr().out.splitlines()[-1])["id"]
    target = tmp_path / "package.zip"
    assert main(["--home", str(home), "export", document_id, "-o", str(target)]) == 0
    bag = unzip(target.read_bytes(), tmp_path / "out")
    check_with_peers_tools(bag)
    assert not (bag / "data" / "timestamps").exists()  # no authority configured: no tokens, still valid
    assert hashlib.sha256(next((bag / "data" / "original").iterdir()).read_bytes()).hexdigest() == \
        hashlib.sha256(TEXT).hexdigest()
    assert main(["--home", str(home), "export", "nosuchdocument00"]) == 1
    assert list((home / "tmp").glob("*")) == []  # nothing left behind
