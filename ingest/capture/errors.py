"""The error every failed capture raises, with a stable machine-readable code."""

from __future__ import annotations

from ingest.errors import IngestError

CODES = frozenset(
    {
        "invalid_url",
        "unsupported_scheme",
        "dns",
        "connection",
        "timeout",
        "http_status",
        "too_large",
        "too_many_redirects",
        "private_address",
    }
)


class CaptureError(IngestError):
    """A link could not be captured. ``str(err)`` is the message, ``err.code`` one of ``CODES``."""

    def __init__(self, code: str, message: str, *, url: str | None = None, status: int | None = None):
        if code not in CODES:
            raise ValueError(f"unknown capture error code {code!r}")
        super().__init__(code, message)
        self.url = url
        self.status = status  # the HTTP status for "http_status", else None
        self.exchanges: list = []  # the HTTP exchanges made before the failure (for its WARC)

    def __repr__(self) -> str:
        return f"CaptureError({self.code!r}, {self.message!r})"
