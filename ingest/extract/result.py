"""What every extractor returns."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.extract.members import Member


@dataclass
class Extracted:
    text: str  # clean text, paragraphs separated by "\n\n"
    title: str | None  # from the document itself; None when it has none
    media_type: str
    metadata: dict = field(
        default_factory=dict
    )  # author, published_date, publisher, url, page_count, encoding …
    # A container's members (files of an archive, attachments of an e-mail), read lazily; None for
    # a document that holds no others.
    members: Iterator[Member] | None = None
