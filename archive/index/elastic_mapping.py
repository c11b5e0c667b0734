"""The Elasticsearch index layout, kept as data. Bump MAPPING_VERSION whenever it changes.

A changed layout reaches a running archive only through `rebuild` (`archive reindex`): it creates
`{alias}-v{MAPPING_VERSION}-{timestamp}` beside the live index and swaps the alias over at the end.

All analysis happens in Python; each analysed field arrives as space-separated, already folded and
stemmed terms. The built-in `whitespace` analyzer (whitespace tokenizer, no token filters) indexes them
verbatim, one term a position. It is used rather than a custom analyzer naming the `whitespace`
tokenizer because that tokenizer lives in the analysis-common module, which the minimal node used in
development and tests does not ship; the built-in analyzer is the same chain and exists everywhere.
"""

from __future__ import annotations

from typing import Any

from archive.index.base import (
    ACCESS,
    ANALYSED_FIELDS,
    COLLECTION,
    COURT,
    DATE,
    KIND,
    LANGUAGE,
    PASSAGE_FIELDS,
    PUBLISHER,
    YEAR,
)

MAPPING_VERSION = 6

ANALYZER = "whitespace"

# Stored in the index itself so a running archive can tell whether it needs a rebuild.
META_VERSION_KEY = "mapping_version"

# Keyword fields kept in _source: the id and what filters and maintenance read back.
SOURCE_FIELDS = ("id", KIND, LANGUAGE, ACCESS, "ingested_at")

ANALYSED: dict[str, Any] = {
    "type": "text",
    "analyzer": ANALYZER,
    "search_analyzer": ANALYZER,
    "index_options": "positions",
    "similarity": "BM25",
}

MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "_source": {"includes": list(SOURCE_FIELDS)},
    "properties": {
        "id": {"type": "keyword"},
        KIND: {"type": "keyword"},
        LANGUAGE: {"type": "keyword"},
        ACCESS: {"type": "keyword"},
        COLLECTION: {"type": "keyword"},
        "ingested_at": {"type": "date"},
        # The facets besides kind and language, and the document's own date (filter and sort).
        YEAR: {"type": "keyword"},
        COURT: {"type": "keyword"},
        PUBLISHER: {"type": "keyword"},
        DATE: {"type": "date"},
        **{name: ANALYSED for name in ANALYSED_FIELDS},
    },
}

# The companion index of long documents' passages (`{alias}-passages`): which document, where in its
# text (character offsets), the passage's text and whether it ends the document (read back, never
# searched), and the passage's terms.
PASSAGE_SOURCE_FIELDS = ("doc_id", "start", "end", "text", "last")
PASSAGE_MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "_source": {"includes": list(PASSAGE_SOURCE_FIELDS)},
    "properties": {
        "doc_id": {"type": "keyword"},
        "start": {"type": "integer", "index": False},
        "end": {"type": "integer", "index": False},
        "text": {"type": "text", "index": False},
        "last": {"type": "boolean", "index": False},
        **{name: ANALYSED for name in PASSAGE_FIELDS},
    },
}

# One primary shard keeps term statistics, and so scores, identical to a single embedded index up to
# tens of millions of documents; replicas follow the number of nodes (none on a single node).
SETTINGS: dict[str, Any] = {
    "number_of_shards": 1,
    "auto_expand_replicas": "0-1",
    "max_result_window": 100_000,
}


def index_body(
    version: int = MAPPING_VERSION,
    mappings: dict[str, Any] | None = None,
    settings: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The `indices.create` arguments (settings, mappings) for a new index of layout `version`."""
    body_mappings = dict(MAPPINGS if mappings is None else mappings)
    body_mappings["_meta"] = {**body_mappings.get("_meta", {}), META_VERSION_KEY: version}
    return {"settings": {"index": {**SETTINGS, **(settings or {})}}, "mappings": body_mappings}
