"""A skip for a missing part of the machine is said with its reason, and fails in CI."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

INNER_TEST = """
from tests.needs import needs

@needs(False, "a part nobody has (apt-get install nothing)")
def test_needing_it():
    pass
"""


@pytest.fixture
def inner(pytester: pytest.Pytester) -> pytest.Pytester:
    pytester.makeconftest("from tests.conftest import pytest_runtest_makereport  # noqa: F401")
    pytester.makepyfile(test_inner=INNER_TEST)
    return pytester


def test_outside_ci_the_skip_is_listed_with_its_reason(inner: pytest.Pytester, monkeypatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    result = inner.runpytest("-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*SKIPPED*a part nobody has (apt-get install nothing)*"])


def test_in_ci_the_same_skip_fails(inner: pytest.Pytester, monkeypatch) -> None:
    monkeypatch.setenv("CI", "true")
    result = inner.runpytest("-rs", "-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)  # a skip at setup becomes an error there: the run fails either way
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*skipped in CI, where .ci/run installs what tests need*"])
