"""Bad input: every case ends in a clear IngestError (or a flagged, still useful result), never a crash."""

from __future__ import annotations

import os
import tracemalloc
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.extract import extract, limits
from ingest.extract.ocr import tesseract_languages
from ingest.sniff import BINARY, sniff
from tests.fixtures.make_fixtures import RU, docx_bytes, encrypted_pdf, minimal_pdf, plain_zip, zip_bomb

PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refused(path: Path) -> IngestError:
    with pytest.raises(IngestError) as caught:
        extract(path)
    assert caught.value.message and str(caught.value) == caught.value.message
    return caught.value


def refused_with_peak_memory(path: Path) -> tuple[IngestError, int]:
    """The refusal, and the most memory Python held while extract() refused the file."""
    tracemalloc.start()
    try:
        error = refused(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return error, peak


def test_empty_file(tmp_path: Path) -> None:
    assert refused(write(tmp_path, "empty.txt", b"")).code == "empty"


def test_whitespace_only_text(tmp_path: Path) -> None:
    assert refused(write(tmp_path, "blank.txt", b" \r\n\t\n ")).code == "no_text"


def test_html_without_text(tmp_path: Path) -> None:
    page = (
        b"<html><head><title>x</title><script>var a = 1;</script></head><body><img src=a.png></body></html>"
    )
    assert refused(write(tmp_path, "blank.html", page)).code == "no_text"


# --- PDF ----------------------------------------------------------------------------------------


def test_truncated_pdf(tmp_path: Path) -> None:
    data = minimal_pdf(["Annual report", "Freedom of assembly"])
    error = refused(write(tmp_path, "cut.pdf", data[: len(data) // 2]))
    assert error.code == "corrupt_pdf"
    assert "truncated" in error.message


def test_garbage_pdf(tmp_path: Path) -> None:
    data = b"%PDF-1.7\n" + os.urandom(4000) + b"\n%%EOF\n"
    assert refused(write(tmp_path, "junk.pdf", data)).code == "corrupt_pdf"


def test_password_protected_pdf(tmp_path: Path) -> None:
    data = encrypted_pdf(minimal_pdf(["Confidential statement"]), user_password="secret")
    error = refused(write(tmp_path, "locked.pdf", data))
    assert error.code == "encrypted_pdf"
    assert "password" in error.message


def test_pdf_encrypted_without_user_password_is_read(tmp_path: Path) -> None:
    data = encrypted_pdf(minimal_pdf(["Statement of the witness"]), user_password="")
    assert extract(write(tmp_path, "restricted.pdf", data)).text == "Statement of the witness"


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "scan.pdf", minimal_pdf([])))
    assert error.code == "no_text"
    assert "OCR" in error.message and "no text layer" in error.message


# --- DOCX and other ZIPs ------------------------------------------------------------------------


def test_docx_zip_bomb_by_ratio(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    zip_bomb(path, inflated=limits.MIN_RATIO_CHECK_BYTES * 3)
    assert path.stat().st_size < 200_000
    error = refused(path)
    assert error.code == "zip_bomb"


def test_docx_zip_bomb_by_total_size(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    zip_bomb(path, inflated=limits.MAX_ZIP_XML_BYTES + limits.MB)
    error, peak = refused_with_peak_memory(path)
    assert error.code == "zip_bomb"
    assert peak < 20 * limits.MB  # refused from the ZIP directory, nothing inflated


def test_truncated_docx(tmp_path: Path) -> None:
    data = docx_bytes("Title", "Heading", [RU])
    error = refused(write(tmp_path, "cut.docx", data[: len(data) // 2]))
    assert error.code == "corrupt_docx"


def test_zip_that_is_not_a_docx_is_read_as_the_zip_it_is(tmp_path: Path) -> None:
    data = plain_zip({"notes.txt": b"hello", "photo.jpg": os.urandom(100)})
    extracted = extract(write(tmp_path, "archive.docx", data))
    assert extracted.media_type == "application/zip"
    assert [member.path for member in extracted.members] == ["notes.txt", "photo.jpg"]


def test_a_damaged_spreadsheet_is_named(tmp_path: Path) -> None:
    data = plain_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    error = refused(write(tmp_path, "table.xlsx", data))
    assert error.code == "corrupt_xlsx"
    assert "Excel" in error.message


# --- text ---------------------------------------------------------------------------------------


def test_huge_text_file_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    line = (RU + "\n").encode()
    with path.open("wb") as handle:  # 200 MB, cheaply: real text at both ends, a sparse hole between
        handle.write(line * (16_384 // len(line) + 1))
        handle.seek(200 * limits.MB - len(line))
        handle.write(line)
    error, peak = refused_with_peak_memory(path)
    assert error.code == "too_large"
    assert "200 MB" in error.message
    assert peak < 5 * limits.MB


def test_png_named_txt(tmp_path: Path) -> None:
    path = write(tmp_path, "notes.txt", PNG_HEAD + os.urandom(2000))
    assert sniff(path.read_bytes(), path.name) == BINARY
    error = refused(path)
    assert error.code == "binary_not_text"
    assert "PNG image" in error.message


def test_a_damaged_png_is_named(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "photo.png", PNG_HEAD + os.urandom(2000)))
    if tesseract_languages() is None:  # images are not read at all without OCR
        assert error.code == "unsupported_format" and "PNG image" in error.message
        assert "Tesseract" in error.message
    else:
        assert error.code == "corrupt_image" and "damaged" in error.message


def test_random_bytes_named_txt(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "random.txt", os.urandom(10_000)))
    assert error.code == "binary_not_text"


def test_executable(tmp_path: Path) -> None:
    error = refused(write(tmp_path, "setup", b"MZ\x90\x00\x03\x00\x00\x00" + os.urandom(500)))
    assert error.code == "unsupported_format"
    assert "executable" in error.message


def test_mostly_utf8_with_bad_bytes_is_decoded_and_flagged(tmp_path: Path) -> None:
    data = RU.encode() + b" \xff\xfe " + RU.encode() + b"\xc3"
    result = extract(write(tmp_path, "broken.txt", data))
    assert result.metadata["encoding"] == "utf-8"
    assert result.metadata["encoding_errors"] == 3
    assert result.text.startswith(RU)
    assert result.text.count("\ufffd") == 3


def test_text_beginning_like_a_magic_number_is_text(tmp_path: Path) -> None:
    result = extract(write(tmp_path, "cars.txt", b"BMW and MZ are brands; ID3 tags are metadata.\n"))
    assert result.text.startswith("BMW")
