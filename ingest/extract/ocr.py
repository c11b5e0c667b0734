"""OCR of scanned PDF pages with Tesseract, in Kazakh, Russian and English, where the machine has it.

Court rulings and official letters often reach an archive as scans: PDF pages that are only images.
Such pages are rendered with PDFium and read by the `tesseract` command (Debian: tesseract-ocr,
tesseract-ocr-kaz, tesseract-ocr-rus). Without Tesseract the archive works as before: a PDF with no
text layer is refused with that reason and its original is kept. OCR text is derived, not evidence:
the document's metadata says which pages were read by OCR, with which engine and languages.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from PIL import Image

from ingest.errors import IngestError

WANTED_LANGUAGES = ("kaz", "rus", "eng")
DPI = 300  # Tesseract's own recommendation for body text
MAX_OCR_PAGES = 200  # beyond this a scan is more likely a photo album than a document
PAGE_TIMEOUT_S = 120
INSTALL_HINT = "Debian: apt install tesseract-ocr tesseract-ocr-kaz tesseract-ocr-rus"


@cache
def tesseract_languages() -> str | None:
    """The "kaz+rus+eng" argument for the installed models, or None when Tesseract is missing."""
    binary = shutil.which("tesseract")
    if binary is None:
        return None
    try:
        listed = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    installed = set(listed.stdout.split())
    languages = [language for language in WANTED_LANGUAGES if language in installed]
    return "+".join(languages) or None


@cache
def engine_version() -> str:
    done = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=30)
    first = (done.stdout or done.stderr).splitlines()
    return first[0].strip() if first else "tesseract"


def ocr_metadata(pages: list[int]) -> dict:
    """What a document records of its OCR: the pages read (from 1), the engine and its models."""
    return {"engine": engine_version(), "languages": tesseract_languages(), "pages": pages}


class PdfOcr:
    """Reads pages of one PDF by OCR; open it once, ask for the pages that have no text layer."""

    def __init__(self, path: Path, languages: str):
        import pypdfium2

        self.languages = languages
        try:
            self.document = pypdfium2.PdfDocument(str(path))
        except pypdfium2.PdfiumError as error:
            message = f"The scanned PDF cannot be rendered for OCR ({error})."
            raise IngestError("corrupt_pdf", message) from error

    def page_text(self, number: int) -> str:
        page = self.document[number]
        try:
            image = page.render(scale=DPI / 72, grayscale=True).to_pil()
        finally:
            page.close()
        return read_image(image, self.languages, f"page {number + 1}")

    def close(self) -> None:
        self.document.close()


def read_image(image: Image.Image, languages: str, label: str) -> str:
    """The text Tesseract reads in one image; `label` names it in error messages ("page 3")."""
    with tempfile.TemporaryDirectory(prefix="archive-ocr-") as scratch:
        picture = Path(scratch) / "page.png"
        image.save(picture)
        try:
            done = subprocess.run(
                ["tesseract", str(picture), "stdout", "-l", languages, "--psm", "3"],
                capture_output=True,
                text=True,
                timeout=PAGE_TIMEOUT_S,
            )
        except subprocess.TimeoutExpired as error:
            raise IngestError("ocr_failed", f"OCR of {label} took over {PAGE_TIMEOUT_S} s.") from error
    if done.returncode != 0:
        raise IngestError("ocr_failed", f"OCR of {label} failed: {done.stderr.strip()[:300]}")
    return done.stdout
