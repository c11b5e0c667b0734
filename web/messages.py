"""Why an ingest or a capture failed, as the interface says it: the catalog key of each failure code.

A code without a key (one added later) is shown with the server's own sentence.
"""

from __future__ import annotations

FAILURE_CODES = (
    "binary_not_text", "connection", "decode_error", "disk_full", "dns", "empty", "encrypted",
    "http_status", "invalid_url", "malformed_email", "no_text", "not_a_file", "not_found", "ocr_failed",
    "private_address", "quota", "timeout", "too_deep", "too_large", "too_many_members",
    "too_many_redirects", "unreadable", "unsafe_path", "unsupported_format", "unsupported_scheme",
    "zip_bomb",
)
FAMILIES = ("corrupt", "encrypted")  # each damaged or locked format (`corrupt_pdf`, `encrypted_pdf`) is one


def failure_key(code: str | None) -> str | None:
    """The catalog key that says why a file or link failed."""
    family = (code or "").split("_", 1)[0]
    if family in FAMILIES:
        return f"failure.{family}"
    return f"failure.{code}" if code in FAILURE_CODES else None
