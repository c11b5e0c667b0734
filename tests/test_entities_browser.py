"""Entity pages in a real Chromium against a real server: from a search to a person's page, an
archivist's merge and split through the page's forms, and the CSV export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.pipeline import IngestRequest
from archive.settings import load_settings
from tests.browser import CHROMIUM, keep_screenshot, launch, serve
from tests.needs import needs
from web.app import create_app

pytestmark = [
    pytest.mark.browser,
    needs(CHROMIUM.exists(), f"Chromium at {CHROMIUM} (apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api")

DOCUMENTS = {
    "mamai-en.txt": "Journalist Zhanbolat Mamai was detained in Almaty after a peaceful rally.",
    "mamai-ru.txt": "Журналиста Жанболата Мамая задержали в Алматы после мирного митинга.",
    "tleuzhan-en.txt": "The reporter Aigerim Tleuzhan covered the trial in Almaty.",
}
ARCHIVIST, PASSWORD = "erlan", "a long enough test password"


@pytest.fixture
def page(tmp_path: Path) -> Iterator:
    app = create_app(load_settings(home=tmp_path / "home"))
    archive = app.state.archive
    archive.accounts.add_user(ARCHIVIST, "archivist", PASSWORD)
    for name, text in DOCUMENTS.items():
        archive.ingest_upload(io.BytesIO(text.encode()), name, IngestRequest())
    with serve(app) as url, sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(base_url=url, locale="en-GB", accept_downloads=True)
        page = context.new_page()
        page.goto("/login?next=/")
        page.fill("#name", ARCHIVIST)
        page.fill("#password", PASSWORD)
        page.click("form.login-form button[type=submit]")
        page.wait_for_url("**/")
        page.archive = archive
        yield page
        browser.close()


def test_from_search_to_entity_then_merge_split_and_export(page, tmp_path: Path) -> None:
    page.goto("/?q=Мамай")
    page.locator("a[href^='/d/']").first.click()
    page.locator(".doc-entities a", has_text="Mamai").first.click()
    page.wait_for_url("**/e/*")
    mamai = page.url.rsplit("/", 1)[-1]
    spellings = page.locator("#spellings-heading + dl").inner_text()
    assert "Zhanbolat Mamai" in spellings and "Жанболата Мамая" in spellings
    keep_screenshot(page, "entity")
    tleuzhan = page.archive.entities("Tleuzhan")[0]["id"]

    page.fill("#other", f"/e/{tleuzhan}")  # the other entity's link, as copied from its page
    page.click("form.entity-merge button[type=submit]")
    page.wait_for_url(f"**/e/{mamai}")
    assert "Aigerim Tleuzhan" in page.locator("#spellings-heading + dl").inner_text()
    page.screenshot(path=str(tmp_path / "merged.png"), full_page=True)

    option = page.locator("#spelling option", has_text="Aigerim Tleuzhan")
    page.select_option("#spelling", option.first.get_attribute("value"))
    page.click("form.entity-split button[type=submit]")
    page.wait_for_url(f"**/e/{mamai}")
    assert "Aigerim Tleuzhan" not in page.locator("#spellings-heading + dl").inner_text()
    decisions = [e.details["decision"] for e in page.archive.store.custody_by_action("entity")]
    assert decisions == ["merge", "split"]

    with page.expect_download() as download:
        page.click("a[href='/api/entities/export?format=csv']")
    rows = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text("utf-8"))))
    assert {row["label"] for row in rows} >= {"Zhanbolat Mamai", "Aigerim Tleuzhan"}


def test_typing_a_case_form_suggests_the_person_and_a_hit_links_its_people(tmp_path: Path) -> None:
    app = create_app(load_settings(home=tmp_path / "home"))
    texts = {"mamay-en.txt": "Journalist Zhanbolat Mamay was detained in Almaty.",
             "mamay-ru.txt": "Журналиста Жанболата Мамая задержали в Алматы."}
    for name, text in texts.items():
        app.state.archive.ingest_upload(io.BytesIO(text.encode()), name, IngestRequest())
    with serve(app) as url, sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        page = browser.new_context(base_url=url, locale="en-GB").new_page()
        page.goto("/")
        page.locator("#q").press_sequentially("Мамаю", delay=40)
        suggestion = page.locator("#suggestions a", has_text="Zhanbolat Mamay")
        suggestion.wait_for()
        assert "2 documents" in page.locator("#suggestions").inner_text()
        page.screenshot(path=str(tmp_path / "suggested.png"))
        suggestion.click()
        page.wait_for_url("**/e/*")
        assert page.locator("h1").inner_text().strip().endswith("Zhanbolat Mamay")
        entity = page.url.rsplit("/", 1)[-1]

        page.goto("/?q=Мамаю")
        card = page.locator(".hit").first
        card.locator(f".hit-entities a[href='/e/{entity}']").click()
        page.wait_for_url(f"**/e/{entity}")
        browser.close()
