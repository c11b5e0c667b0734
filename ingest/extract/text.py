"""Plain text and Markdown files in any common encoding."""

from __future__ import annotations

from pathlib import Path

from ingest import encoding
from ingest.errors import IngestError
from ingest.extract.cleanup import clean_text, first_line_title
from ingest.extract.limits import MAX_TEXT_FILE_BYTES, human_size
from ingest.extract.markdown import markdown_title, strip_markdown
from ingest.extract.result import Extracted
from ingest.sniff import MARKDOWN, PLAIN


def read_text_file(path: Path, limit: int = MAX_TEXT_FILE_BYTES) -> tuple[str, dict]:
    """Decode a text file whole, refusing it (before reading) when it is over ``limit`` bytes."""
    size = path.stat().st_size
    if size > limit:
        raise IngestError(
            "too_large",
            f"The text file is {human_size(size)}; text files over {human_size(limit)} are not indexed "
            "(the original is kept). Split it into smaller files to make it searchable.",
        )
    decoded = encoding.detect(path.read_bytes())
    metadata: dict = {"encoding": decoded.encoding}
    if decoded.bom:
        metadata["bom"] = True
    if decoded.errors:
        metadata["encoding_errors"] = decoded.errors
    return decoded.text, metadata


def extract_text(path: Path, media_type: str = PLAIN) -> Extracted:
    raw, metadata = read_text_file(path)
    if media_type == MARKDOWN:
        text = clean_text(strip_markdown(raw))
        title = markdown_title(raw) or first_line_title(text)
    else:
        text = clean_text(raw)
        title = first_line_title(text)
    if not text:
        raise IngestError("no_text", "The file contains only whitespace.")
    return Extracted(text=text, title=title, media_type=media_type, metadata=metadata)
