"""Shared fixtures: a fresh archive on each index backend, and a real Elasticsearch node for the session."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.service import Archive
from archive.settings import load_settings
from tests.es_fixture import PATIENT_SECONDS, PATIENT_WRITE_SECONDS, drop_test_indices
from tests.needs import MISSING_PART, in_ci

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
