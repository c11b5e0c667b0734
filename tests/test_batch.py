"""Batch name search: `POST /api/search/batch` in JSON and CSV, its limits, and how a list is read."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from archive.pipeline import IngestRequest
from archive.search.batch import (
    MAX_HITS,
    MAX_NAME_CHARS,
    MAX_NAMES,
    BatchRequest,
    InvalidBatch,
    name_query,
    read_names,
    safe_cell,
)
from tests.clients import client as client_for
from tests.conftest import SHARED
from tests.needs import needs

TEXTS = {
    "mamai-en.txt": "Journalist Zhanbolat Mamai was detained in Almaty after a peaceful rally.",
    "mamai-ru.txt": "Журналиста Жанболата Мамая задержали в Алматы после мирного митинга.",
    "picket.txt": "Активистку Айгүл Сейітову оштрафовали за одиночный пикет в Шымкенте.",
    "formula.txt": "A report that names =HYPERLINK and @Oral in its title.",
}


@pytest.fixture
def client(settings):
    with client_for(settings) as test_client:
        for name, text in TEXTS.items():
            title = '=HYPERLINK("http://x")' if name == "formula.txt" else ""
            created = test_client.post("/api/documents", files={"file": (name, io.BytesIO(text.encode()))},
                                       data={"title": title})
            assert created.status_code == 201, created.text
        yield test_client


def test_one_row_a_name_with_totals_hits_and_spellings(client):
    names = ["Mamai", "Жанболат Мамай", "Seitova", "Nobody Atall", " Mamai ", ""]
    answer = client.post("/api/search/batch", json={"names": names})
    assert answer.status_code == 200, answer.text
    rows = answer.json()["rows"]
    assert [row["name"] for row in rows] == ["Mamai", "Жанболат Мамай", "Seitova", "Nobody Atall"]
    by_name = {row["name"]: row for row in rows}
    assert by_name["Mamai"]["total"] == 2
    assert {"Mamai → Mamai", "Mamai → Мамая"} <= set(by_name["Mamai"]["matched"])
    assert by_name["Жанболат Мамай"]["total"] == 2  # every word required, in either script
    assert by_name["Seitova"]["matched"] == ["Seitova → Сейітову"]
    assert by_name["Nobody Atall"] == {"name": "Nobody Atall", "total": 0, "matched": [], "hits": []}
    hit = by_name["Seitova"]["hits"][0]
    assert hit["permalink"] == f"/d/{hit['id']}" and hit["title"]
    assert client.get(hit["permalink"]).status_code == 200


def test_exact_finds_only_the_typed_script(client):
    rows = client.post("/api/search/batch", json={"names": ["Mamai"], "exact": True}).json()["rows"]
    assert rows[0]["total"] == 1 and rows[0]["matched"] == ["Mamai → Mamai"]


def test_csv_when_asked_with_formula_cells_guarded(client):
    names = ["Mamai", "=HYPERLINK", "-Nobody", "@Oral"]
    response = client.post("/api/search/batch", json={"names": names, "hits": 2},
                           headers={"Accept": "text/csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["name", "documents", "matched",
                       "hit 1 title", "hit 1 link", "hit 2 title", "hit 2 link"]
    assert rows[1][:2] == ["Mamai", "2"] and rows[1][4].startswith("/d/")
    assert [row[0] for row in rows[2:]] == ["'=HYPERLINK", "'-Nobody", "'@Oral"]
    formula_title = [cell for row in rows for cell in row if "HYPERLINK(" in cell]
    assert formula_title and all(cell.startswith("'=") for cell in formula_title)


@pytest.mark.parametrize(("body", "says"), [
    ({"names": []}, "no names"),
    ({"names": ["", "  "]}, "no names"),
    ({"names": [f"name {n}" for n in range(MAX_NAMES + 1)]}, f"at most {MAX_NAMES}"),
    ({"names": ["Mamai", "x" * (MAX_NAME_CHARS + 1)]}, "name 2 is"),
    ({"names": ["Mamai"], "lang": ["xx"]}, "unknown language"),
    ({"names": ["Mamai"], "hits": 0}, "greater than or equal"),
    ({"names": "Mamai"}, "valid list"),
])
def test_limits_and_bad_lists_are_clear_422s(client, body, says):
    response = client.post("/api/search/batch", json=body)
    assert response.status_code == 422
    assert says in response.text


def test_the_schema_describes_the_rows(client):
    operation = client.get("/openapi.json").json()["paths"]["/api/search/batch"]["post"]
    content = operation["responses"]["200"]["content"]
    assert "text/csv" in content and "$ref" in content["application/json"]["schema"]


def test_names_from_a_text_list_or_a_csv_column():
    assert read_names("Mamai\r\nЖанболат Мамай\n\n".encode()) == ["Mamai", "Жанболат Мамай", ""]
    assert read_names("Мамай\nСейітова\n".encode("cp1251", errors="replace"))[0] == "Мамай"
    by_header = "id;name;city\n1;Mamai;Almaty\n2;Сейітова;Шымкент\n".encode()
    assert read_names(by_header, "list.csv") == ["Mamai", "Сейітова"]
    first_column = '"Mamai, Zhanbolat",Almaty\nTleuzhan,Oral\n'.encode("utf-8-sig")
    assert read_names(first_column, "list.csv") == ["Mamai, Zhanbolat", "Tleuzhan"]
    with pytest.raises(InvalidBatch):
        read_names(bytes(range(256)) * 4, "photo.csv")


def test_a_name_is_searched_as_its_words():
    assert name_query('-Mamai "Zhanbolat" OR') == "+Mamai +Zhanbolat +OR"
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("Mamai") == "Mamai" and safe_cell(3) == "3"


DEV_EVAL = SHARED / "dev-eval"
REAL_NAMES = ["Kasym Kozhantaev", "Алтынгуль Ишимова", "Sabit Syzdykbek", "Тулеген Жукеев", "Fariza Ospan"]
# Nobody in the set: two made-up names (one of ordinary words), and a real surname with another first name.
MADE_UP = ["Nobody Here", "Иван Несуществующий", "Ерлан Кожантаев"]


@needs(DEV_EVAL.exists(), "../shared/dev-eval beside the repository")
def test_a_row_is_a_name_every_word_held_as_a_name(archive):
    """The dev-eval documents: a real person's documents in every script, and none for a name nobody
    has, though the set holds `nobody`, `here` and the surname Кожантаев."""
    results = list(archive.ingest_paths([DEV_EVAL / "docs"], IngestRequest()))
    file_of = {r.id: Path(r.file).relative_to(DEV_EVAL).as_posix() for r in results}
    queries = json.loads((DEV_EVAL / "queries.json").read_text("utf-8"))["queries"]
    relevant = {q["query"]: set(q["relevant"]) for q in queries}
    rows = archive.search_batch(BatchRequest.create([*REAL_NAMES, *MADE_UP], hits=MAX_HITS))
    for row in rows[:len(REAL_NAMES)]:
        assert {file_of[hit.id] for hit in row.hits} == relevant[row.name], row.name
        assert row.total == len(relevant[row.name])
    assert [(row.name, row.total, row.hits) for row in rows[len(REAL_NAMES):]] == [
        (name, 0, []) for name in MADE_UP]
