"""What a capture keeps beside the page's body: its WARC, a screenshot and a WACZ, each a blob.

The WARC is the capture's original: the requests and responses as they went over the wire, redirects
included; the document's text and metadata are extracted from the response body it holds (whose
SHA-256 is the document's). The screenshot and the WACZ are made from the same capture. What could not
be made is said in `missing`, and the capture goes on without it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from archive.blobs import BlobStore
from ingest.capture.page import CapturedPage, Exchange
from ingest.capture.replay import build_wacz
from ingest.capture.screenshot import take_screenshot
from ingest.capture.warc import build_warc

log = logging.getLogger(__name__)


@dataclass
class CaptureFiles:
    warc: str  # SHA-256 of the blobs
    screenshot: str | None = None
    wacz: str | None = None
    missing: list[str] = field(default_factory=list)
    screenshot_ms: int | None = None  # how long the browser took

    def as_details(self) -> dict[str, Any]:
        return {"warc_sha256": self.warc, "screenshot_sha256": self.screenshot, "wacz_sha256": self.wacz,
                "missing": self.missing}


@dataclass(frozen=True)
class WebArchiver:
    """Makes and keeps the files of a capture (see the module's docstring)."""

    blobs: BlobStore
    screenshots: bool = True
    browser: str | None = None
    public_only: bool = False

    def keep(self, page: CapturedPage, title: str, redact: Callable[[str], str]) -> CaptureFiles:
        warc = build_warc(page.exchanges, page.requested_url, redact)
        files = CaptureFiles(self.blobs.put_bytes(warc).sha256)
        if self.screenshots:
            started = time.monotonic()
            shot = take_screenshot(page.final_url, self.browser, public_only=self.public_only)
            files.screenshot_ms = round((time.monotonic() - started) * 1000)
            if shot.png is not None:
                files.screenshot = self.blobs.put_bytes(shot.png).sha256
            else:
                files.missing.append(shot.missing or "no screenshot")
        else:
            files.missing.append("no screenshot: turned off (ARCHIVE_SCREENSHOTS=off)")
        try:
            wacz = build_wacz(warc, page.final_url, title, page.captured_at)
            files.wacz = self.blobs.put_bytes(wacz).sha256
        except Exception as error:  # the WACZ is a convenience for replay; the WARC is the evidence
            log.warning("no WACZ for %s: %s", page.final_url, error)
            files.missing.append(f"no WACZ: {error}")
        return files

    def keep_failure(
        self, exchanges: Sequence[Exchange], url: str, redact: Callable[[str], str]
    ) -> str | None:
        """The WARC of a failed capture's exchanges (an error page, the redirects before it), if any."""
        return self.blobs.put_bytes(build_warc(exchanges, url, redact)).sha256 if exchanges else None
