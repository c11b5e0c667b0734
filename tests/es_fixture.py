"""A real Elasticsearch node for the test session: `$ELASTICSEARCH_URL` if set, else one started here.

In tests/conftest.py:

    @pytest.fixture(scope="session")
    def es_url() -> Iterator[str]:
        from tests.es_fixture import session_node_url

        yield from session_node_url()

The node is started at most once per test process, on first use, by scripts/es_node.py (the first run
downloads the distribution through Maven into ~/.cache/evidence-archive/elasticsearch), and stopped
when the process exits; a watchdog stops it too if the process is killed.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE_ENV = "ES_NODE_CACHE"  # optional: where the distribution is cached

# How long tests let a search take (the archive's default is 1.5 s) and a write (10 s): a busy shared
# machine can take seconds for a cold query; the tests of timeouts set their own.
PATIENT_SECONDS = 30.0
PATIENT_WRITE_SECONDS = 120.0
PATIENT = {"read_timeout": PATIENT_SECONDS, "write_timeout": PATIENT_WRITE_SECONDS}

_lock = threading.Lock()
_stack = contextlib.ExitStack()
_url: str | None = None


def es_node() -> ModuleType:
    """scripts/es_node.py, loaded as a module (scripts/ is not a package)."""
    name = "es_node"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "es_node.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def running_node(cache_dir: Path | None = None) -> contextlib.AbstractContextManager[str]:
    """A context manager yielding the URL of a fresh node, stopped and removed on exit."""
    return es_node().running_node(cache_dir)


def elasticsearch_url() -> str:
    """The URL of the session's node, starting it on first call; fails the test if none can start."""
    global _url
    if os.environ.get("ELASTICSEARCH_URL"):
        return os.environ["ELASTICSEARCH_URL"]
    with _lock:
        if _url is None:
            cache = Path(os.environ[CACHE_ENV]) if os.environ.get(CACHE_ENV) else None
            try:
                _url = _stack.enter_context(running_node(cache))
            except es_node().NodeError as err:
                pytest.fail(f"could not start a local Elasticsearch node: {err}", pytrace=False)
            atexit.register(_stack.close)
        return _url


def stop_session_node() -> None:
    """Stops the node `elasticsearch_url` started, if any (it would otherwise stop at exit)."""
    global _url
    with _lock:
        _stack.close()
        _url = None


def session_node_url() -> Iterator[str]:
    """For a session fixture (`yield from session_node_url()`): the URL, and the node stopped after."""
    url = elasticsearch_url()
    try:
        yield url
    finally:
        if not os.environ.get("ELASTICSEARCH_URL"):
            stop_session_node()


@pytest.fixture(scope="session")
def es_url() -> Iterator[str]:
    """The same as tests/conftest.py's `es_url`, for suites without that conftest."""
    yield from session_node_url()


def drop_test_indices(settings) -> None:
    """Deletes the test's indices by name (a real cluster refuses wildcard deletes)."""
    from elasticsearch import Elasticsearch

    client = Elasticsearch(settings.elasticsearch_url)
    try:
        names = list(client.indices.get(index=f"{settings.elasticsearch_index}-*", allow_no_indices=True))
        if names:
            client.indices.delete(index=",".join(names), ignore_unavailable=True)
    finally:
        client.close()


_cluster_url: str | None = None
_cluster_stack = contextlib.ExitStack()


def cluster_url() -> str:
    """The URL of a local two-node cluster for the test session (`$ELASTICSEARCH_CLUSTER_URL` if set),
    started on first call and stopped when the process exits."""
    global _cluster_url
    if os.environ.get("ELASTICSEARCH_CLUSTER_URL"):
        return os.environ["ELASTICSEARCH_CLUSTER_URL"]
    with _lock:
        if _cluster_url is None:
            cache = Path(os.environ[CACHE_ENV]) if os.environ.get(CACHE_ENV) else None
            try:
                urls = _cluster_stack.enter_context(es_node().running_cluster(cache, nodes=2))
            except es_node().NodeError as err:
                pytest.fail(f"could not start a local two-node Elasticsearch cluster: {err}", pytrace=False)
            atexit.register(_cluster_stack.close)
            _cluster_url = urls[0]
        return _cluster_url


def session_cluster_url() -> Iterator[str]:
    """For a session fixture: the cluster's URL, and the cluster stopped after."""
    global _cluster_url
    url = cluster_url()
    try:
        yield url
    finally:
        with _lock:
            _cluster_stack.close()
            _cluster_url = None
