"""The one exception the ingest layer raises for input it cannot turn into a document."""

from __future__ import annotations


class IngestError(Exception):
    """A clear, user-facing reason why a file cannot be ingested (message is shown to the archivist).

    ``code`` is a short machine code for programs and tests: "empty", "unsupported_format",
    "corrupt_pdf", "encrypted_pdf", "corrupt_docx", "zip_bomb", "too_large", "binary_not_text",
    "decode_error", "no_text", "ocr_failed", "corrupt_image".
    """

    code: str = "ingest_error"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def __repr__(self) -> str:
        return f"IngestError({self.code!r}, {self.message!r})"
