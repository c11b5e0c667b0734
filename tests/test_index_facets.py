"""Facets, the date range and the sort by date, checked on both backends with the same assertions."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from archive.domain import Visibility
from archive.index.base import FACETS, NEWEST, WORDS, Filters, IndexBackend, Term
from tests.index_corpus import NO_FILTERS, doc
from tests.test_index_queries import backend  # noqa: F401  (the fixture, on both backends)


def dated(doc_id: str, words: str, day: date, **options: str):
    court, publisher = options.pop("court", ""), options.pop("publisher", "")
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return replace(doc(doc_id, words, **options), date=moment, court=court, publisher=publisher)


def corpus():
    return [
        dated("r-oral-20", "ivanov ruling", date(2020, 3, 1), kind="ruling", court="Oral city court"),
        dated("r-oral-21", "ivanov ruling appeal", date(2021, 6, 2), kind="ruling", court="Oral city court"),
        dated("r-almaty-21", "ivanov ruling", date(2021, 9, 3), kind="ruling", court="Almaty court",
              language="kk"),
        dated("m-vlast-22", "ivanov article", date(2022, 1, 4), kind="media", publisher="Vlast.kz",
              language="en"),
        doc("report", "ivanov report weather"),  # no date of its own: its ingest time (2024-05-01)
    ]


@pytest.fixture
def filled(backend: IndexBackend) -> IndexBackend:  # noqa: F811
    backend.add(corpus())
    return backend


IVANOV = Term(WORDS, "ivanov")


def facets(index: IndexBackend, query=IVANOV, **filters) -> dict:
    return index.search(query, Filters(**filters), 10, facets=10).facets


def test_facets_count_what_the_query_matches(filled: IndexBackend) -> None:
    found = facets(filled)
    assert set(found) == set(FACETS)
    assert found["kind"] == {"ruling": 3, "media": 1, "report": 1}
    assert found["language"] == {"ru": 3, "en": 1, "kk": 1}
    assert found["year"] == {"2021": 2, "2020": 1, "2022": 1, "2024": 1}
    assert found["court"] == {"Oral city court": 2, "Almaty court": 1}
    assert found["publisher"] == {"Vlast.kz": 1}
    appeal = facets(filled, Term(WORDS, "appeal"))
    assert appeal["year"] == {"2021": 1} and appeal["court"] == {"Oral city court": 1}
    assert appeal["publisher"] == {} and appeal["kind"] == {"ruling": 1}


def test_a_facet_is_counted_under_the_other_filters_but_not_its_own(filled: IndexBackend) -> None:
    page = filled.search(IVANOV, Filters(courts=("Oral city court",)), 10, facets=10)
    assert page.total == 2 and {h.id for h in page.hits} == {"r-oral-20", "r-oral-21"}
    # The court facet still offers the other court, with what choosing it would give ...
    assert page.facets["court"] == {"Oral city court": 2, "Almaty court": 1}
    # ... and the other facets follow the court chosen.
    assert page.facets["year"] == {"2020": 1, "2021": 1}
    assert page.facets["language"] == {"ru": 2}
    both = filled.search(IVANOV, Filters(courts=("Oral city court",), years=("2021",)), 10, facets=10)
    assert [h.id for h in both.hits] == ["r-oral-21"]
    assert both.facets["year"] == {"2020": 1, "2021": 1}
    assert both.facets["court"] == {"Oral city court": 1, "Almaty court": 1}
    assert both.facets["kind"] == {"ruling": 1}


def test_values_of_one_facet_are_alternatives(filled: IndexBackend) -> None:
    page = filled.search(IVANOV, Filters(years=("2020", "2022")), 10, facets=10)
    assert {h.id for h in page.hits} == {"r-oral-20", "m-vlast-22"}
    assert page.facets["kind"] == {"ruling": 1, "media": 1}


def test_the_date_range_takes_whole_days_and_limits_the_facets(filled: IndexBackend) -> None:
    within = Filters(date_from=date(2021, 6, 2), date_to=date(2022, 1, 4))
    page = filled.search(IVANOV, within, 10, facets=10)
    assert {h.id for h in page.hits} == {"r-oral-21", "r-almaty-21", "m-vlast-22"}
    assert page.facets["year"] == {"2021": 2, "2022": 1}
    assert filled.search(IVANOV, Filters(date_to=date(2020, 3, 1)), 10).total == 1
    assert filled.search(IVANOV, Filters(date_from=date(2022, 1, 5)), 10).total == 1  # the report


def test_sort_by_date_is_newest_first_and_pages(filled: IndexBackend) -> None:
    newest = [h.id for h in filled.search(IVANOV, NO_FILTERS, 10, sort=NEWEST).hits]
    assert newest == ["report", "m-vlast-22", "r-almaty-21", "r-oral-21", "r-oral-20"]
    second = filled.search(IVANOV, NO_FILTERS, 2, 2, sort=NEWEST)
    assert [h.id for h in second.hits] == ["r-almaty-21", "r-oral-21"] and second.total == 5


def test_no_query_is_every_document(filled: IndexBackend) -> None:
    page = filled.search(None, Filters(kinds=("ruling",)), 10, sort=NEWEST, facets=10)
    assert [h.id for h in page.hits] == ["r-almaty-21", "r-oral-21", "r-oral-20"]
    assert page.facets["kind"] == {"ruling": 3, "media": 1, "report": 1}


def test_facets_never_count_what_the_reader_may_not_see(backend: IndexBackend) -> None:  # noqa: F811
    hidden = [replace(d, access="restricted") if d.id.startswith("r-oral") else d for d in corpus()]
    backend.add(hidden)
    outsider = Visibility(public=True)
    found = facets(backend, visible=outsider)
    assert found["court"] == {"Almaty court": 1}
    assert found["year"] == {"2021": 1, "2022": 1, "2024": 1}
    granted = facets(backend, visible=Visibility(public=True, granted=frozenset({"r-oral-20"})))
    assert granted["court"] == {"Almaty court": 1, "Oral city court": 1}
    assert facets(backend, None, visible=Visibility(public=False))["kind"] == {}


def test_no_match_has_empty_facets(filled: IndexBackend) -> None:
    page = filled.search(Term(WORDS, "nobody"), NO_FILTERS, 10, facets=10)
    assert page.total == 0 and page.facets == {name: {} for name in FACETS}
