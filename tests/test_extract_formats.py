"""Every supported format, from real files generated here and from the shared dev-eval pages."""

from __future__ import annotations

import codecs
import json
import re
from pathlib import Path

import lxml.html
import pytest

from ingest.extract import extract, extract_html
from ingest.sniff import DOCX, HTML, MARKDOWN, PDF, PLAIN, sniff
from tests.fixtures.make_fixtures import (
    EN,
    KK,
    RU,
    docx_bytes,
    fpdf_pdf,
    html_page,
    minimal_pdf,
    with_leading_entry,
)
from tests.needs import missing_part, needs

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
DEV_EVAL = SHARED / "dev-eval"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def squash(text: str) -> str:
    return " ".join(text.split())


# --- HTML ---------------------------------------------------------------------------------------


def test_html_keeps_article_drops_furniture(tmp_path: Path) -> None:
    page = html_page("Activist detained after picket", [EN, RU, KK]).encode()
    result = extract(write(tmp_path, "page.html", page))
    assert result.media_type == HTML
    for paragraph in (EN, RU, KK):
        assert paragraph in result.text
    lowered = result.text.lower()
    for furniture in (
        "cookie",
        "world news",
        "economy and markets",
        "weather forecast",
        "copyright",
        "privacy",
    ):
        assert furniture not in lowered
    assert result.title == "Activist detained after picket"
    assert result.metadata["publisher"] == "The Example Herald"
    assert result.metadata["published_date"].startswith("2021-03-04")
    assert result.metadata["canonical_url"] == "https://herald.example/news/2021/03/04/story"
    assert "\n\n" in result.text


@pytest.mark.parametrize("charset", ["windows-1251", "koi8-r"])
def test_html_legacy_charset_from_meta(tmp_path: Path, charset: str) -> None:
    page = html_page("Задержание активиста", [RU, RU.replace("Суд", "Городской суд")], charset=charset)
    result = extract(write(tmp_path, "ru.html", page.encode(charset)))
    assert RU in result.text
    assert result.title == "Задержание активиста"
    assert codecs.lookup(result.metadata["encoding"]).name == codecs.lookup(charset).name


def test_html_undeclared_cp1251_is_detected() -> None:
    page = f"<html><head><title>Приговор</title></head><body><p>{RU}</p><p>{RU}</p></body></html>"
    result = extract_html(page.encode("cp1251"))
    assert RU in result.text


def test_html_falls_back_to_body_text() -> None:
    result = extract_html(b"<html><body><div>Short note.</div></body></html>")
    assert result.text == "Short note."


def test_html_utf16_with_bom(tmp_path: Path) -> None:
    page = html_page("Сот үкімі", [KK, KK.replace("Сот", "Аудандық сот")])
    result = extract(write(tmp_path, "kk.html", codecs.BOM_UTF16_LE + page.encode("utf-16-le")))
    assert result.media_type == HTML
    assert KK in result.text


def _dev_eval_pages() -> list[Path]:
    return sorted((DEV_EVAL / "docs").glob("*.html")) if DEV_EVAL.exists() else []


@needs(DEV_EVAL.exists(), f"the shared dev-eval set at {DEV_EVAL}")
@pytest.mark.parametrize("path", _dev_eval_pages(), ids=lambda p: p.name)
def test_dev_eval_html_article_kept_furniture_dropped(path: Path) -> None:
    result = extract(path)
    text = squash(result.text)
    tree = lxml.html.fromstring(path.read_bytes())
    article = tree.xpath("//article")[0]
    paragraphs = [squash(p.text_content()) for p in article.xpath(".//p")]
    for paragraph in (p for p in paragraphs if len(p) > 80):
        assert paragraph in text
    furniture = tree.xpath(
        "//nav | //footer | //aside | //header | //*[contains(@class, 'cookie') or contains(@id, 'cookie')]"
    )
    assert furniture
    for element in furniture:
        for line in element.text_content().split("\n"):
            line = squash(line)
            if len(line) > 20:
                assert line not in text, f"furniture kept: {line!r}"
    assert "cookie" not in text.lower()
    manifest = json.loads((DEV_EVAL / "manifest.json").read_text(encoding="utf-8"))
    expected = next(d["title"] for d in manifest["documents"] if d["file"].endswith(path.name))
    assert result.title == expected


# --- PDF ----------------------------------------------------------------------------------------


def test_pdf_cyrillic_text_layer(tmp_path: Path) -> None:
    pytest.importorskip("fpdf", reason="fpdf2 builds the Cyrillic test PDF")
    try:
        data = fpdf_pdf([RU, KK, EN], title="Мониторинг судебных процессов", author="Бюро")
    except FileNotFoundError as missing:
        pytest.skip(missing_part(f"a Cyrillic font (apt-get install fonts-dejavu-core): {missing}"))
    result = extract(write(tmp_path, "report.bin", data))
    assert result.media_type == PDF
    text = squash(result.text)
    for paragraph in (RU, KK, EN):
        assert squash(paragraph) in text
    assert result.title == "Мониторинг судебных процессов"
    assert result.metadata["page_count"] == 1
    assert result.metadata["author"] == "Бюро"


def test_pdf_minimal_title_from_first_line(tmp_path: Path) -> None:
    result = extract(write(tmp_path, "a.pdf", minimal_pdf(["Annual report", "Freedom of assembly in 2020"])))
    assert result.title == "Annual report"
    assert "Freedom of assembly in 2020" in result.text
    assert result.metadata["page_count"] == 1


