"""Runs a command against a real Elasticsearch node: `$ELASTICSEARCH_URL` if set, else a local one.

    python scripts/with_es.py python ../shared/dev-eval/score.py --archive .venv/bin/archive

The command sees ARCHIVE_BACKEND=elasticsearch and ELASTICSEARCH_URL; its exit code is returned.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scripts.es_node import running_node


def main(command: list[str]) -> int:
    if not command:
        print(__doc__, file=sys.stderr)
        return 2
    given = os.environ.get("ELASTICSEARCH_URL")
    with contextlib.nullcontext(given) if given else running_node() as url:
        env = {**os.environ, "ARCHIVE_BACKEND": "elasticsearch", "ELASTICSEARCH_URL": url}
        return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
