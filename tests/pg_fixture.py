"""A real PostgreSQL server for the test session: `$ARCHIVE_TEST_DATABASE_URL` if set, else one started here.

The server is Debian's `postgresql` package (binaries under /usr/lib/postgresql/*/bin, or on PATH):
`initdb` in a temporary folder, started on a free port of 127.0.0.1 with its socket in that folder, and
stopped (the folder removed) when the session ends. PostgreSQL refuses to run as root, so as root it runs
as the unprivileged user `esrunner` (the one the Elasticsearch node uses; created if missing). Every test
gets a database of its own, created from the server's template, so tests never see each other's rows.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from archive.settings import database_url

RUNNER = "esrunner"
URL_ENV = "ARCHIVE_TEST_DATABASE_URL"
START_TIMEOUT = 60.0


class ServerError(RuntimeError):
    pass


def binaries() -> Path | None:
    """The folder with initdb and pg_ctl: the newest installed PostgreSQL, else whatever PATH has."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def available() -> bool:
    return bool(os.environ.get(URL_ENV)) or binaries() is not None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_runner(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    try:
        pwd.getpwnam(RUNNER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", RUNNER],
                       check=True, capture_output=True)
    return ["runuser", "-u", RUNNER, "--", *cmd]


def _run(cmd: list[str], what: str) -> None:
    done = subprocess.run(_as_runner(cmd), capture_output=True, text=True)
    if done.returncode != 0:
        raise ServerError(f"{what} failed ({done.returncode}): {(done.stdout + done.stderr)[-2000:]}")


@contextlib.contextmanager
def running_server() -> Iterator[str]:
    """Starts a throw-away server; yields the URL of its `postgres` database as superuser `postgres`."""
    bin_dir = binaries()
    if bin_dir is None:
        raise ServerError("PostgreSQL is not installed (Debian: apt-get install postgresql)")
    run = Path(tempfile.mkdtemp(prefix="archive-pg-"))
    data = run / "data"
    if os.geteuid() == 0:
        _as_runner(["true"])  # creates the user when missing
        runner = pwd.getpwnam(RUNNER)
        os.chown(run, runner.pw_uid, runner.pw_gid)
    port = _free_port()
    try:
        _run([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
              "--locale=C.UTF-8", "--no-sync"], "initdb")
        options = (f"-p {port} -k {run} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        _run([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(run / "server.log"), "-o", options,
              "-w", "-t", str(int(START_TIMEOUT)), "start"], "pg_ctl start")
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        _wait_ready(url)
        yield url
    finally:
        with contextlib.suppress(ServerError):
            if (data / "postmaster.pid").exists():
                stop = [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]
                _run(stop, "pg_ctl stop")
        shutil.rmtree(run, ignore_errors=True)


def _wait_ready(url: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    engine = create_engine(url)
    try:
        while True:
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1"))
                return
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    finally:
        engine.dispose()


def server_url() -> contextlib.AbstractContextManager[str]:
    """The session's server: `$ARCHIVE_TEST_DATABASE_URL` when set, else a fresh one started here."""
    given = os.environ.get(URL_ENV)
    return contextlib.nullcontext(database_url(given)) if given else running_server()


@contextlib.contextmanager
def fresh_database(server: str) -> Iterator[str]:
    """A new, empty database on the server for one test; dropped afterwards."""
    name = f"test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
