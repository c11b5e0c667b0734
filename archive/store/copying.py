"""Copies of the whole store of record: an online backup into a SQLite file, and a logical copy of every
row into another database (SQLite or PostgreSQL), used to restore a backup and to move a store.

The backup of a SQLite store is SQLite's own online backup (one step, so it is one consistent snapshot
while writers go on in the WAL); of a PostgreSQL store, a logical copy read in one REPEATABLE READ
transaction, which is the same snapshot pg_dump takes, into a SQLite file: a backup is one format
whatever the database, and restores into either.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine, func, insert, select, text

from archive.store.models import Base

BATCH = 1000


class StoreNotEmpty(RuntimeError):
    """The database a copy would go into already holds an archive."""


def sqlite_file(engine: Engine) -> Path | None:
    """The file of a SQLite store, None for any other database (or an in-memory one)."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database or ""
    return None if database in ("", ":memory:") or database.startswith("file:") else Path(database)


def backup_sqlite(source: Path, target: Path) -> None:
    """SQLite's online backup API, all pages in one step: a snapshot of one moment."""
    target.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
    finally:
        dst.close()
        src.close()


def copy_rows(source: Engine, target: Engine) -> dict[str, int]:
    """Every row of every table from `source` into the empty, migrated `target`; counts per table.

    The source is read in one transaction (REPEATABLE READ on PostgreSQL: one snapshot), the target
    written in one, so a copy is all or nothing."""
    counts: dict[str, int] = {}
    with source.connect() as src:
        if src.dialect.name == "postgresql":
            src = src.execution_options(isolation_level="REPEATABLE READ")
        with src.begin(), target.begin() as dst:
            _refuse_unless_empty(dst)
            for table in Base.metadata.sorted_tables:
                rows = src.execution_options(yield_per=BATCH).execute(
                    select(table).order_by(*table.primary_key.columns))
                counts[table.name] = 0
                for batch in rows.mappings().partitions(BATCH):
                    dst.execute(insert(table), [dict(row) for row in batch])
                    counts[table.name] += len(batch)
            if dst.dialect.name == "postgresql":
                _advance_sequences(dst)
    return counts


def _refuse_unless_empty(conn) -> None:
    for table in Base.metadata.sorted_tables:
        if conn.execute(select(func.count()).select_from(table)).scalar_one():
            raise StoreNotEmpty(
                f"the target database already holds data (table {table.name}); restore and move into an "
                "empty one")


def _advance_sequences(conn) -> None:
    """Rows came with their ids: PostgreSQL's sequences must start after them."""
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                    {"t": table.name, "c": column.name}).scalar()
            if sequence:  # only serial (autoincrement) columns have one
                highest = conn.execute(select(func.max(column))).scalar()
                conn.execute(text("SELECT setval(:s, :v, :called)"),
                             {"s": sequence, "v": highest or 1, "called": highest is not None})
