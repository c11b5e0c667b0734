"""Photos and scans of documents (PNG, JPEG, TIFF): their text, read by OCR where Tesseract is installed.

The image is only opened to read its size before it is decoded, so an image bomb (a small file that
decodes to billions of pixels) is refused without being decoded. A multi-page TIFF is read page by page.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from ingest.errors import IngestError
from ingest.extract.cleanup import clean_text, first_line_title
from ingest.extract.limits import MAX_IMAGE_PIXELS
from ingest.extract.ocr import MAX_OCR_PAGES, ocr_metadata, read_image
from ingest.extract.result import Extracted

IMAGE_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
)


def image_media_type(head: bytes) -> str | None:
    return next((media for magic, media in IMAGE_SIGNATURES if head.startswith(magic)), None)


def extract_image(path: Path, media_type: str, languages: str) -> Extracted:
    """The text of every page of the image, read by Tesseract with `languages` ("kaz+rus+eng")."""
    texts: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
        with image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise _too_large(f"{width}×{height} pixels")
            for number, frame in enumerate(ImageSequence.Iterator(image)):
                if number == MAX_OCR_PAGES:
                    break
                upright = ImageOps.exif_transpose(frame.convert("L"))
                texts.append(clean_text(read_image(upright, languages, f"page {number + 1}")))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_large(str(error)) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise IngestError("corrupt_image", f"The image is damaged and cannot be read ({error}).") from error
    text = "\n\n".join(t for t in texts if t)
    if not text:
        raise IngestError(
            "no_text", "OCR found no text in the image. The original file is kept, but it cannot be searched."
        )
    metadata = {"page_count": len(texts), "ocr": ocr_metadata(list(range(1, len(texts) + 1)))}
    return Extracted(text=text, title=first_line_title(text), media_type=media_type, metadata=metadata)


def _too_large(detail: str) -> IngestError:
    return IngestError(
        "too_large",
        f"The image is too large to read ({detail}); OCR reads images of up to "
        f"{MAX_IMAGE_PIXELS // 1_000_000} million pixels. The original is kept.",
    )
