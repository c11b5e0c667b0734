"""The store of record: documents' metadata and text in SQL (SQLite by default, PostgreSQL by URL)."""

from archive.store.store import (
    DocumentStore,
    DuplicateDocument,
    IngestEvent,
    MemberLink,
    NewDocument,
    SchemaTooNew,
    StoredTimestamp,
    StoreUnavailable,
    new_document_id,
)

__all__ = [
    "DocumentStore",
    "DuplicateDocument",
    "IngestEvent",
    "MemberLink",
    "NewDocument",
    "SchemaTooNew",
    "StoreUnavailable",
    "StoredTimestamp",
    "new_document_id",
]
