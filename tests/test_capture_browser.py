"""In a real Chromium: capture a page, open its permalink, see the screenshot and the versions, download
the evidence package and check it with the BagIt tool."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.service import IngestRequest
from archive.settings import load_settings
from tests.browser import CHROMIUM, launch, serve
from tests.http_fixture import LocalServer
from tests.needs import needs
from web.app import create_app

pytestmark = [
    pytest.mark.browser,
    needs(CHROMIUM.exists(), f"Chromium at {CHROMIUM} (apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api")

PAGE = ("<html lang='ru'><head><meta charset='utf-8'><title>Суд над журналистом</title></head><body>"
        "<h1>Суд над журналистом</h1><p>{verdict} Суд Алматы рассмотрел дело журналиста о публикации "
        "о мирном собрании.</p></body></html>")


@pytest.fixture(scope="module")
def captured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    app = create_app(load_settings(home=tmp_path_factory.mktemp("archive"), public_url="https://archive.test"))
    archive = app.state.archive
    with LocalServer() as server:
        url = server.route("/news", body=PAGE.format(verdict="Штраф.").encode(),
                           headers={"Content-Type": "text/html; charset=utf-8"})
        archive.capture(url, IngestRequest())
        server.route("/news", body=PAGE.format(verdict="Оправдан.").encode(),
                     headers={"Content-Type": "text/html; charset=utf-8"})
        second = archive.capture(url, IngestRequest())
    assert second.status == "created" and second.capture["screenshot_sha256"]
    with serve(app) as base:
        yield base, second.id


def test_permalink_shows_screenshot_versions_and_gives_the_package(captured, tmp_path: Path) -> None:
    base, document_id = captured
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            page = browser.new_context(base_url=base, locale="ru-RU", accept_downloads=True).new_page()
            page.goto(f"/d/{document_id}?lang=ru")
            image = page.locator("#screenshot")
            image.wait_for()
            assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())
            versions = page.locator("#versions li")
            assert versions.count() == 2
            assert "содержание изменилось (добавлено слов: 1, удалено: 1)" in versions.nth(1).inner_text()
            stamp = page.locator("#trusted-timestamp").inner_text()
            assert "У этого документа нет доверенной метки времени." in stamp
            assert f"https://archive.test/d/{document_id}" in page.locator("#citation").inner_text()
            with page.expect_download() as download:
                page.locator("#evidence-package").click()
            package = tmp_path / "package.zip"
            download.value.save_as(package)
        finally:
            browser.close()
    with zipfile.ZipFile(package) as bag:
        bag.extractall(tmp_path / "out")
        names = bag.namelist()
    assert any(name.endswith(".warc.gz") for name in names) and any(name.endswith(".png") for name in names)
    (top,) = (tmp_path / "out").iterdir()
    checked = subprocess.run([str(Path(sys.executable).parent / "bagit.py"), "--validate", str(top)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
