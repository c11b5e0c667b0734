"""What every extractor returns."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Extracted:
    text: str  # clean text, paragraphs separated by "\n\n"
    title: str | None  # from the document itself; None when it has none
    media_type: str
    metadata: dict = field(
        default_factory=dict
    )  # author, published_date, publisher, url, page_count, encoding …
