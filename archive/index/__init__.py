"""Index backends behind one interface (`base.IndexBackend`); `open_backend` picks one from settings."""

from __future__ import annotations

from archive.index.base import BackendUnavailable, IndexBackend
from archive.settings import Settings

__all__ = ["BackendUnavailable", "IndexBackend", "open_backend"]


def open_backend(settings: Settings) -> IndexBackend:
    if settings.backend == "elasticsearch":
        from archive.index.elastic import ElasticsearchBackend

        return ElasticsearchBackend(
            settings.elasticsearch_url,
            alias=settings.elasticsearch_index,
            index_settings={"number_of_shards": settings.elasticsearch_shards},
            read_timeout=settings.index_timeout_seconds,
            write_timeout=settings.index_write_timeout_seconds,
            cooldown=settings.index_cooldown_seconds,
            term_cache_seconds=settings.index_term_cache_seconds,
        )
    from archive.index.embedded import EmbeddedBackend

    return EmbeddedBackend(settings.index_dir)
