"""Who sees what, on both backends: a restricted or withdrawn document never shows to someone without
access — not in results, totals, facets, batch rows, related documents, the permalink, the original,
the evidence package or the citation — and an unknown id and a forbidden one answer alike. Access
comes by a grant to the user or to a group of theirs, of one document or of a whole collection."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from archive.edits import DocumentChanges
from archive.service import IngestRequest
from archive.settings import Settings
from tests.clients import token_headers
from web.app import create_app

NAME = "Tleuzhan"
TEXTS = {
    "public": b"The court in Oral fined Aigerim Tleuzhan for a single picket.",
    "restricted": b"Testimony: Aigerim Tleuzhan was threatened by the police before the trial.",
    "granted": b"Witness statement naming Aigerim Tleuzhan and her lawyer, kept restricted.",
    "withdrawn": b"A duplicate scan of the Tleuzhan ruling, withdrawn by the archivist.",
    "teamed": b"Interview notes with Aigerim Tleuzhan, shared with the monitoring team.",
    "collected": b"Case 17 file: the appeal of Aigerim Tleuzhan, restricted with its collection.",
    "collected_too": b"Case 17 file: the lawyer's letter about Tleuzhan's detention.",
}
COLLECTION = "Case 17"
UNKNOWN_ID = "0000000000000000000000000z"
# The restricted document is a ruling: its court and year are facet values only those who see it see.
RULING = {"kind": "ruling", "metadata": {"court": "Secret city court", "decision_date": "2019-05-05"}}


@dataclass
class World:
    client: TestClient
    ids: dict[str, str]
    headers: dict[str, dict[str, str]]  # role name -> request headers

    def get(self, role: str, url: str, **options):
        return self.client.get(url, headers=self.headers[role], **options)


@pytest.fixture
def world(settings: Settings) -> Iterator[World]:
    app = create_app(settings)
    archive = app.state.archive
    ids = {}
    for label, text in TEXTS.items():
        access = "public" if label in ("public", "withdrawn") else "restricted"
        collection = COLLECTION if label == "collected" else ""
        ruling = RULING if label == "restricted" else {}
        request = IngestRequest(access=access, collection=collection, **ruling)
        result = archive.ingest_upload(io.BytesIO(text), f"{label}.txt", request)
        ids[label] = result.id
    archive.edit(ids["withdrawn"], DocumentChanges(withdraw="a duplicate"))
    archive.edit(ids["collected_too"], DocumentChanges(collection=COLLECTION))  # filed after ingest
    accounts = archive.accounts
    tokens = {}
    for user in ("reader", "member", "collector"):
        accounts.add_user(user, "researcher", "a researcher password")
        tokens[user] = accounts.create_token(user)[1]
    accounts.grant("reader", ids["granted"])
    accounts.add_group("monitors")
    accounts.join("monitors", "member")
    accounts.grant(group="monitors", document_id=ids["teamed"])
    accounts.grant("collector", collection=COLLECTION)
    headers = {
        "anonymous": {},
        "stranger": token_headers(app, "researcher"),
        **{user: {"Authorization": f"Bearer {token}"} for user, token in tokens.items()},
        "archivist": token_headers(app, "archivist"),
    }
    with TestClient(app) as client:
        yield World(client, ids, headers)


# Which labelled documents each role may see.
SEES = {
    "anonymous": {"public"},
    "stranger": {"public"},
    "reader": {"public", "granted"},
    "member": {"public", "teamed"},
    "collector": {"public", "collected", "collected_too"},
    "archivist": set(TEXTS),
}
ROLES = list(SEES)
READ_ROUTES = [
    "/api/documents/{id}",
    "/api/documents/{id}/original",
    "/api/documents/{id}/evidence",
    "/api/documents/{id}/citation",
    "/d/{id}",
]


@pytest.mark.parametrize("role", ROLES)
def test_search_results_and_totals_hold_only_what_the_role_may_see(world: World, role: str) -> None:
    answer = world.get(role, "/api/search", params={"q": NAME, "limit": 50}).json()
    found = {hit["id"] for hit in answer["hits"]}
    assert found == {world.ids[label] for label in SEES[role]}
    assert answer["total"] == len(SEES[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("query", [NAME, ""])  # a search, and the list of every document
def test_facets_count_only_what_the_role_may_see(world: World, role: str, query: str) -> None:
    facets = world.get(role, "/api/search", params={"q": query}).json()["facets"]
    for name in ("language", "kind", "year"):  # every document has one value of each
        assert sum(facets[name].values()) == len(SEES[role]), name
    sees_ruling = "restricted" in SEES[role]
    assert ("Secret city court" in facets["court"]) == sees_ruling
    assert ("2019" in facets["year"]) == sees_ruling
    filtered = world.get(role, "/api/search", params={"q": query, "court": "Secret city court"}).json()
    assert filtered["total"] == int(sees_ruling)
    assert filtered["facets"]["court"] == ({"Secret city court": 1} if sees_ruling else {})
    page = world.get(role, "/", params={"q": query}).text
    assert ("Secret city court" in page) == sees_ruling


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", READ_ROUTES)
def test_a_document_the_role_may_not_see_answers_like_an_unknown_one(world: World, role: str, route: str):
    unknown = world.get(role, route.format(id=UNKNOWN_ID))
    assert unknown.status_code == 404
    for label, document_id in world.ids.items():
        response = world.get(role, route.format(id=document_id))
        if label in SEES[role]:
            assert response.status_code == 200, (label, response.text[:200])
            continue
        assert response.status_code == 404, (label, response.status_code)
        assert response.text.replace(document_id, UNKNOWN_ID) == unknown.text


@pytest.mark.parametrize("role", ROLES)
def test_batch_rows_count_and_show_only_what_the_role_may_see(world: World, role: str) -> None:
    body = {"names": [NAME, "Aigerim Tleuzhan"], "hits": 10}
    rows = world.client.post("/api/search/batch", json=body, headers=world.headers[role]).json()["rows"]
    expected = {world.ids[label] for label in SEES[role]}
    assert {hit["id"] for hit in rows[0]["hits"]} == expected and rows[0]["total"] == len(SEES[role])
    assert {hit["id"] for hit in rows[1]["hits"]} <= expected  # both words: not the withdrawn one
    table = world.client.post("/api/search/batch", json=body, headers={**world.headers[role],
                                                                        "Accept": "text/csv"}).text
    page = world.client.post("/batch", data={"names": NAME}, headers=world.headers[role]).text
    for label, document_id in world.ids.items():
        assert (document_id in table) == (label in SEES[role]), label
        if label not in SEES[role]:  # the page shows the best three hits of a name
            assert document_id not in page, label


@pytest.mark.parametrize("role", ROLES)
def test_related_documents_are_only_those_the_role_may_see(world: World, role: str) -> None:
    page = world.get(role, f"/d/{world.ids['public']}").text
    shown = {label for label, document_id in world.ids.items()
             if label != "public" and f'href="/d/{document_id}' in page}
    assert shown <= SEES[role], shown - SEES[role]
    assert bool(shown) == (len(SEES[role]) > 1)  # the list is short: some of those one may see


@pytest.mark.parametrize("role", ["anonymous", "stranger"])
def test_adding_restricted_documents_changes_no_count_an_outsider_sees(world: World, role: str) -> None:
    archive = world.client.app.state.archive
    before = world.get(role, "/api/search", params={"q": NAME}).json()["total"]
    page_before = world.get(role, "/").text
    for n in range(3):
        text = f"Another restricted testimony number {n} about Aigerim Tleuzhan.".encode()
        archive.ingest_upload(io.BytesIO(text), f"more-{n}.txt", IngestRequest(access="restricted"))
    assert world.get(role, "/api/search", params={"q": NAME}).json()["total"] == before
    assert world.get(role, "/").text == page_before  # the facet counts of the search page


def test_the_search_page_marks_nothing_it_may_not_show(world: World) -> None:
    page = world.get("stranger", "/", params={"q": NAME}).text
    assert world.ids["public"] in page
    for label in ("restricted", "granted", "withdrawn"):
        assert world.ids[label] not in page
    assert "threatened by the police" not in page  # no snippet of a restricted text


def test_writes_need_an_archivist(world: World) -> None:
    for role, status in (("anonymous", 401), ("reader", 403), ("archivist", 201)):
        files = {"file": (f"new-{role}.txt", f"A report from {role} about Oral.".encode())}
        response = world.client.post("/api/documents", files=files, headers=world.headers[role])
        assert response.status_code == status, role
    patch = world.client.patch(
        f"/api/documents/{world.ids['public']}", json={"title": "Changed"}, headers=world.headers["reader"]
    )
    assert patch.status_code == 403


def test_public_reading_can_be_switched_off(settings: Settings) -> None:
    closed = settings.with_overrides(public_reading=False)
    app = create_app(closed)
    researcher = token_headers(app, "researcher")
    with TestClient(app) as client:
        assert client.get("/api/search", params={"q": NAME}).status_code == 401
        page = client.get("/", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        assert client.get("/api/search", params={"q": NAME}, headers=researcher).status_code == 200


def test_grants_follow_groups_and_collections_at_once(world: World) -> None:
    """Leaving a group, or a document leaving its collection, takes access away with the next request."""
    archive = world.client.app.state.archive

    def sees(role: str) -> set[str]:
        hits = world.get(role, "/api/search", params={"q": NAME, "limit": 50}).json()["hits"]
        return {label for label, document_id in world.ids.items() if document_id in {h["id"] for h in hits}}

    archive.accounts.leave("monitors", "member")
    assert sees("member") == {"public"}
    archive.edit(world.ids["collected_too"], DocumentChanges(collection=""))
    assert sees("collector") == {"public", "collected"}
    assert world.get("collector", f"/d/{world.ids['collected_too']}").status_code == 404


def test_a_collection_is_kept_in_the_record_and_its_changes_in_the_custody_log(world: World) -> None:
    archive = world.client.app.state.archive
    record = world.get("archivist", f"/api/documents/{world.ids['collected_too']}").json()
    assert record["collection"] == COLLECTION
    entries = archive.store.custody_of(world.ids["collected_too"])
    changes = [entry.details.get("changes", {}) for entry in entries if entry.action == "access"]
    assert {"old": "", "new": COLLECTION} in [change.get("collection") for change in changes]
    too_long = world.client.patch(
        f"/api/documents/{world.ids['public']}", json={"collection": "x" * 201},
        headers=world.headers["archivist"],
    )
    assert too_long.status_code == 422


@pytest.mark.parametrize("role", ROLES)
def test_entities_count_only_the_documents_the_role_may_see(world: World, role: str) -> None:
    found = world.get(role, "/api/entities", params={"q": NAME}).json()["entities"]
    assert [entity["documents"] for entity in found] == [len(SEES[role])]
    page = world.get(role, f"/api/entities/{found[0]['id']}").json()
    assert {d["id"] for d in page["documents"]} == {world.ids[label] for label in SEES[role]}
