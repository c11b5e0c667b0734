"""The layer contracts of pyproject.toml (import-linter) hold, and would catch the breaches they exist for."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("archive", "ingest", "search_api", "web")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=root,
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the project's packages and contracts, to break on purpose."""
    for package in PACKAGES:
        skip = shutil.ignore_patterns("__pycache__", "data")
        shutil.copytree(ROOT / package, tmp_path / package, ignore=skip)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_project_keeps_its_layer_contracts() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_copy_keeps_them_too(tree: Path) -> None:
    assert lint_imports(tree).returncode == 0


def _append(path: Path, line: str) -> None:
    path.write_text(path.read_text() + f"\n{line}\n")


def test_ingest_importing_the_store_breaks_a_contract(tree: Path) -> None:
    _append(tree / "ingest" / "prepare.py", "from archive.store import DocumentStore  # noqa")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "ingest.prepare -> archive.store" in result.stdout


def test_a_circle_between_the_api_and_the_pages_breaks_a_contract(tree: Path) -> None:
    _append(tree / "search_api" / "deps.py", "import web.render  # noqa")
    result = lint_imports(tree)
    assert result.returncode != 0
    assert "search_api.deps -> web.render" in result.stdout


def test_the_core_importing_the_application_breaks_a_contract(tree: Path) -> None:
    _append(tree / "archive" / "service.py", "import search_api.app  # noqa")
    assert lint_imports(tree).returncode != 0
