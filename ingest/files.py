"""The files of the paths an archivist names, folders walked recursively in a stable order."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path


def walk(paths: Iterable[Path]) -> Iterator[Path]:
    """Files of the given paths; missing paths and unreadable folders pass through, so that they are
    reported as failures rather than skipped."""
    for path in paths:
        if not path.is_dir():
            yield path
            continue
        yield from _walk_folder(path)


def _walk_folder(folder: Path) -> Iterator[Path]:
    unreadable: list[Path] = []

    def note(error: OSError) -> None:
        unreadable.append(Path(error.filename))

    for root, folders, files in os.walk(folder, onerror=note):
        folders.sort()
        for name in sorted(files):
            yield Path(root) / name
    yield from unreadable
