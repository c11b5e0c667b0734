"""Shared fixtures: a fresh archive on each index backend, a real Elasticsearch node, a real PostgreSQL
server and a real S3-compatible server for the session, and each store suite's two databases and two
blob stores."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.service import Archive
from archive.settings import load_settings
from tests.es_fixture import PATIENT_SECONDS, PATIENT_WRITE_SECONDS, drop_test_indices
from tests.needs import MISSING_PART, in_ci, missing_part

# The server answers an upload once its document is searchable, or after ARCHIVE_INDEX_WAIT_SECONDS
# (1 s by default) if the index is slower: the document is then indexed in the background. Tests that
# search right after an upload wait for the index as long as it takes on a busy machine; the tests of
# a hung index set the wait themselves.
os.environ.setdefault("ARCHIVE_INDEX_WAIT_SECONDS", "60")
# Likewise a search is given up after ARCHIVE_INDEX_TIMEOUT_SECONDS (1.5 s by default), which a node on
# a busy shared test machine can take for a cold query: tests are patient, but for the tests of a hung
# node, which set the timeout themselves.
os.environ.setdefault("ARCHIVE_INDEX_TIMEOUT_SECONDS", str(PATIENT_SECONDS))
os.environ.setdefault("ARCHIVE_INDEX_WRITE_TIMEOUT_SECONDS", str(PATIENT_WRITE_SECONDS))

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
BACKENDS = ["embedded", "elasticsearch"]
DATABASES = ["sqlite", "postgresql"]
BLOB_STORES = ["directory", "s3"]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """In CI a test skipped for a missing part of the machine fails: `.ci/run` should have installed it."""
    report = yield
    if report.skipped and in_ci() and MISSING_PART in str(report.longrepr):
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where .ci/run installs what tests need: {report.longrepr}"
    return report


@pytest.fixture(scope="session")
def es_url() -> Iterator[str]:
    """A real node: ELASTICSEARCH_URL when set, else one started from the cached distribution."""
    from tests.es_fixture import session_node_url

    yield from session_node_url()


@pytest.fixture(scope="session")
def es_cluster_url() -> Iterator[str]:
    """A local cluster of two nodes: ELASTICSEARCH_CLUSTER_URL when set, else one started here."""
    from tests.es_fixture import session_cluster_url

    yield from session_cluster_url()


def make_settings(tmp_path: Path, backend: str, request: pytest.FixtureRequest):
    overrides: dict = {"home": tmp_path / "home", "backend": backend}
    if backend == "elasticsearch":
        overrides["elasticsearch_url"] = request.getfixturevalue("es_url")
        overrides["elasticsearch_index"] = f"test-{uuid.uuid4().hex[:12]}"
    return load_settings(**overrides)


@pytest.fixture(params=BACKENDS)
def backend_name(request: pytest.FixtureRequest) -> str:
    if request.param == "elasticsearch":
        request.applymarker(pytest.mark.elasticsearch)
    return request.param


@pytest.fixture
def settings(tmp_path: Path, backend_name: str, request: pytest.FixtureRequest):
    return make_settings(tmp_path, backend_name, request)


@pytest.fixture
def archive(settings) -> Iterator[Archive]:
    opened = Archive(settings)
    try:
        yield opened
    finally:
        if settings.backend == "elasticsearch":
            drop_test_indices(settings)
        opened.close()


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A real PostgreSQL server: `$ARCHIVE_TEST_DATABASE_URL` when set, else one started for the session."""
    from tests import pg_fixture

    if not pg_fixture.available():
        pytest.skip(missing_part("PostgreSQL (Debian: apt-get install postgresql)"))
    try:
        server = pg_fixture.server_url()
        url = server.__enter__()
    except pg_fixture.ServerError as error:
        pytest.fail(f"could not start a local PostgreSQL server: {error}", pytrace=False)
    try:
        yield url
    finally:
        server.__exit__(None, None, None)


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The store of record's URL: a SQLite file in a folder yet to be made, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'nested' / 'folder' / 'archive.sqlite3'}"
        return
    from tests.pg_fixture import fresh_database

    with fresh_database(request.getfixturevalue("pg_server")) as url:
        yield url


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (s3proxy on its file-system backend) for the session."""
    from tests import s3_fixture

    if not s3_fixture.available():
        pytest.skip(missing_part("Maven and Java 17 to run s3proxy (Debian: apt-get install maven)"))
    try:
        server = s3_fixture.running_server()
        started = server.__enter__()
    except s3_fixture.ServerError as error:
        pytest.fail(f"could not start s3proxy: {error}", pytrace=False)
    try:
        yield started
    finally:
        server.__exit__(None, None, None)


@pytest.fixture(params=BLOB_STORES)
def blob_settings(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, object]:
    """Settings (overrides of `load_settings`) that put originals in a folder, or in a fresh bucket of
    the session's S3 server."""
    if request.param == "directory":
        return {"blobs_url": str(tmp_path / "blobs")}
    return s3_settings(request.getfixturevalue("s3_server"))


def s3_settings(server, prefix: str = "originals") -> dict[str, object]:
    """Settings for a fresh bucket of `server` (tests/s3_fixture.py)."""
    return {
        "blobs_url": f"s3://{server.new_bucket()}/{prefix}", "s3_endpoint_url": server.endpoint_url,
        "s3_region": "us-east-1", "s3_access_key_id": server.access_key_id,
        "s3_secret_access_key": server.secret_access_key,
    }
