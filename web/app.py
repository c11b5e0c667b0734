"""The whole web application: the JSON API of `search_api` and the pages, served by one process."""

from __future__ import annotations

from fastapi import FastAPI

from archive.settings import Settings
from search_api.app import create_api
from web import pages


def create_app(settings: Settings | None = None) -> FastAPI:
    app = create_api(settings)
    pages.install(app)
    return app
