"""Scanned PDFs read by Tesseract: pages that are only images, alone or beside pages with text.

The scans are made at test time (tests/fixtures/scans.py): text drawn with a real font.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image

from ingest.extract import extract
from ingest.extract.ocr import tesseract_languages
from tests.clients import client as client_for
from tests.fixtures.scans import FONT, pdf, picture, scanned_page
from tests.needs import needs

pytestmark = [
    needs(tesseract_languages() is not None, "Tesseract (apt-get install tesseract-ocr-{kaz,rus})"),
    needs(FONT.exists(), "the DejaVu font (apt-get install fonts-dejavu-core)"),
]

RULING = [
    "ПОСТАНОВЛЕНИЕ",
    "Специализированный административный суд",
    "признал Мамая Жанболата виновным",
    "и назначил административный арест.",
]
KAZAKH = ["ҚАУЛЫ", "Сот Мамай Жанболатты кінәлі деп", "танып, әкімшілік қамаққа алды."]


def test_a_scanned_ruling_is_read_by_ocr(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf([scanned_page(RULING)]))
    extracted = extract(path)
    assert "Жанболата" in extracted.text and "административный арест" in extracted.text
    assert extracted.metadata["ocr"]["pages"] == [1]
    assert extracted.metadata["ocr"]["languages"] == "kaz+rus+eng"
    assert extracted.title == "ПОСТАНОВЛЕНИЕ"


def test_kazakh_letters_survive_ocr(tmp_path):
    path = tmp_path / "kk-scan.pdf"
    path.write_bytes(pdf([scanned_page(KAZAKH)]))
    text = extract(path).text
    assert "кінәлі" in text and "әкімшілік қамаққа" in text


def test_only_the_pages_without_text_are_read_by_ocr(tmp_path):
    path = tmp_path / "mixed.pdf"
    typed = "Covering letter from the lawyer of Zhanbolat Mamay, with the ruling attached."
    path.write_bytes(pdf([typed, scanned_page(RULING)]))
    extracted = extract(path)
    assert extracted.text.startswith("Covering letter")
    assert "Жанболата" in extracted.text
    assert extracted.metadata["ocr"]["pages"] == [2]


def test_a_blank_scan_is_refused_with_the_reason(tmp_path):
    from ingest.errors import IngestError

    path = tmp_path / "blank.pdf"
    path.write_bytes(pdf([scanned_page([])]))
    with pytest.raises(IngestError) as refused:
        extract(path)
    assert refused.value.code == "no_text" and "OCR found no text" in refused.value.message


def test_a_scanned_ruling_is_archived_and_found_by_name(archive, tmp_path):
    from archive.pipeline import IngestRequest

    path = tmp_path / "scan.pdf"
    path.write_bytes(pdf([scanned_page(RULING)]))
    (result,) = archive.ingest_paths([path], IngestRequest())
    assert result.status == "created"
    assert archive.document(result.id).metadata["ocr"]["pages"] == [1]
    assert [hit.id for hit in archive.search("Zhanbolat Mamay").hits] == [result.id]


def test_the_permalink_page_says_which_pages_were_read_by_ocr(tmp_path):

    from archive.settings import load_settings

    scan = pdf(["A typed covering letter about the attached ruling.", scanned_page(RULING)])
    with client_for(load_settings(home=tmp_path / "home")) as client:
        created = client.post("/api/documents", files={"file": ("ruling.pdf", scan, "application/pdf")})
        assert created.status_code == 201, created.text
        page = client.get(f"/d/{created.json()['id']}", headers={"Accept-Language": "ru"}).text
    assert "Страницы 2 отсканированы" in page and "kaz+rus+eng" in page


def test_a_photo_of_a_ruling_is_read(tmp_path):
    path = tmp_path / "IMG_2041.jpg"
    path.write_bytes(picture(KAZAKH, "JPEG", quality=85))
    extracted = extract(path)
    assert extracted.media_type == "image/jpeg"
    assert "кінәлі" in extracted.text
    assert extracted.metadata["ocr"]["pages"] == [1]


def test_a_multi_page_tiff_scan_is_read_page_by_page(tmp_path):
    first = Image.open(io.BytesIO(scanned_page(RULING)))
    second = Image.open(io.BytesIO(scanned_page(KAZAKH)))
    buffer = io.BytesIO()
    first.save(buffer, format="TIFF", save_all=True, append_images=[second], compression="tiff_deflate")
    path = tmp_path / "scan.tif"
    path.write_bytes(buffer.getvalue())
    extracted = extract(path)
    assert extracted.metadata["ocr"]["pages"] == [1, 2]
    assert extracted.text.index("Жанболата") < extracted.text.index("кінәлі")


def test_an_image_bomb_is_refused_before_it_is_decoded(tmp_path):
    from ingest.errors import IngestError

    bomb = io.BytesIO()
    Image.new("1", (20_000, 20_000), 1).save(bomb, format="PNG")  # 400 million pixels in ~50 KB
    path = tmp_path / "bomb.png"
    path.write_bytes(bomb.getvalue())
    with pytest.raises(IngestError) as refused:
        extract(path)
    assert refused.value.code == "too_large" and "pixels" in refused.value.message
    assert path.stat().st_size < 1_000_000


def test_an_image_named_as_text_is_still_refused(tmp_path):
    from ingest.errors import IngestError

    path = tmp_path / "notes.txt"
    path.write_bytes(picture(RULING, "PNG"))
    with pytest.raises(IngestError) as refused:
        extract(path)
    assert refused.value.code == "binary_not_text"