# --- DOCX ---------------------------------------------------------------------------------------


def test_docx_paragraphs_tables_properties(tmp_path: Path) -> None:
    data = docx_bytes(
        "Отчёт о мониторинге",
        "Задержания в феврале",
        [RU, KK],
        table=[["Дата", "Город"], ["22.02.2020", "Алматы"]],
        author="Наблюдатель",
    )
    result = extract(write(tmp_path, "report.docx", data))
    assert result.media_type == DOCX
    assert result.title == "Отчёт о мониторинге"
    assert result.metadata["author"] == "Наблюдатель"
    assert "created" in result.metadata
    parts = result.text.split("\n\n")
    assert parts[:3] == ["Задержания в феврале", RU, KK]
    assert "22.02.2020 | Алматы" in parts


def test_docx_title_from_heading_and_late_word_parts(tmp_path: Path) -> None:
    data = with_leading_entry(docx_bytes(None, "Сот үкімі", [KK]))
    path = write(tmp_path, "upload", data)
    assert sniff(data[:8192]) != DOCX  # the head alone cannot tell …
    result = extract(path)  # … the full ZIP directory can
    assert result.media_type == DOCX
    assert result.title == "Сот үкімі"
    assert KK in result.text


# --- plain text and Markdown ---------------------------------------------------------------------

RU_SHORT = "Суд назначил штраф активисту."


def _encodings() -> list[tuple[str, str, bytes, str]]:
    cases = []
    for label, text in (("ru", RU), ("kk", KK), ("en", EN), ("ru-short", RU_SHORT)):
        cases += [
            (label, "utf-8", text.encode("utf-8"), "utf-8"),
            (label, "utf-8 BOM", codecs.BOM_UTF8 + text.encode("utf-8"), "utf-8"),
            (label, "utf-16-le BOM", codecs.BOM_UTF16_LE + text.encode("utf-16-le"), "utf-16-le"),
            (label, "utf-16-be BOM", codecs.BOM_UTF16_BE + text.encode("utf-16-be"), "utf-16-be"),
            (label, "utf-16-le", text.encode("utf-16-le"), "utf-16-le"),
            (label, "utf-16-be", text.encode("utf-16-be"), "utf-16-be"),
        ]
    for label, text in (("ru", RU), ("ru-short", RU_SHORT)):
        for name in ("cp1251", "koi8-r", "cp866", "iso8859-5"):
            cases.append((label, name, text.encode(name), name))
    cases.append(("kk", "kz1048", KK.encode("kz1048"), "kz1048"))
    return cases


@pytest.mark.parametrize(
    ("label", "name", "data", "expected"), _encodings(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_text_in_every_encoding(tmp_path: Path, label: str, name: str, data: bytes, expected: str) -> None:
    original = {"ru": RU, "kk": KK, "en": EN, "ru-short": RU_SHORT}[label]
    result = extract(write(tmp_path, "note.txt", data))
    assert result.media_type == PLAIN
    assert result.text == original
    if label != "en" or expected.startswith("utf-16"):  # ASCII-only English is valid in many encodings
        assert codecs.lookup(result.metadata["encoding"]).name == codecs.lookup(expected).name


def test_text_paragraphs_and_title(tmp_path: Path) -> None:
    raw = f"Отчёт\r\n\r\n\r\n{RU}  \r\n\r\n{KK}\r\n"
    result = extract(write(tmp_path, "report.txt", raw.encode("cp1251", errors="ignore")))
    assert result.title == "Отчёт"
    assert result.text.startswith("Отчёт\n\n" + RU)


def test_markdown_is_stripped(tmp_path: Path) -> None:
    source = (
        "# Доклад о задержаниях\n\n"
        "Это **важный** доклад, см. [сайт бюро](https://bureau.example/report) и *приложение*.\n\n"
        "## Раздел 1\n\n- первый пункт\n- второй `пункт`\n\n> цитата из решения суда\n"
    )
    path = write(tmp_path, "report.md", source.encode())
    result = extract(path)
    assert result.media_type == MARKDOWN
    assert result.title == "Доклад о задержаниях"
    assert "Это важный доклад, см. сайт бюро и приложение." in result.text
    for markup in ("#", "**", "](", "`", "> "):
        assert markup not in result.text
    assert "первый пункт" in result.text and "цитата из решения суда" in result.text


def test_markdown_sniffed_without_md_name() -> None:
    head = b"# Title\n\nSee [the report](https://example.org/r) for **details**.\n"
    assert sniff(head, "notes.txt") == MARKDOWN
    assert sniff(b"Just a sentence - with a dash.\n", "notes.txt") == PLAIN


@needs(DEV_EVAL.exists(), f"the shared dev-eval set at {DEV_EVAL}")
def test_dev_eval_text_documents_read_as_utf8() -> None:
    for path in sorted((DEV_EVAL / "docs").glob("*.txt")):
        result = extract(path)
        assert result.media_type == PLAIN
        assert result.metadata["encoding"] == "utf-8"
        assert squash(result.text) == squash(path.read_text(encoding="utf-8"))
        assert result.title and not re.search(r"\s{2,}", result.title)


def test_original_name_for_a_blob_named_by_hash(tmp_path: Path) -> None:
    path = write(tmp_path, "9f86d081884c7d65", "Заголовок\n\nТекст с *акцентом*.\n".encode())
    assert extract(path).media_type == PLAIN
    result = extract(path, name="note.md")
    assert result.media_type == MARKDOWN
    assert result.text == "Заголовок\n\nТекст с акцентом."
