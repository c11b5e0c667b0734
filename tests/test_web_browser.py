"""The pages in a real Chromium against a real server: htmx search, permalinks, languages, uploads."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.pipeline import IngestRequest
from archive.search.batch import BatchRequest
from archive.settings import load_settings
from tests.browser import CHROMIUM, english_text, keep_screenshot, launch, serve
from tests.needs import needs
from web.app import create_app

pytestmark = [
    pytest.mark.browser,
    needs(CHROMIUM.exists(), f"Chromium at {CHROMIUM} (apt-get install chromium)"),
]
sync_api = pytest.importorskip("playwright.sync_api")

SCREENSHOTS = Path("/tmp")
DOCUMENTS = {
    "mamai-en.txt": "Zhanbolat Mamai detained in Almaty\n\nJournalist Zhanbolat Mamai was detained in Almaty "
                    "after a peaceful rally. His lawyers said the police gave no reason for the arrest.",
    "mamai-ru.txt": "Задержание Жанболата Мамая\n\nЖурналиста Жанболата Мамая задержали в Алматы после "
                    "мирного митинга. Адвокаты сообщили, что полиция не назвала причину задержания.",
    "mamai-kk.txt": "Жанболат Мамайдың ісі\n\nЖурналист Жанболат Мамайдың ісі Алматы қалалық сотында "
                    "қаралды. Қорғаушылары полиция ұстаудың себебін түсіндірмегенін айтты.",
}


ARCHIVIST, PASSWORD = "alice", "a long enough test password"
archive_of: dict[str, object] = {}  # the archive behind each served URL, for tests that add to it


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    app = create_app(load_settings(home=tmp_path_factory.mktemp("archive")))
    archive = app.state.archive
    archive.accounts.add_user(ARCHIVIST, "archivist", PASSWORD)
    for name, text in DOCUMENTS.items():
        archive.ingest_upload(io.BytesIO(text.encode()), name, IngestRequest())
    with serve(app) as url:
        archive_of[url] = archive
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, base_url: str) -> Iterator:
    context = browser.new_context(base_url=base_url, locale="en-GB", viewport={"width": 1200, "height": 900})
    page = context.new_page()
    context.archive = archive_of[base_url]
    sign_in(page)
    yield page
    context.close()


def sign_in(page) -> None:
    """As an archivist would: the sign-in page, then back where they were."""
    page.goto("/login?next=/")
    page.fill("#name", ARCHIVIST)
    page.fill("#password", PASSWORD)
    page.click("form.login-form button[type=submit]")
    page.wait_for_url("**/")


def mark_document(page) -> None:
    """Sets a flag that a full page load would wipe out."""
    page.evaluate("window.__sameDocument = true")


def same_document(page) -> bool:
    return page.evaluate("window.__sameDocument === true")


def test_search_updates_in_place_then_permalink(page) -> None:
    page.goto("/")
    assert page.evaluate("document.activeElement.id") == "q"  # autofocus
    mark_document(page)
    page.locator("#q").press_sequentially("Mamai", delay=40)
    page.wait_for_selector("#results .hit")
    page.wait_for_url(re.compile(r"/search\?q=Mamai$"))
    assert same_document(page), "results came with a page reload"
    assert page.locator("#results mark").count() > 0
    assert "documents found" in page.locator(".result-count").inner_text()
    page.screenshot(path=str(SCREENSHOTS / "web-search.png"), full_page=True)

    page.locator("#filters input[value='ru']").check()
    page.wait_for_url(re.compile(r"language=ru"))
    page.wait_for_function("document.querySelectorAll('#results .hit').length === 1")
    assert same_document(page)

    page.locator("#results .hit-title a").first.click()
    page.wait_for_url(re.compile(r"/d/[^/]+$"))
    sha256 = page.locator("#sha256").inner_text()
    assert re.fullmatch(r"[0-9a-f]{64}", sha256)
    assert sha256 in page.locator("#citation").inner_text()
    assert page.locator("a", has_text="Download original").get_attribute("href").endswith("/original")
    page.screenshot(path=str(SCREENSHOTS / "web-document.png"), full_page=True)

    page.go_back()
    page.wait_for_selector("#results .hit")  # the pushed URL restores the results


def test_switch_interface_to_kazakh(page) -> None:
    """Every page a researcher uses, in Kazakh: no interface text is left in English (names, titles,
    file names and the documents' own text stay as they are written)."""
    page.goto("/search?q=Mamai")
    assert page.locator("h1").inner_text() == "Search the archive"
    page.locator("#lang-switch a", has_text="Қазақша").click()
    page.wait_for_selector("html[lang='kk']")
    assert page.locator("h1").inner_text() == "Мұрағаттан іздеу"
    assert page.locator("label[for='q']").inner_text() == "Есімдер, жер атаулары, сөздер"
    assert page.input_value("#q") == "Mamai"  # the query survives the switch
    assert page.locator("#filters [data-facet=language]").count() == 1  # with its facets
    assert english_text(page) == []
    keep_screenshot(page, "search-kk")

    page.locator("#results .hit-title a").first.click()  # the choice is remembered
    page.wait_for_url(re.compile(r"/d/"))
    assert page.locator("#record-heading").inner_text() == "Мұрағаттық жазба"
    assert english_text(page) == []
    page.locator(".doc-entities a").first.click()
    page.wait_for_url(re.compile(r"/e/"))
    assert english_text(page) == []

    page.goto("/upload")
    assert page.locator("h1").inner_text() == "Материал қосу"
    assert english_text(page) == []
    page.goto("/batch")
    page.fill("#names", "Zhanbolat Mamai\nNobody Here")
    page.click("#batch-form button[type=submit]")
    page.locator("#batch-table tbody tr").nth(1).wait_for()
    assert english_text(page) == []


def test_upload_a_file_through_the_form(page, tmp_path: Path) -> None:
    original = tmp_path / "field-report.txt"
    original.write_text("Field report from Uralsk\n\nSingle pickets outside the akimat were dispersed "
                        "within minutes; two activists were fined.", encoding="utf-8")
    page.goto("/upload")
    mark_document(page)
    page.set_input_files("#file", original)
    page.fill("#file-title", "Uralsk pickets, field report")
    page.fill("#source", "Volunteer monitor, Uralsk")
    page.click("text=Archive the file")
    result = page.locator("#file-result .notice-ok")
    result.wait_for()
    assert same_document(page)
    assert "Archived." in result.inner_text()
    link = result.locator("a[href^='/d/']")
    assert link.inner_text() == "Uralsk pickets, field report"
    page.screenshot(path=str(SCREENSHOTS / "web-upload.png"), full_page=True)

    junk = {"name": "scan.txt", "mimeType": "text/plain", "buffer": bytes(range(256)) * 8}
    page.set_input_files("#file", junk)
    page.click("text=Archive the file")
    failed = page.locator("#file-result .notice-error")
    failed.wait_for()  # a 422 fragment is swapped in too
    assert "Could not be archived." in failed.inner_text() and "scan.txt" in failed.inner_text()
    assert same_document(page)

    page.set_input_files("#file", original)  # the same bytes again
    page.click("text=Archive the file")
    page.locator("#file-result", has_text="Already in the archive").wait_for()
    page.locator("#file-result a[href^='/d/']").click()
    page.wait_for_url(re.compile(r"/d/"))
    assert "Volunteer monitor, Uralsk" in page.locator("main").inner_text()


def test_search_works_without_javascript(browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto("/")
    page.fill("#q", "Мамай")
    page.press("#q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q="))
    assert page.locator("#results .hit").count() >= 1
    context.close()


def test_a_hostile_title_and_text_stay_inert_in_the_browser(page) -> None:
    """Stored XSS: markup in a document's title and text is shown as text, and no script runs."""
    hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'
    archive = page.context.archive
    created = archive.ingest_upload(
        io.BytesIO(f"Aibek Nurlanov {hostile}\n\nA report on Nurlanov, with {hostile} in its text.".encode()),
        "hostile.txt", IngestRequest(title=f"Nurlanov {hostile}"),
    )  # a name of its own: it is no related document of the others
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in (f"/d/{created.id}", "/search?q=Nurlanov"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__pwned === undefined"), path
        assert page.locator("img[src=x]").count() == 0
    assert dialogs == []
    page.goto(f"/d/{created.id}")
    assert "<script>" in page.locator("h1").inner_text()  # shown as the text it is


RULINGS = [  # (file, text, kind, metadata): the facets test's own documents, found by their name alone
    ("sadykov-oral-2020.txt", "Aidos Sadykov was fined by the court in Oral.", "ruling",
     {"court": "Oral city court", "decision_date": "2020-03-01"}),
    ("sadykov-oral-2021.txt", "The appeal of Aidos Sadykov was heard in Oral.", "ruling",
     {"court": "Oral city court", "decision_date": "2021-06-02"}),
    ("sadykov-almaty-2021.txt", "The case of Aidos Sadykov was sent to Almaty.", "ruling",
     {"court": "Almaty district court", "decision_date": "2021-09-03"}),
    ("sadykov-vlast-2022.txt", "Journalists recall the case of Aidos Sadykov.", "media",
     {"publisher": "Vlast.kz", "published_date": "2022-01-04"}),
]


def count_of(page, facet: str, value: str) -> str:
    label = page.locator(f"#filters [data-facet={facet}] label", has_text=value)
    return label.locator(".count").inner_text()


def hit_count(page, n: int) -> None:
    page.wait_for_function(f"document.querySelectorAll('#results .hit').length === {n}")


def test_filter_by_year_and_court_then_sort_by_date(page) -> None:
    for name, text, kind, metadata in RULINGS:
        request = IngestRequest(kind=kind, metadata=metadata)
        page.context.archive.ingest_upload(io.BytesIO(text.encode()), name, request)
    page.goto("/search?q=Sadykov")
    mark_document(page)
    assert count_of(page, "year", "2021") == "2" and count_of(page, "court", "Oral city court") == "2"
    assert count_of(page, "kind", "Media") == "1"

    page.locator("#filters input[name=year][value='2021']").check()
    page.wait_for_url(re.compile(r"year=2021"))
    hit_count(page, 2)
    # The other facets follow the year chosen; the year's own facet still offers the others.
    assert count_of(page, "court", "Oral city court") == "1" and count_of(page, "kind", "Media") == "0"
    assert count_of(page, "year", "2020") == "1"

    page.locator("#filters input[name=court][value='Oral city court']").check()
    page.wait_for_url(re.compile(r"court=Oral"))
    hit_count(page, 1)
    assert "2021-06-02" in page.locator("#results .hit-date").inner_text()
    assert page.locator("#filters input[name=year][value='2021']").is_checked()
    assert same_document(page)
    keep_screenshot(page, "search-facets")

    assert page.locator(".chips a", has_text="2021").inner_text() == "Year: 2021 ×"
    page.locator(".chips a", has_text="2021").click()  # a chosen value is removed from its chip
    page.wait_for_url(lambda url: "year=" not in url)
    hit_count(page, 2)
    assert not page.locator("#filters input[name=year][value='2021']").is_checked()

    page.select_option("#sort", "date")
    page.wait_for_url(re.compile(r"sort=date"))
    page.wait_for_function(
        "document.querySelector('#results .hit-date time').textContent === '2021-06-02'")
    days = [t.inner_text() for t in page.locator("#results .hit-date time").all()]
    assert days == ["2021-06-02", "2020-03-01"]

    page.goto("/search?q=Sadykov&sort=date")
    days = [t.inner_text() for t in page.locator("#results .hit-date time").all()]
    assert days == sorted(days, reverse=True) and len(days) == 4
    page.goto("/search?q=Sadykov&from=2021-13-01")
    assert "cannot be used" in page.locator("#results [role=alert]").inner_text()


BATCH_NAMES = ["Zhanbolat Mamai", "Мамай", "Almaty", "=Tleuzhan", "Nobody Anywhere"]


def test_batch_search_of_five_names_and_its_csv(page) -> None:
    page.goto("/")
    page.locator(".site-nav a[href='/batch']").click()
    page.wait_for_url("**/batch")
    mark_document(page)
    page.fill("#names", "\n".join(BATCH_NAMES))
    page.click("#batch-form button[type=submit]")
    page.locator("#batch-table tbody tr").nth(4).wait_for()
    assert same_document(page)
    assert page.locator("#batch-progress").get_attribute("value") == "5"
    assert "5 of 5 names searched" in page.locator("#batch-status").inner_text()
    rows = page.locator("#batch-table tbody tr")
    assert rows.nth(0).locator("th").inner_text() == "Zhanbolat Mamai"
    expected = page.context.archive.search_batch(BatchRequest.create(BATCH_NAMES[:1]))[0].total
    assert expected >= 3  # the module's three documents, and those other tests add
    assert rows.nth(0).locator("td.num").inner_text() == str(expected)
    assert "Мамайдың" in rows.nth(1).inner_text()  # the spelling that matched
    assert rows.nth(4).locator("td.num").inner_text() == "0"
    keep_screenshot(page, "batch")

    with page.expect_download() as download_info:
        page.click("#batch-csv")
    download = download_info.value
    assert download.suggested_filename == "batch-search.csv"
    table = list(csv.reader(io.StringIO(Path(download.path()).read_text("utf-8-sig"))))
    assert [row[0] for row in table[1:]] == [*BATCH_NAMES[:3], "'=Tleuzhan", "Nobody Anywhere"]
    assert table[1][1] == str(expected) and table[1][4].startswith("/d/")

    page.locator("#batch-table tbody tr").nth(1).locator("a").first.click()  # the name travels
    page.wait_for_url(re.compile(r"/d/[^/?]+\?q="))
    assert page.locator(".doc-text mark").count() >= 1


def test_batch_search_without_javascript(browser, base_url: str, tmp_path: Path) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    names = tmp_path / "names.csv"
    names.write_text("id;name\n1;Mamai\n2;Жанболат\n", encoding="utf-8")
    page.goto("/batch")
    page.set_input_files("#names-file", names)
    page.click("#batch-form button[type=submit]")
    page.wait_for_selector("#batch-table")
    assert page.locator("#batch-table tbody tr").count() == 2
    assert page.locator("#batch-table tbody tr th").all_inner_texts() == ["Mamai", "Жанболат"]
    context.close()


MIXED_REPORT = (
    "Monitoring report on the Mamai case\n\n"
    "The trial of journalist Zhanbolat Mamai continued in Almaty. Observers from three organisations "
    "attended the hearing and noted that the defence was not allowed to question the witnesses.\n\n"
    "Адвокат Жанболата Мамая заявил журналистам, что суд отказал защите в допросе свидетелей и "
    "не приобщил к делу видеозапись митинга, которую представила сторона защиты.\n\n"
    "The next hearing is scheduled for the following week; the monitors will attend it as well."
)


def test_a_permalink_from_a_result_marks_the_name_and_keeps_the_search(page) -> None:
    page.context.archive.ingest_upload(io.BytesIO(MIXED_REPORT.encode()), "mixed-report.txt", IngestRequest())
    page.goto("/search?q=Мамая&kind=report")
    hit = page.locator("#results .hit-title a", has_text="Monitoring report on the Mamai case")
    hit.click()
    page.wait_for_url(re.compile(r"/d/[^/?]+\?q=.+kind=report"))
    marked = page.locator(".doc-text mark").all_inner_texts()
    assert "Mamai" in marked and "Мамая" in marked  # every spelling of the name, in both scripts
    assert "“Мамая” is marked in" in page.locator("#marks-note").inner_text()
    marker = page.locator(".doc-text p[lang='ru'] .lang-marker")
    assert marker.inner_text() == "Russian"  # a paragraph in another language than the document's
    assert page.locator(".doc-text p[lang='en'] .lang-marker").count() == 0
    assert page.locator("#related li").count() >= 1  # the other Mamai documents
    keep_screenshot(page, "reading")
    page.click("#back-to-search")
    page.wait_for_url(re.compile(r"/search\?q=.+kind=report"))
    assert page.input_value("#q") == "Мамая"
    assert page.locator("#filters input[value='report']").is_checked()


def test_upload_three_rulings_by_drag_and_drop(page) -> None:
    page.goto("/upload")
    mark_document(page)
    page.select_option("#kind", "ruling")
    assert page.locator(".kind-fields[data-kind='media']").is_hidden()
    page.fill("#court", "Specialised administrative court of Oral")
    page.fill("#decision-date", "2024-03-05")
    rulings = [
        {"name": f"ruling-{n}.txt", "mimeType": "text/plain",
         "text": f"Постановление № {n}\n\nСуд города Уральска рассмотрел дело активистки Айгерим "
                 f"Тлеужан (протокол {n}) и назначил административный штраф за одиночный пикет."}
        for n in range(1, 4)
    ]
    dropped = page.evaluate_handle(
        """(files) => { const data = new DataTransfer();
             files.forEach((f) => data.items.add(new File([f.text], f.name, {type: f.mimeType})));
             return data; }""", rulings)
    page.dispatch_event("#drop-zone", "drop", {"dataTransfer": dropped})
    items = page.locator("#file-list .file-item")
    assert items.count() == 3
    for n in range(3):  # each ruling its own case number
        items.nth(n).locator(".per-file-case").fill(f"5-{n + 1}/2024")
    page.click("text=Archive the file")
    page.locator("#file-list .file-item.file-done").nth(2).wait_for()
    assert same_document(page)
    assert page.locator("#file-list .notice-ok").count() == 3
    keep_screenshot(page, "upload")

    archive = page.context.archive
    ids = [link.get_attribute("href").removeprefix("/d/")
           for link in page.locator("#file-list .notice-ok a[href^='/d/']").all()]
    records = [archive.document(doc_id) for doc_id in ids]
    assert [r.metadata["case_number"] for r in records] == ["5-1/2024", "5-2/2024", "5-3/2024"]
    assert {r.metadata["court"] for r in records} == {"Specialised administrative court of Oral"}
    assert {str(r.kind) for r in records} == {"ruling"}

    page.dispatch_event("#drop-zone", "drop", {"dataTransfer": dropped})  # the same three again
    page.click("text=Archive the file")
    page.locator("#file-list .file-item.file-done").nth(2).wait_for()
    assert page.locator("#file-list", has_text="Already in the archive").count() == 1
    assert page.locator("#file-list .notice-info a[href^='/d/']").count() == 3


def test_upload_in_russian_says_why_a_file_failed_in_russian(page) -> None:
    page.goto("/upload?lang=ru")
    page.set_input_files("#file", {"name": "пусто.txt", "mimeType": "text/plain", "buffer": b""})
    page.click("#upload-form button[type=submit]")
    failed = page.locator("#file-list .notice-error")
    failed.wait_for()
    assert "Не удалось поместить в архив." in failed.inner_text() and "Файл пустой." in failed.inner_text()
    page.select_option("#kind", "ruling")  # the fields of a ruling, for the README's picture
    keep_screenshot(page, "upload-ru")


def test_the_failures_page_in_russian(page) -> None:
    archive = page.context.archive
    for name, data in (("протокол.pdf", b"%PDF-1.7 not a PDF"), ("пусто.txt", b"")):
        archive.ingest_upload(io.BytesIO(data), name, IngestRequest())
    page.goto("/failures?lang=ru")
    reasons = page.locator("#failures .failure-reason").all_inner_texts()
    assert "Файл повреждён и не читается." in reasons and "Файл пустой." in reasons
    assert english_text(page) == []  # the server's English sentences are marked as such
    keep_screenshot(page, "failures")


def test_several_files_without_javascript(browser, base_url: str) -> None:
    context = browser.new_context(base_url=base_url, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    sign_in(page)
    page.goto("/upload")
    assert page.locator(".kind-fields[data-kind='ruling']").is_visible()  # every field, no script to choose
    page.set_input_files("#file", [
        {"name": f"nojs-{n}.txt", "mimeType": "text/plain",
         "buffer": f"Field note {n} from Aktobe\n\nA picket of {n + 2} people was dispersed.".encode()}
        for n in range(2)
    ])
    page.fill("#publisher", "Volunteer monitors")
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/upload")
    results = page.locator("#file-result .notice-ok")
    assert results.count() == 2
    assert "nojs-0.txt" in results.nth(0).inner_text() and "nojs-1.txt" in results.nth(1).inner_text()
    context.close()
