"""Alembic environment of the store of record.

`DocumentStore` runs the migrations itself and hands over its connection in
``config.attributes["connection"]``. From the command line (``alembic -c archive/store/alembic.ini ...``)
the URL comes from ``sqlalchemy.url`` or, when that is empty, from the archive's settings.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from archive.store.models import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from archive.settings import load_settings

    return load_settings().sqlalchemy_url


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(_url())
    try:
        with engine.connect() as connection:
            _run(connection)
            connection.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
