"""The `archive` command as outside checks drive it: JSON lines, exit codes, verify, and crashes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.corpus import DOCUMENTS, write_corpus

ARCHIVE = [sys.executable, "-m", "archive"]


def run(home: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "ARCHIVE_HOME": str(home), "ARCHIVE_BACKEND": "embedded"}
    proc = subprocess.run([*ARCHIVE, *args], env=env, capture_output=True, text=True, timeout=300)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def rows(proc: subprocess.CompletedProcess) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def test_ingest_then_search_through_the_contract(tmp_path):
    home = tmp_path / "home"
    write_corpus(tmp_path / "docs")
    proc = run(home, "ingest", str(tmp_path / "docs"), "--json", check=True)
    ingested = rows(proc)
    assert len(ingested) == len(DOCUMENTS)
    for row in ingested:
        assert {"file", "status", "id", "sha256", "language", "kind"} <= set(row)
        assert row["status"] == "created" and len(row["sha256"]) == 64
    answer = json.loads(run(home, "search", "Мамаю", "--json", check=True).stdout)
    assert answer["query"] == "Мамаю" and answer["total"] >= 3
    for hit in answer["hits"]:
        assert {"id", "sha256", "title", "kind", "language", "score", "snippet"} <= set(hit)
    again = rows(run(home, "ingest", str(tmp_path / "docs"), "--json", check=True))
    assert {row["status"] for row in again} == {"duplicate"}
    assert {r["id"] for r in again} == {r["id"] for r in ingested}


def test_a_bad_file_fails_alone_with_exit_1(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text("Court fined the activist for a single picket in Almaty.", "utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog")
    proc = run(tmp_path / "home", "ingest", str(folder), str(tmp_path / "missing.txt"), "--json")
    assert proc.returncode == 1
    by_name = {Path(r["file"]).name: r for r in rows(proc)}
    assert by_name["good.txt"]["status"] == "created"
    for name in ("empty.txt", "binary.txt", "broken.pdf", "missing.txt"):
        assert by_name[name]["status"] == "failed"
        assert by_name[name]["error"]
    assert "Traceback" not in proc.stderr


def test_verify_catches_a_flipped_byte(tmp_path):
    home = tmp_path / "home"
    write_corpus(tmp_path / "docs")
    ingested = rows(run(home, "ingest", str(tmp_path / "docs"), "--json", check=True))
    assert json.loads(run(home, "verify", "--json", check=True).stdout)["ok"]
    sha = ingested[0]["sha256"]
    blob = home / "blobs" / sha[:2] / sha
    blob.chmod(0o644)
    data = bytearray(blob.read_bytes())
    data[len(data) // 2] ^= 0x01
    blob.write_bytes(bytes(data))
    missing = ingested[1]["sha256"]
    (home / "blobs" / missing[:2] / missing).unlink()
    proc = run(home, "verify", "--json")
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    assert [e["sha256"] for e in report["altered"]] == [sha]
    assert [e["sha256"] for e in report["missing"]] == [ingested[1]["sha256"]]


def test_the_same_file_ingested_twice_at_once_makes_one_document(tmp_path):
    home = tmp_path / "home"
    path = tmp_path / "one.txt"
    path.write_text("Активиста оштрафовали за участие в мирном собрании в Шымкенте.", "utf-8")
    run(home, "verify", check=True)  # create the store before the race
    env = {**os.environ, "ARCHIVE_HOME": str(home)}
    procs = [
        subprocess.Popen(
            [*ARCHIVE, "ingest", str(path), "--json"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    statuses = sorted(json.loads(out.strip().splitlines()[-1])["status"] for out, _ in outputs)
    assert statuses == ["created", "duplicate", "duplicate"], [err for _, err in outputs]
    answer = json.loads(run(home, "search", "Шымкент", "--json", check=True).stdout)
    assert answer["total"] == 1


def test_an_interrupted_ingest_is_completed_by_a_rerun(tmp_path):
    home = tmp_path / "home"
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(400):
        (folder / f"{number:04d}.txt").write_text(
            f"Report {number}: the court in Aktobe fined activist number {number} for a peaceful rally.",
            "utf-8",
        )
    env = {**os.environ, "ARCHIVE_HOME": str(home)}
    proc = subprocess.Popen(
        [*ARCHIVE, "ingest", str(folder), "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    for seen, _line in enumerate(proc.stdout, 1):
        if seen == 250:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert json.loads(run(home, "verify", "--json", check=True).stdout)["ok"]
    rerun = rows(run(home, "ingest", str(folder), "--json", check=True))
    assert len(rerun) == 400
    assert all(r["status"] in ("created", "duplicate") for r in rerun)
    assert sum(r["status"] == "duplicate" for r in rerun) >= 250
    answer = json.loads(run(home, "search", "Aktobe", "--json", "--limit", "0").stdout)
    assert answer["total"] == 400


@pytest.mark.parametrize("query", ['"', "-", "OR", "(((", "*", "\\", "::", "AND NOT OR"])
def test_search_of_operators_alone_does_not_crash(tmp_path, query):
    proc = run(tmp_path / "home", "search", query, "--json")
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    assert answer["total"] == 0 and answer["message"]


def test_reindex_rebuilds_from_the_store(tmp_path):
    home = tmp_path / "home"
    write_corpus(tmp_path / "docs")
    run(home, "ingest", str(tmp_path / "docs"), check=True)
    before = json.loads(run(home, "search", "Tokayev", "--json", check=True).stdout)
    import shutil

    shutil.rmtree(home / "index")
    assert f"indexed {len(DOCUMENTS)} documents" in run(home, "reindex", check=True).stdout
    after = json.loads(run(home, "search", "Tokayev", "--json", check=True).stdout)
    assert [h["id"] for h in after["hits"]] == [h["id"] for h in before["hits"]]


# Root reads everything; without these two capabilities it meets file permissions like anyone.
WITHOUT_ROOTS_READ_ALL = [
    "setpriv",
    "--bounding-set",
    "-dac_override,-dac_read_search",
    "--inh-caps",
    "-dac_override,-dac_read_search",
    "--",
]


def test_unreadable_files_and_folders_fail_alone(tmp_path):
    folder = tmp_path / "files"
    (folder / "locked").mkdir(parents=True)
    (folder / "good.txt").write_text("The court in Oral fined the activist for a picket.", "utf-8")
    (folder / "secret.txt").write_text("Секретный документ о задержании активиста.", "utf-8")
    (folder / "locked" / "inside.txt").write_text("Hidden.", "utf-8")
    (folder / "secret.txt").chmod(0o000)
    (folder / "locked").chmod(0o000)
    prefix = WITHOUT_ROOTS_READ_ALL if os.geteuid() == 0 else []
    env = {**os.environ, "ARCHIVE_HOME": str(tmp_path / "home")}
    try:
        proc = subprocess.run(
            [*prefix, *ARCHIVE, "ingest", str(folder), "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        (folder / "locked").chmod(0o755)
    by_name = {Path(r["file"]).name: r for r in rows(proc)}
    assert proc.returncode == 1, proc.stderr
    assert by_name["good.txt"]["status"] == "created"
    assert by_name["secret.txt"]["status"] == "failed" and "permission" in by_name["secret.txt"]["error"]
    assert by_name["locked"]["status"] == "failed" and "permission" in by_name["locked"]["error"]


def test_accounts_on_the_command_line(tmp_path) -> None:
    home = tmp_path / "home"

    def run_cli(*args: str) -> subprocess.CompletedProcess:
        return run(home, *args)

    added = run_cli("user", "add", "Bob", "--role", "researcher")
    assert added.returncode == 0 and "researcher" in added.stdout
    token = run_cli("token", "create", "bob")
    assert token.returncode == 0
    assert token.stdout.split()[-1].startswith("arch_")  # the last word is the token
    listed = run_cli("user", "list").stdout
    assert "bob" in listed and "researcher" in listed and "active" in listed
    assert run_cli("user", "add", "bob", "--role", "admin").returncode == 1  # taken
    assert run_cli("user", "grant", "bob", "0000000000000000000000000z").returncode == 1
    assert run_cli("user", "disable", "bob").returncode == 0
    assert "disabled" in run_cli("user", "list").stdout


def test_groups_and_collections_on_the_command_line(tmp_path) -> None:
    home = tmp_path / "home"

    def run_cli(*args: str) -> subprocess.CompletedProcess:
        return run(home, *args)

    report = tmp_path / "appeal.txt"
    report.write_text("Case file: the appeal of Aigerim Tleuzhan.", encoding="utf-8")
    done = run_cli("ingest", str(report), "--access", "restricted", "--collection", " Case  17 ", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "created"
    commands = [
        ("user", "add", "dana", "--role", "researcher"),
        ("group", "add", "monitors"),
        ("group", "join", "monitors", "dana"),
        ("group", "grant", "monitors", "--collection", "Case 17"),
    ]
    for command in commands:
        proc = run_cli(*command)
        assert proc.returncode == 0, (command, proc.stderr)
    assert "monitors" in run_cli("group", "list").stdout and "dana" in run_cli("group", "list").stdout
    both = run_cli("group", "grant", "monitors", "0000000000000000000000000z", "--collection", "Case 17")
    assert both.returncode == 1 and "not both" in both.stderr
    assert run_cli("group", "join", "nobody", "dana").returncode == 1
    assert run_cli("user", "grant", "dana", "--collection", "").returncode == 1  # an empty name
    too_long = run_cli("ingest", str(report), "--collection", "x" * 201, "--json")
    assert too_long.returncode == 1 and "collection" in json.loads(too_long.stdout)["error"]


def test_metadata_and_access_given_at_ingest(tmp_path) -> None:
    home = tmp_path / "home"

    def run_cli(*args: str) -> subprocess.CompletedProcess:
        return run(home, *args)

    ruling = tmp_path / "ruling.txt"
    ruling.write_text("The court of Oral fined Aigerim Tleuzhan for a single picket.", encoding="utf-8")
    done = run_cli("ingest", str(ruling), "--kind", "ruling", "--court", "Oral city court",
                   "--case-number", "2712-20-00-3/402", "--decision-date", "2020-02-04",
                   "--access", "restricted", "--json")
    assert done.returncode == 0, done.stderr
    record = json.loads(done.stdout)
    shown = json.loads(run_cli("search", "Tleuzhan", "--json").stdout)
    assert shown["hits"][0]["id"] == record["id"]  # the command line sees everything
    bad = run_cli("ingest", str(ruling), "--decision-date", "4 February 2020", "--json")
    assert bad.returncode == 1
    failed = json.loads(bad.stdout)
    assert failed["status"] == "failed" and "YYYY-MM-DD" in failed["error"]


def test_serve_says_where_it_listens_and_hands_over_the_first_admin(tmp_path) -> None:
    from tests.browser import free_port, wait_until_serving

    port = free_port()
    env = {**os.environ, "ARCHIVE_HOME": str(tmp_path / "home"), "ARCHIVE_BACKEND": "embedded"}
    server = subprocess.Popen([*ARCHIVE, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        first = server.stdout.readline()
        address = server.stdout.readline() + server.stdout.readline()
        assert "sign in as admin with the password" in first
        assert f"http://127.0.0.1:{port}" in address
        password = first.rsplit(" ", 1)[-1].strip()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    from archive.accounts import Accounts
    from archive.store import DocumentStore

    store = DocumentStore(f"sqlite:///{tmp_path / 'home' / 'archive.sqlite3'}")
    try:
        principal, _ = Accounts(store.accounts, True).sign_in("admin", password, "127.0.0.1")
        assert principal.is_admin
    finally:
        store.close()
    again = subprocess.Popen([*ARCHIVE, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        assert "password" not in again.stdout.readline()  # only a fresh archive makes one
        wait_until_serving(f"http://127.0.0.1:{port}", again)  # not an interrupt in the middle of its start
    finally:
        again.send_signal(signal.SIGINT)
        again.wait(timeout=30)


def test_serve_heeds_ctrl_c_while_it_is_still_importing(tmp_path) -> None:
    """Started with SIGINT ignored (a script's background job), interrupted before its imports are done."""
    env = {**os.environ, "ARCHIVE_HOME": str(tmp_path / "home"), "ARCHIVE_BACKEND": "embedded"}
    server = subprocess.Popen(
        [*ARCHIVE, "serve", "--port", "0"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        _wait_until_it_catches_sigint(server.pid)  # its first line; its imports take a second or more
        importing = "Stemmer" not in Path(f"/proc/{server.pid}/maps").read_text()  # an import of the core
        server.send_signal(signal.SIGINT)
        _, errors = server.communicate(timeout=30)
    finally:
        server.kill()
    assert importing, "SIGINT was caught only once the imports were done"
    assert server.returncode == 130 and "archive: stopped" in errors


def _wait_until_it_catches_sigint(pid: int) -> None:
    """Until the process has a handler for SIGINT (the kernel's mask of caught signals says so)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status").read_text()
        caught = int(status.split("SigCgt:")[1].split()[0], 16)
        if caught & (1 << (signal.SIGINT - 1)):
            return
        time.sleep(0.005)
    raise AssertionError("the command never set a handler for SIGINT")


def test_serve_heeds_ctrl_c_in_its_start_though_started_with_it_ignored(tmp_path, monkeypatch) -> None:
    """A script's background job inherits SIGINT ignored; uvicorn's handler comes only once it runs."""
    from archive import cli

    def starting(settings, args) -> int:
        os.kill(os.getpid(), signal.SIGINT)  # the interrupt arrives in the middle of the start
        raise AssertionError("the start went on after Ctrl+C")

    monkeypatch.setattr(cli, "_serve", starting)
    monkeypatch.setenv("ARCHIVE_HOME", str(tmp_path / "home"))
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert cli.main(["serve", "--port", "0"]) == 130
    finally:
        signal.signal(signal.SIGINT, before)
