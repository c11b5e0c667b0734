"""Titles that tell documents apart: rulings by court, case number and date; page chrome never."""

from __future__ import annotations

from archive.domain import Kind
from archive.pipeline import IngestRequest
from archive.service import Archive
from archive.settings import load_settings
from ingest.extract import extract
from ingest.prepare import prepare

RULING = """СПЕЦИАЛИЗИРОВАННЫЙ АДМИНИСТРАТИВНЫЙ СУД ГОРОДА ШЫМКЕНТ

ПОСТАНОВЛЕНИЕ
по делу об административном правонарушении

Дело № {number}
{day} февраля 2020 года г. Шымкент

Специализированный административный суд города Шымкент в составе судьи [обезличено], рассмотрев дело
об административном правонарушении, предусмотренном частью 1 статьи 488 КоАП, в отношении {name},

УСТАНОВИЛ:

{name} провёл одиночный пикет.
"""


def _prepared(tmp_path, name: str, text: str, **given):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return prepare(extract(path), name, **given)


def test_rulings_of_one_court_have_titles_of_their_own(tmp_path):
    first = _prepared(tmp_path, "a.txt", RULING.format(number="5990-20-00-3/418", day=4, name="Сыздыкбек С."))
    second = _prepared(tmp_path, "b.txt", RULING.format(number="5990-20-00-3/502", day=11, name="Мамай Ж."))
    assert first.kind == second.kind == Kind.RULING
    assert (
        first.title
        == "Специализированный административный суд города Шымкент, № 5990-20-00-3/418, 2020-02-04"
    )
    assert second.title != first.title and "5990-20-00-3/502" in second.title


def test_the_archivists_title_and_the_documents_own_come_first(tmp_path):
    text = RULING.format(number="1-1/2020", day=4, name="Сыздыкбек С.")
    assert _prepared(tmp_path, "a.txt", text, title="Постановление по Сыздыкбеку").title == (
        "Постановление по Сыздыкбеку"
    )
    page = f"<html><head><title>Постановление о пикете</title></head><body><pre>{text}</pre></body></html>"
    assert _prepared(tmp_path, "a.html", page).title == "Постановление о пикете"


def test_page_chrome_never_becomes_a_title(tmp_path):
    text = "Quick search\nAdvanced search\nReset all\nAll news\n\nKazakhstan: pickets in Almaty\n\nA."
    assert _prepared(tmp_path, "a.txt", text).title == "Kazakhstan: pickets in Almaty"
    russian = "Поиск\n\nЗадержания в Алматы\n\nТекст."
    assert _prepared(tmp_path, "b.txt", russian).title == "Задержания в Алматы"
    page = "<html><head><title>Quick search</title></head><body><h1>Пикет</h1><p>Т.</p></body></html>"
    assert _prepared(tmp_path, "c.html", page).title != "Quick search"


def test_a_short_heading_block_is_not_a_menu(tmp_path):
    text = "KIBHR\nMonitoring report\nMarch 2020\n\nThe bureau recorded forty detentions."
    assert _prepared(tmp_path, "a.txt", text).title == "KIBHR"


def test_stored_rulings_are_told_apart(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(RULING.format(number="5990-20-00-3/418", day=4, name="Сыздыкбек С."))
    (folder / "b.txt").write_text(RULING.format(number="5990-20-00-3/502", day=11, name="Мамай Ж."))
    archive = Archive(load_settings(home=tmp_path / "home", backend="embedded"))
    try:
        results = list(archive.ingest_paths([folder], IngestRequest()))
        titles = {result.title for result in results}
        assert len(titles) == 2
        document = archive.document(results[0].id)
        assert document.metadata["case_number"] == "5990-20-00-3/418"
        assert document.metadata["decision_date"] == "2020-02-04"
    finally:
        archive.close()
