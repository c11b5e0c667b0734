"""The `archive` command's first lines, before the rest of it is imported (a second or more).

A server started as a script's background job inherits SIGINT ignored, and uvicorn's own handler
comes only once it runs; so a server heeds Ctrl+C from here, its very first line, and again in
`cli.cmd_serve` for callers that enter there.
"""

from __future__ import annotations

import signal
import sys


def heed_ctrl_c() -> None:
    """Ctrl+C raises KeyboardInterrupt, though SIGINT was inherited ignored."""
    signal.signal(signal.SIGINT, signal.default_int_handler)


def main() -> int:
    try:  # from the handler on, an interrupt lands in here
        if "serve" in sys.argv[1:]:  # its command, or a word of another's: heeding it there costs nothing
            heed_ctrl_c()
        from archive.cli import main as run
    except KeyboardInterrupt:
        print("archive: stopped", file=sys.stderr)
        return 130
    return run()
