"""What a capture produces."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class CapturedPage:
    """One captured link.

    ``content`` is the snapshot: the response body exactly as received after HTTP content-coding (gzip,
    deflate) is undone, with nothing rewritten or inlined. Its SHA-256 is what the archive stores it under.
    """

    requested_url: str  # as submitted (surrounding whitespace removed)
    final_url: str  # the URL that answered with the captured body, after redirects
    status: int
    content: bytes
    media_type: str  # lower-case type/subtype without parameters
    headers: dict[str, str]  # lower-case names; only the ones worth keeping as evidence
    captured_at: datetime  # UTC, when the final response's headers arrived
    redirects: list[str] = field(default_factory=list)  # URLs that answered with a redirect, in order
    charset: str | None = None  # as the Content-Type header declared it; extraction weighs it

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def size(self) -> int:
        return len(self.content)
