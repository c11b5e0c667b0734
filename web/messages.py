"""Why an ingest or a capture failed, as the interface says it: the catalog key of each failure code.

A code without a key (one added later) is shown with the server's own sentence.
"""

from __future__ import annotations

FAILURE_CODES = (
    "binary_not_text", "connection", "decode_error", "disk_full", "dns", "empty", "encrypted",
    "http_status", "invalid_url", "malformed_email", "no_text", "ocr_failed", "private_address", "quota",
    "timeout", "too_large", "too_many_members", "too_many_redirects", "unreadable", "unsupported_format",
    "zip_bomb",
)


def failure_key(code: str | None) -> str | None:
    """The catalog key that says why a file or link failed; every damaged format (`corrupt_pdf` …) is one."""
    if code and code.startswith("corrupt_"):
        return "failure.corrupt"
    return f"failure.{code}" if code in FAILURE_CODES else None
