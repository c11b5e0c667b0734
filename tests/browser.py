"""Driving Debian's Chromium with playwright against the application served by a real uvicorn."""

from __future__ import annotations

import re
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

CHROMIUM = Path("/usr/bin/chromium")
README_SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"  # linked from the README
# Headless, and quiet: the machine has no internet, and Chromium's own background connections
# (updates, sync, QUIC probes) would otherwise fail or be refused.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    """Waits until the server that `process` runs answers `url`/healthz with 200 (it takes its time
    to start under a loaded suite); fails with its error output if it exits first."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        ended = process.poll() is not None
        stderr = process.stderr.read() if ended and process.stderr else ""
        assert not ended and time.monotonic() < deadline, stderr
        time.sleep(0.2)


@contextmanager
def serve(app: FastAPI, timeout: float = 15.0) -> Iterator[str]:
    """Serves `app` with uvicorn on a free 127.0.0.1 port in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)


def keep_screenshot(page, name: str, full_page: bool = True) -> None:
    """The page as `docs/screenshots/{name}.png`, for the README: made by the test that checks it."""
    README_SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(README_SCREENSHOTS / f"{name}.png"), full_page=full_page)


def launch(playwright):  # -> playwright.sync_api.Browser
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


# Interface text in Latin letters, as the page shows it: the visible text nodes and the placeholder,
# title, aria-label and alt attributes, but for content (an element whose `lang` is not the page's),
# data (`translate="no"`: names, titles, file names, links, queries), code, times and hashes, and the
# language menu, which names each language in its own.
INTERFACE_TEXT = """() => {
  const lang = document.documentElement.lang;
  const skip = "script, style, code, kbd, samp, time, textarea, select, .hash, #lang-switch, [translate=no]";
  const content = (el) => el.closest(skip) || (el.closest("[lang]") && el.closest("[lang]").lang !== lang);
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (parent && !content(parent) && parent.checkVisibility() && /[A-Za-z]/.test(node.textContent)) {
      found.push(node.textContent.trim());
    }
  }
  for (const el of document.body.querySelectorAll("[placeholder], [title], [aria-label], [alt]")) {
    for (const name of ["placeholder", "title", "aria-label", "alt"]) {
      const value = el.getAttribute(name);
      if (value && !content(el) && /[A-Za-z]/.test(value)) found.push(value);
    }
  }
  return found;
}"""
# What an interface in any language writes in Latin letters: formats, standards and tools.
TERMS = re.compile(
    r"SHA-256|BagIt|MIME|UTC|CSL-JSON|JSON Lines|Zotero|FollowTheMoney|Markdown|HTML|PDF|Word|\.docx|"
    r"URL|https://|TXT|CSV|JPEG|PNG|TIFF|OCR|WARC|WACZ|HTTP"
)


def english_text(page) -> list[str]:
    """The interface text of the page that has words in Latin letters but for `TERMS`."""
    return [text for text in page.evaluate(INTERFACE_TEXT) if re.search("[A-Za-z]{2}", TERMS.sub("", text))]
