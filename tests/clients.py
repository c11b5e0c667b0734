"""Test clients of the whole application that act as a given role, through an API token."""

from __future__ import annotations

import uuid

from fastapi import FastAPI
from fastapi.testclient import TestClient

from archive.settings import Settings
from web.app import create_app


def token_headers(app: FastAPI, role: str = "archivist") -> dict[str, str]:
    """An account of that role in the app's archive, and the header that acts as it."""
    accounts = app.state.archive.accounts
    name = f"{role}-{uuid.uuid4().hex[:8]}"
    accounts.add_user(name, role)
    _, token = accounts.create_token(name)
    return {"Authorization": f"Bearer {token}"}


def client(settings: Settings, role: str | None = "archivist", **headers: str) -> TestClient:
    """A TestClient (use it in `with`) acting as ``role``, or anonymous with None."""
    app = create_app(settings)
    acting = token_headers(app, role) if role else {}
    return TestClient(app, headers={**acting, **headers})
