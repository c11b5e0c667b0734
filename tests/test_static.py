"""The pages' own scripts parse: a broken file would silently leave every page without its enhancements
(they work without JavaScript, so no page test would notice)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.needs import needs

STATIC = Path(__file__).resolve().parent.parent / "web" / "static"
NODE = shutil.which("node")


@needs(NODE is not None, "Node.js (to parse the pages' scripts)")
@pytest.mark.parametrize("script", sorted(p.name for p in STATIC.glob("*.js") if ".min." not in p.name))
def test_the_pages_scripts_parse(script: str) -> None:
    command = [NODE or "node", "--check", str(STATIC / script)]
    checked = subprocess.run(command, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
