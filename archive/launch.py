"""The `archive` command's first lines, before the rest of it is imported (a second or more).

A server started as a script's background job inherits SIGINT ignored, and `cli.cmd_serve` heeds it
again; that comes only after the imports, so here a server heeds Ctrl+C from its very first line.
"""

from __future__ import annotations

import signal
import sys


def main() -> int:
    if "serve" in sys.argv[1:]:  # its command, or a word of another's: heeding it there costs nothing
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        from archive.cli import main as run
    except KeyboardInterrupt:
        print("archive: stopped", file=sys.stderr)
        return 130
    return run()
