"""OCR speed and word accuracy on generated scans of Kazakh, Russian and English text; prints a table.

    .venv/bin/python scripts/measure_ocr.py

Each page is a paragraph of the language drawn at 200 dpi with DejaVu Sans (tests/fixtures/scans.py),
read through the archive's own extraction: as a scanned PDF page and as a JPEG photo. Word accuracy is
the share of the paragraph's words that come back exactly, Kazakh letters included.
"""

from __future__ import annotations

import re
import sys
import tempfile
import textwrap
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.extract import extract
from ingest.extract.ocr import engine_version, tesseract_languages
from tests.fixtures.make_fixtures import EN, KK, RU
from tests.fixtures.scans import pdf, picture, scanned_page

_WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> Counter[str]:
    return Counter(word.lower() for word in _WORD.findall(text))


def word_accuracy(expected: str, found: str) -> float:
    wanted = words(expected)
    return sum((wanted & words(found)).values()) / sum(wanted.values())


def main() -> int:
    if tesseract_languages() is None:
        print("tesseract is not installed: nothing to measure")
        return 1
    print(f"{engine_version()}, models {tesseract_languages()}")
    print("| language | form | seconds per page | word accuracy |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="archive-ocr-") as scratch:
        for language, paragraph in (("kk", KK), ("ru", RU), ("en", EN)):
            lines = textwrap.wrap(paragraph, 55)
            forms = {
                "scanned PDF page": ("scan.pdf", pdf([scanned_page(lines)])),
                "JPEG photo": ("photo.jpg", picture(lines, "JPEG", quality=70)),
            }
            for form, (name, data) in forms.items():
                path = Path(scratch) / f"{language}-{name}"
                path.write_bytes(data)
                start = time.perf_counter()
                text = extract(path).text
                seconds = time.perf_counter() - start
                print(f"| {language} | {form} | {seconds:.2f} | {word_accuracy(paragraph, text):.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
