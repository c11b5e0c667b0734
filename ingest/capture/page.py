"""What a capture produces."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Exchange:
    """One HTTP request and its response as they went over the wire: what a WARC record keeps."""

    url: str
    method: str
    request_headers: list[tuple[str, str]]
    http_version: str  # "HTTP/1.1"
    status: int
    reason: str
    response_headers: list[tuple[str, str]]  # in the order received, names as sent
    body: bytes  # as transferred: still gzip- or deflate-coded when the server coded it
    at: datetime  # when the response's headers arrived


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
    exchanges: list[Exchange] = field(default_factory=list)  # every hop, the redirects first

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    @property
    def size(self) -> int:
        return len(self.content)
