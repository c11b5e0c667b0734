"""Skips for parts of the machine a test needs, said plainly; in CI (`CI` set) such a skip fails instead,
because there it means `.ci/run` missed an install step."""

from __future__ import annotations

import os

import pytest

MISSING_PART = "needs a part the machine lacks"


def missing_part(what: str) -> str:
    """The skip reason for a test that cannot run without ``what`` (say how to install it)."""
    return f"{MISSING_PART}: {what}"


def needs(present: bool, what: str) -> pytest.MarkDecorator:
    return pytest.mark.skipif(not present, reason=missing_part(what))


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")
