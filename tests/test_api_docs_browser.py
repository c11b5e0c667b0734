"""The API reference pages in a real Chromium that may reach nothing but 127.0.0.1: `/docs` and `/redoc`
render the operations from local files, under the archive's Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from archive.settings import load_settings
from tests.browser import CHROMIUM, keep_screenshot, launch, serve
from tests.needs import needs
from web.app import create_app

pytestmark = [
    pytest.mark.browser,
    needs(CHROMIUM.exists(), f"Chromium at {CHROMIUM} (apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serve(create_app(load_settings(home=tmp_path_factory.mktemp("docs")))) as url:
        yield url


@pytest.fixture
def offline_page(base_url: str) -> Iterator:
    """A page whose every request to anything but 127.0.0.1 is aborted and recorded, with the
    Content-Security-Policy violations and script errors it meets."""
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.blocked, page.errors = [], []

        def only_local(route) -> None:
            if urlsplit(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                page.blocked.append(route.request.url)
                route.abort()

        page.route("**/*", only_local)
        page.on("console", lambda message: message.type == "error" and page.errors.append(message.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        yield page
        browser.close()


def test_swagger_ui_renders_the_operations_offline(offline_page, base_url: str) -> None:
    page = offline_page
    page.goto(f"{base_url}/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/search" in path for path in paths) and any("/api/documents" in path for path in paths)
    keep_screenshot(page, "api-docs", full_page=False)  # the top of the reference, as it opens
    page.locator(".opblock-summary", has_text="/api/search").first.click()
    page.wait_for_selector(".responses-table", timeout=10_000)
    assert "application/problem+json" in page.content() or "422" in page.inner_text(".responses-table")
    page.screenshot(path="/tmp/api-docs.png", full_page=False)
    assert page.blocked == []
    assert not page.errors, page.errors


def test_redoc_renders_the_operations_offline(offline_page, base_url: str) -> None:
    page = offline_page
    page.goto(f"{base_url}/redoc")
    page.wait_for_selector("[data-section-id^='operation/']", timeout=30_000)
    assert page.locator("[data-section-id^='operation/']").count() >= 10
    assert "/api/search" in page.inner_text("body")
    page.screenshot(path="/tmp/api-redoc.png", full_page=False)
    assert page.blocked == []
    # Redoc's credit line shows its logo from its makers' site: the policy refuses it, and nothing else.
    assert not [e for e in page.errors if "cdn.redoc.ly/redoc/logo" not in e], page.errors
