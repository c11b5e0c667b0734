"""A value that moves with every change committed to the store, by any connection of any process.

Kept answers (`archive.search.answers`) are found only while it stands still, so the mark may move
without a change (an answer is then worked out again) but never stay put across one. Each database
gives it its own way, read on a connection of the mark's own that never writes:

- SQLite: `PRAGMA data_version`, which moves when another connection commits, and only then (never
  for the reading connection's own commits: hence a connection of its own, kept for good).
- PostgreSQL: the server's current snapshot, `pg_current_snapshot()`: which transactions it counts as
  done. Two equal snapshots see the same committed rows, and once a transaction that writes has begun
  or ended the snapshot never comes back; reads leave it as it is. Writes to other databases of the
  same server move it too, which only costs a kept answer.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Hashable
from typing import Any

from sqlalchemy import Connection, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError


class ChangeMarks:
    """The mark of one store's database; None when the database cannot give one (`engine` None: an
    in-memory database, whose one shared connection would never see another's change), or cannot be
    asked now (the search that wanted the mark then meets the error itself)."""

    def __init__(self, engine: Engine | None) -> None:
        backend = engine.url.get_backend_name() if engine is not None else None
        self._engine = engine if backend in ("sqlite", "postgresql") else None
        self._sqlite = backend == "sqlite"
        self._connection: Any = None  # SQLite: a raw DB-API connection; PostgreSQL: an autocommit one
        self._lock = threading.Lock()

    def current(self) -> Hashable | None:
        if self._engine is None:
            return None
        with self._lock:
            try:
                return self._sqlite_version() if self._sqlite else self._postgresql_snapshot()
            except DBAPIError:
                self._drop()  # a server restarted or gone: a new connection next time
                return None

    def _sqlite_version(self) -> int:
        if self._connection is None:
            self._connection = self._engine.raw_connection()  # type: ignore[union-attr]
        cursor = self._connection.cursor()
        try:
            cursor.execute("PRAGMA data_version")
            return int(cursor.fetchone()[0])
        finally:
            cursor.close()

    def _postgresql_snapshot(self) -> str:
        if self._connection is None:
            # Autocommit: no transaction is left open between two reads (one would hold back vacuum).
            self._connection = self._engine.connect().execution_options(  # type: ignore[union-attr]
                isolation_level="AUTOCOMMIT")
        connection: Connection = self._connection
        return str(connection.execute(text("SELECT pg_current_snapshot()::text")).scalar_one())

    def _drop(self) -> None:
        """Forgets a connection that failed; the pool discards it rather than hand it out again."""
        if self._connection is not None:
            with contextlib.suppress(DBAPIError):
                self._connection.invalidate()
            self._connection = None

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
