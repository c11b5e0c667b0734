"""What a container yields: its members, each with its path inside it and its bytes, or the reason
it cannot be taken out. The pipeline stores every member as a document of its own."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ingest.errors import IngestError
from ingest.extract import limits
from ingest.extract.result import Extracted


@dataclass(frozen=True)
class Member:
    """A file inside a container: ``data`` when it could be read, else ``error`` (``data`` may still be
    there, as with a member whose path is unsafe: its bytes are kept, it is not made a document)."""

    path: str
    data: bytes | None = None
    error: IngestError | None = None


def unsafe_path(path: str) -> str | None:
    """Why a member's path cannot be trusted (it climbs out of the container, or is absolute)."""
    normal = posixpath.normpath(path.replace("\\", "/"))
    if path.startswith(("/", "\\")) or (len(path) > 1 and path[1] == ":"):
        return f"the member's path {path!r} is absolute"
    if normal == ".." or normal.startswith("../"):
        return f"the member's path {path!r} climbs out of the container"
    return None


class Budget:
    """The bounds of one container: members counted, expanded bytes summed, ratios checked."""

    def __init__(self, container: str) -> None:
        self.container = container
        self.members = 0
        self.expanded = 0

    def admit(self, path: str, size: int, compressed: int | None = None) -> IngestError | None:
        """None when the member may be expanded; else the reason, in words for the archivist."""
        self.members += 1
        if self.members > limits.MAX_MEMBERS:
            return IngestError(
                "too_many_members",
                f"{self.container} has more than {limits.MAX_MEMBERS:,} members: the ones after that are "
                "not expanded (they stay in the container's original)",
            )
        if size > limits.MAX_MEMBER_BYTES:
            return IngestError(
                "too_large", f"{path} would expand to {limits.human_size(size)}, over the member limit"
            )
        if compressed is not None and size > limits.MIN_RATIO_CHECK_BYTES:
            ratio = size / max(1, compressed)
            if ratio > limits.MAX_MEMBER_RATIO:
                return IngestError(
                    "zip_bomb", f"{path} is compressed {ratio:.0f} to 1: refused as a possible zip bomb"
                )
        if self.expanded + size > limits.MAX_EXPANDED_BYTES:
            return IngestError(
                "zip_bomb",
                f"{self.container} would expand to more than {limits.human_size(limits.MAX_EXPANDED_BYTES)}: "
                f"{path} and the members after it are not expanded",
            )
        self.expanded += size
        return None

    @property
    def over_count(self) -> bool:
        return self.members > limits.MAX_MEMBERS


def bounded(container: str, items: Iterable[tuple[str, bytes | None]]) -> Iterator[Member]:
    """Members from (path, bytes) pairs, within the container's bounds; past the count bound one
    refusal stands for all the rest."""
    budget = Budget(container)
    for path, data in items:
        if not data:
            yield Member(path, error=IngestError("corrupt_member", f"{path} holds no readable file"))
            continue
        if refused := budget.admit(path, len(data)):
            yield Member(path, error=refused)
            if budget.over_count:
                return
            continue
        yield Member(path, data)


def container(what: str, paths: list[str], media_type: str, members: Iterator[Member]) -> Extracted:
    """A container's own document: the list of what it holds, and its members to be stored."""
    return Extracted(
        text=listing(f"{what}: {len(paths):,} members", paths),
        title=None,
        media_type=media_type,
        metadata={"member_count": len(paths)},
        members=members,
    )


def listing(title: str, paths: list[str]) -> str:
    """The text of a container's own document: what it holds, one path a line."""
    shown = paths[: limits.MAX_MEMBERS]
    more = len(paths) - len(shown)
    tail = [f"… and {more:,} more"] if more else []
    return "\n".join([title, "", *shown, *tail])


def no_members() -> Iterator[Member]:
    return iter(())
