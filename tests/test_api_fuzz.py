"""Property-based requests from the OpenAPI schema (schemathesis), signed in as an admin: whatever the
inputs, the API answers without a server error, and every answer is one the schema documents: its
status, its media type, its headers and its body (schemathesis' conformance checks)."""

from __future__ import annotations

import io

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from archive.service import IngestRequest
from archive.settings import load_settings
from tests.clients import token_headers
from web.app import create_app


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory):
    application = create_app(load_settings(home=tmp_path_factory.mktemp("fuzz")))
    archive = application.state.archive
    for name, text in (("a.txt", "The court in Oral fined Aigerim Tleuzhan."), ("b.txt", "Жанболат Мамай")):
        archive.ingest_upload(io.BytesIO(text.encode()), name, IngestRequest())
    return application


@pytest.fixture(scope="module")
def admin(app) -> dict[str, str]:
    return token_headers(app, "admin")


# Every check but one: a request the schema allows may still be refused for what it says (random bytes
# are no supported format, a date must exist), and such a refusal is a documented 422, not a failure.
EXCLUDED = [positive_data_acceptance]
# The search's court, publisher and year filters take any text, repeated or not: on the wire every
# "schema-violating" value of theirs is a string like any other, so its refusal cannot be asked for.
FREE_TEXT_FILTERS = ("/api/search",)

# Capturing links fetches whatever URL is generated: that would leave the machine, so it is left out
# here (tests/test_capture.py drives it against local servers).
LEFT_OUT = ("/api/links",)


@pytest.fixture(scope="module")
def operations(app) -> list:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)  # runs the app's lifespan once
    found = [result.ok() for result in schema.get_all_operations()]
    return [op for op in found if op.path not in LEFT_OUT]


def run(operations: list, admin: dict[str, str], mode: GenerationMode) -> list[str]:
    checked = []
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case) -> None:
            free = mode is GenerationMode.NEGATIVE and operation.path in FREE_TEXT_FILTERS  # noqa: B023
            excluded = [*EXCLUDED, negative_data_rejection] if free else EXCLUDED
            case.call_and_validate(headers=admin, excluded_checks=excluded)

        try:
            call()
        except Unsatisfiable:  # no invalid request can be made (a route without parameters)
            assert mode is GenerationMode.NEGATIVE, operation.path
            continue
        checked.append(f"{operation.method.upper()} {operation.path}")
    return checked


def test_every_answer_is_documented_and_none_is_a_server_error(operations, admin) -> None:
    """Requests the schema allows, then requests it forbids (those must answer 4xx, as documented). One
    test, as the app's lifespan is run once for the module."""
    checked = run(operations, admin, GenerationMode.POSITIVE)
    assert "GET /api/search" in checked and "PATCH /api/documents/{document_id}" in checked
    refused = run(operations, admin, GenerationMode.NEGATIVE)
    assert "GET /api/search" in refused and "POST /api/documents" in refused
