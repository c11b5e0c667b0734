"""Facets, dates and the sort through the service and the JSON API, on both backends: the counts follow
the query, the filters and an archivist's edit; malformed dates are refused with 422."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from archive.pipeline import IngestRequest
from archive.settings import Settings
from tests.clients import client as client_for

RULINGS = [  # (file, text, kind, metadata)
    ("oral-2020.txt", "Aidos Sadykov was fined by the court in Oral.", "ruling",
     {"court": "Oral city court", "decision_date": "2020-03-01"}),
    ("oral-2021.txt", "Appeal of Aidos Sadykov heard in Oral.", "ruling",
     {"court": "Oral city court", "decision_date": "2021-06-02"}),
    ("almaty-2021.txt", "Aidos Sadykov case sent to Almaty.", "ruling",
     {"court": "Almaty district court", "decision_date": "2021-09-03"}),
    ("vlast-2022.txt", "Journalists recall Aidos Sadykov.", "media",
     {"publisher": "Vlast.kz", "published_date": "2022-01-04"}),
    ("report.txt", "A monitoring report on pickets, no names.", "report", {}),
]


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with client_for(settings) as opened:
        archive = opened.app.state.archive
        for name, text, kind, metadata in RULINGS:
            request = IngestRequest(kind=kind, metadata=metadata)
            assert archive.ingest_upload(io.BytesIO(text.encode()), name, request).status == "created"
        yield opened


def search(client: TestClient, **params) -> dict:
    response = client.get("/api/search", params={"q": "Sadykov", **params})
    assert response.status_code == 200, response.text
    return response.json()


def test_facets_of_the_query_and_its_filters(client: TestClient) -> None:
    answer = search(client)
    assert answer["total"] == 4
    facets = answer["facets"]
    assert facets["kind"] == {"ruling": 3, "media": 1}
    assert facets["year"] == {"2021": 2, "2020": 1, "2022": 1}
    assert facets["court"] == {"Oral city court": 2, "Almaty district court": 1}
    assert facets["publisher"] == {"Vlast.kz": 1}
    assert facets["language"] == {"en": 4}
    narrowed = search(client, year="2021", court="Oral city court")
    assert narrowed["total"] == 1 and narrowed["hits"][0]["date"] == "2021-06-02"
    assert narrowed["facets"]["court"] == {"Oral city court": 1, "Almaty district court": 1}
    assert narrowed["facets"]["year"] == {"2020": 1, "2021": 1}
    browse = client.get("/api/search").json()  # every document, newest first
    assert browse["total"] == 5 and browse["facets"]["kind"]["report"] == 1
    assert [hit["date_kind"] for hit in browse["hits"]][:1] == ["archived"]


def test_hits_carry_their_date_and_sort_by_it(client: TestClient) -> None:
    newest = search(client, sort="date")["hits"]
    assert [(h["date"], h["date_kind"]) for h in newest] == [
        ("2022-01-04", "published"), ("2021-09-03", "decided"), ("2021-06-02", "decided"),
        ("2020-03-01", "decided"),
    ]
    within = search(client, sort="date", **{"from": "2021-06-02", "to": "2021-12-31"})
    assert [h["date"] for h in within["hits"]] == ["2021-09-03", "2021-06-02"]
    assert within["facets"]["year"] == {"2021": 2}


@pytest.mark.parametrize("params", [
    {"from": "2021-13-01"}, {"to": "31.12.2021"}, {"to": "9999-12-31"}, {"from": "0001-01-01"},
    {"from": "2022-01-01", "to": "2021-01-01"},
    {"year": "21"}, {"sort": "oldest"}, {"lang": "xx"},
])
def test_malformed_filters_are_refused(client: TestClient, params: dict) -> None:
    response = client.get("/api/search", params={"q": "Sadykov", **params})
    assert response.status_code == 422, params
    assert response.json()["detail"]


def test_facets_follow_an_edit(client: TestClient) -> None:
    doc_id = next(h["id"] for h in search(client, court="Almaty district court")["hits"])
    patch = {"metadata": {"court": "Oral city court", "decision_date": "2019-12-30"}}
    assert client.patch(f"/api/documents/{doc_id}", json=patch).status_code == 200
    facets = search(client)["facets"]
    assert facets["court"] == {"Oral city court": 3}
    assert facets["year"] == {"2019": 1, "2020": 1, "2021": 1, "2022": 1}
    assert search(client, year="2019")["hits"][0]["id"] == doc_id


def test_the_search_page_filters_by_facet_and_keeps_it_in_its_links(client: TestClient) -> None:
    page = client.get("/", params={"q": "Sadykov", "court": "Oral city court", "sort": "date"}).text
    assert "2 documents found" in page
    assert 'value="Oral city court" checked' in page  # chosen, shown as such ...
    assert 'href="/search?q=Sadykov&amp;sort=date"' in page  # ... and removable by a link
    exact = client.get("/", params={"q": "Sadykov", "year": "2021", "exact": "1"}).text
    assert "2 documents found" in exact and 'name="exact" value="1" checked' in exact
    assert 'href="/search?q=Sadykov&amp;exact=1"' in exact  # removing a filter keeps the spelling
    assert 'value="Almaty district court">' in page and 'value="date" selected' in page
    bad = client.get("/", params={"q": "Sadykov", "from": "2021-02-30"})
    assert bad.status_code == 200 and "2021-02-30" in bad.text and "YYYY-MM-DD" in bad.text
    assert "4 documents found" in bad.text


def test_an_index_of_an_older_layout_is_rebuilt_on_open(settings: Settings) -> None:
    with client_for(settings) as first:
        archive = first.app.state.archive
        archive.ingest_upload(io.BytesIO(b"Aidos Sadykov in Oral."), "a.txt", IngestRequest())
        _age(archive.backend)
        assert archive.backend.outdated()
    with client_for(settings) as again:
        assert not again.app.state.archive.backend.outdated()
        assert search(again)["total"] == 1


def _age(backend) -> None:
    """Makes the live index look built by an older version of the archive."""
    if backend.name == "embedded":
        (backend.directory / "v3-initial").mkdir()
        (backend.directory / "CURRENT").write_text("v3-initial", "utf-8")
        return
    from archive.index.elastic import ElasticsearchBackend

    older = ElasticsearchBackend(backend.where, backend.alias, mapping_version=3)
    older.rebuild([])
    older.close()
