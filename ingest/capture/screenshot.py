"""A full-page PNG of a captured page, taken by headless Chromium driven with Playwright.

A screenshot shows what a reader saw (layout, images, script-made content) where the WARC keeps
what the server sent. It is optional: without Playwright or a browser the capture goes on, and
`Screenshot.missing` says why there is none. With `public_only`, every request the page makes
(images, scripts, frames) is held to the same rule as the link itself, so a page cannot make the
archive's browser reach its private network.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import httpx

from ingest.capture.addresses import check_host
from ingest.capture.errors import CaptureError

BROWSER_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
MAX_HEIGHT = 20000  # pixels: an endless page is cut there


@dataclass(frozen=True)
class Screenshot:
    png: bytes | None
    missing: str | None = None  # why there is no screenshot


def find_browser(configured: str | None) -> Path | None:
    candidates = (configured, "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser"))
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def take_screenshot(url: str, browser: str | None, *, timeout_s: float = 20.0,
                    public_only: bool = False) -> Screenshot:
    path = find_browser(browser)
    if path is None:
        return Screenshot(None, "no screenshot: Chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        return Screenshot(None, "no screenshot: the playwright package is not installed")
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(path), headless=True, args=BROWSER_ARGS)
            try:
                page = chromium.new_page(viewport=VIEWPORT)
                if public_only:
                    page.route("**/*", _public_only)
                page.goto(url, wait_until="load", timeout=timeout_s * 1000)
                height = min(page.evaluate("document.documentElement.scrollHeight") or 0, MAX_HEIGHT)
                clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": max(height, VIEWPORT["height"])}
                png = page.screenshot(full_page=True, clip=clip, type="png")
            finally:
                chromium.close()
    except PlaywrightError as error:
        return Screenshot(None, f"no screenshot: the browser failed: {str(error).splitlines()[0]}")
    return Screenshot(png)


def _public_only(route, request) -> None:  # Playwright's Route and Request
    try:
        url = httpx.URL(request.url)
        if url.scheme in ("http", "https"):
            check_host(url)
    except (CaptureError, httpx.InvalidURL):
        route.abort("blockedbyclient")
        return
    route.continue_()
