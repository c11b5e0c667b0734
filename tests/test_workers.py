"""Every core: ingest and reindex with worker processes and one writer; several server processes on
one data directory and one embedded index."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from archive.cli import listening_socket
from archive.pipeline import IngestRequest
from archive.service import Archive
from archive.settings import load_settings
from archive.workers import AHEAD_MAX, AHEAD_PER_WORKER, AHEAD_WEIGHT, WORTH_WORKERS, Ready, Workers
from tests.browser import free_port, wait_until_serving

FILES = WORTH_WORKERS + 10  # enough that workers start
PEOPLE = ["Жанболат Мамай", "Aigerim Tleuzhan", "Марат Жыланбаев", "Асель Оспанова"]


def write_files(folder: Path) -> list[Path]:
    folder.mkdir(parents=True)
    paths = []
    for i in range(FILES):
        name = PEOPLE[i % len(PEOPLE)]
        text = (f"Report {i}. {name} was detained after a picket in Almaty on day {i}. "
                f"Суд оштрафовал участника пикета номер {i}. " * 8)
        path = folder / f"report-{i:03}.txt"
        path.write_text(text, "utf-8")
        paths.append(path)
    (folder / "empty.txt").write_bytes(b"")  # fails alone, in the workers as in the writer
    return paths


def ingested(tmp_path: Path, name: str, workers: int) -> tuple[Archive, list]:
    archive = Archive(load_settings(home=tmp_path / name))
    results = list(archive.ingest_paths([tmp_path / "docs"], IngestRequest(), workers=workers))
    return archive, results


def test_workers_ingest_what_one_process_ingests_in_the_same_order(tmp_path: Path) -> None:
    write_files(tmp_path / "docs")
    alone, one = ingested(tmp_path, "one", 1)
    pooled, many = ingested(tmp_path, "many", 2)
    try:
        def summary(results: list) -> list[tuple]:
            return [(Path(r.file).name, r.status, r.sha256, r.language, r.kind, r.title, r.code)
                    for r in results]

        assert summary(many) == summary(one)
        assert [r.status for r in many].count("created") == FILES
        # The order of guarantees held: every created document has its original and its row, in the
        # order of the files, and the index holds them all.
        rows = [e for e in pooled.store.custody_by_action("ingest") if e.status == "created"]
        assert [e.document_id for e in rows] == [r.id for r in many if r.status == "created"]
        assert pooled.pending_count() == 0 and pooled.verify().ok
        for archive in (alone, pooled):
            found = archive.search("Жыланбаев", limit=100)
            assert found.total == FILES // len(PEOPLE) + (FILES % len(PEOPLE) > 2)
        # The same analysis, whichever process made it.
        left = alone.search("Mamai", limit=100)
        right = pooled.search("Mamai", limit=100)
        assert [h.title for h in left.hits] == [h.title for h in right.hits]
        assert [h.score for h in left.hits] == [h.score for h in right.hits]
    finally:
        alone.close()
        pooled.close()


def most_ahead(weight: int, items: int) -> int:
    """The most items two workers were handed ahead of a caller that takes the results one by one."""
    with Workers(2) as pool:
        pool.start()
        submitted, ahead = [0], 0
        submit = pool._pool.submit  # type: ignore[union-attr]

        def counted(*args: object):  # type: ignore[no-untyped-def]
            submitted[0] += 1
            return submit(*args)

        pool._pool.submit = counted  # type: ignore[method-assign,union-attr]
        for taken, _ in enumerate(pool.map(abs, range(items), lambda _item: weight), start=1):
            ahead = max(ahead, submitted[0] - taken)
    return ahead


def test_workers_are_handed_out_light_work_far_ahead_and_heavy_work_a_little():
    """Far enough ahead that the workers prepare a whole write batch while the writer keeps one."""
    assert most_ahead(weight=1, items=2 * AHEAD_MAX) == AHEAD_MAX - 1
    assert most_ahead(weight=AHEAD_WEIGHT, items=4 * AHEAD_PER_WORKER) == 2 * AHEAD_PER_WORKER - 1


def test_reindex_with_workers_rebuilds_every_document(tmp_path: Path) -> None:
    write_files(tmp_path / "docs")
    archive, _ = ingested(tmp_path, "home", 1)
    try:
        before = [h.id for h in archive.search("Tleuzhan", limit=100).hits]
        assert archive.reindex(workers=2) == FILES
        assert [h.id for h in archive.search("Tleuzhan", limit=100).hits] == before
    finally:
        archive.close()


def test_what_a_worker_read_is_used_only_for_the_same_bytes(tmp_path: Path) -> None:
    path = tmp_path / "changed.txt"
    path.write_text("The court in Oral fined Aigerim Tleuzhan.", "utf-8")
    archive = Archive(load_settings(home=tmp_path / "home"))
    try:
        stale = Ready("0" * 64, error=("decode_error", "what the worker read is not what is kept"))
        result = archive.ingestor.ingest_path(path, IngestRequest(), stale)
        assert result.status == "created" and result.error is None  # the writer extracted it itself
    finally:
        archive.close()


@contextmanager
def server(home: Path, *options: str) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "ARCHIVE_HOME": str(home), "ARCHIVE_BACKEND": "embedded",
           "ARCHIVE_INDEX_WAIT_SECONDS": "60"}
    proc = subprocess.Popen([sys.executable, "-m", "archive", "serve", "--port", str(port), *options],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url, proc, 120)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_two_server_processes_share_one_archive_and_its_index(tmp_path: Path) -> None:
    home = tmp_path / "home"
    archive = Archive(load_settings(home=home))
    archive.accounts.add_user("writer", "archivist")
    _, token = archive.accounts.create_token("writer")
    archive.close()
    headers = {"Authorization": f"Bearer {token}"}
    with server(home) as first, server(home) as second:
        uploaded = []
        for n in range(6):
            base = (first, second)[n % 2]
            text = f"Picket {n} in Uralsk: Marat Zhylanbayev detained, report number {n}.".encode()
            answer = httpx.post(f"{base}/api/documents", headers=headers, timeout=60,
                                files={"file": (f"uralsk-{n}.txt", text, "text/plain")})
            assert answer.status_code == 201, answer.text
            uploaded.append(answer.json()["id"])
        for base in (first, second):
            query = {"q": "Zhylanbayev", "limit": 50}
            found = httpx.get(f"{base}/api/search", params=query, timeout=60).json()
            assert {h["id"] for h in found["hits"]} == set(uploaded), base
            assert found["pending"] == 0
    reopened = Archive(load_settings(home=home))
    try:
        assert reopened.backend.count() == len(uploaded) and reopened.verify().ok
    finally:
        reopened.close()


def test_serve_with_worker_processes_answers_on_one_kept_alive_connection(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Archive(load_settings(home=home)).close()
    with server(home, "--workers", "2") as url, httpx.Client(base_url=url, timeout=30) as http:
        answers = [http.get("/api/search", params={"q": "Zhylanbayev"}) for _ in range(6)]
        assert [answer.status_code for answer in answers] == [200] * 6
        assert all(answer.json()["total"] == 0 for answer in answers)


def test_connections_the_server_accepts_send_without_nagle_delay() -> None:
    """Nagle's algorithm held each answer after the first on a kept-alive connection back some
    40 ms (for the client's delayed acknowledgement); asyncio turns it off on TCP sockets alone."""
    listening = listening_socket("127.0.0.1", 0)

    async def accepted_nodelay() -> int:
        accepted: asyncio.Future[int] = asyncio.get_running_loop().create_future()

        def connected(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sock = writer.get_extra_info("socket")
            accepted.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        async with await asyncio.start_server(connected, sock=listening):
            _, writer = await asyncio.open_connection(*listening.getsockname())
            try:
                return await asyncio.wait_for(accepted, 10)
            finally:
                writer.close()

    assert asyncio.run(accepted_nodelay()) != 0


def test_workers_end_with_a_killed_writer(tmp_path: Path) -> None:
    write_files(tmp_path / "docs")
    env = {**os.environ, "ARCHIVE_HOME": str(tmp_path / "home"), "ARCHIVE_BACKEND": "embedded"}
    proc = subprocess.Popen([sys.executable, "-m", "archive", "ingest", str(tmp_path / "docs"), "--json",
                             "--workers", "2"], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdout is not None
    proc.stdout.readline()  # the workers are running once the first file is kept
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    assert len(children) >= 2  # the workers (and the pool's own helper, if any)
    proc.kill()
    proc.wait(30)
    deadline = time.monotonic() + 30
    while any(Path(f"/proc/{child}").exists() for child in children):
        assert time.monotonic() < deadline, f"workers {children} outlived the killed writer"
        time.sleep(0.2)
