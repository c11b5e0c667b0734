"""A WACZ package of a capture (the `wacz` library): the WARC, its CDXJ index and a pages list, the
form ReplayWeb.page and other replay tools open directly."""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from datetime import datetime
from pathlib import Path


def build_wacz(warc: bytes, url: str, title: str, captured_at: datetime) -> bytes:
    from wacz.main import main as wacz_main  # heavy to import: only when a capture is packaged

    ts = captured_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    with tempfile.TemporaryDirectory(prefix="wacz-") as tmp:
        folder = Path(tmp)
        warc_path, pages, target = folder / "capture.warc.gz", folder / "pages.jsonl", folder / "capture.wacz"
        warc_path.write_bytes(warc)
        pages.write_text(
            json.dumps({"format": "json-pages-1.0", "id": "pages", "title": "All Pages"}) + "\n"
            + json.dumps({"id": "capture", "url": url, "ts": ts, "title": title}, ensure_ascii=False) + "\n",
            "utf-8",
        )
        args = ["create", "-o", str(target), "-p", str(pages), "-c", "--title", title or url,
                "--hash-type", "sha256", str(warc_path)]
        with contextlib.redirect_stdout(io.StringIO()):  # the library reports progress on stdout
            code = wacz_main(args)
        if code not in (0, None) or not target.exists():
            raise RuntimeError(f"wacz create failed with code {code}")
        return target.read_bytes()
