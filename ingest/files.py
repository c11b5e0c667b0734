"""The files of the paths an archivist names, folders walked recursively in a stable order.

A symbolic link inside a walked folder is not followed out of that folder unless the archive allows
it (`ARCHIVE_FOLLOW_LINKS=allow`): a link to `/etc/shadow` dropped into a partner's folder must not
make a private file a public document. Such a link is reported as a refusal, so it is listed among the
failures rather than silently skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Refused:
    """A path found in a folder that is not ingested, with the reason (an `IngestError` code and text)."""

    path: Path
    code: str
    reason: str


def walk(paths: Iterable[Path | Refused], follow_links: bool = False) -> Iterator[Path | Refused]:
    """Files of the given paths; missing paths and unreadable folders pass through, so that they are
    reported as failures rather than skipped. A path named directly is taken as named."""
    for path in paths:
        if isinstance(path, Refused) or not path.is_dir():
            yield path
            continue
        yield from _walk_folder(path, follow_links)


def _walk_folder(folder: Path, follow_links: bool) -> Iterator[Path | Refused]:
    unreadable: list[Path] = []
    root = folder.resolve()

    def note(error: OSError) -> None:
        unreadable.append(Path(error.filename))

    for here, folders, files in os.walk(folder, onerror=note, followlinks=follow_links):
        folders.sort()
        for name in list(folders):
            if not follow_links and (refused := _outside_link(Path(here) / name, root)):
                folders.remove(name)
                yield refused
        for name in sorted(files):
            path = Path(here) / name
            yield (None if follow_links else _outside_link(path, root)) or path
    yield from unreadable


def _outside_link(path: Path, root: Path) -> Refused | None:
    if not path.is_symlink():
        return None
    target = path.resolve()
    if target.is_relative_to(root):
        return None
    return Refused(
        path,
        "link_outside",
        f"a symbolic link to {target}, outside the folder being ingested: not followed "
        "(ARCHIVE_FOLLOW_LINKS=allow follows such links)",
    )
