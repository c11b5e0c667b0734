"""The Elasticsearch index backend: translates documents and the query tree, nothing more.

Documents arrive analysed (space-separated terms per field) and queries arrive as the shared tree, so
this module holds no search rules. Searches and writes go through an alias; `rebuild` fills a new
versioned index beside the live one and moves the alias over in one atomic step.

The passages of long documents go to a companion index behind `{alias}-passages`, created with the
first passage, rebuilt with the main index and moved in the same alias step. An archive indexed
before passages existed has none, and its searches fall back to a document's opening.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout, TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, OrjsonSerializer
from elasticsearch.helpers import streaming_bulk

from archive.domain import WITHDRAWN, AccessLevel, Visibility
from archive.index import elastic_mapping
from archive.index.base import (
    ACCESS,
    COLLECTION,
    DATE,
    FACETS,
    NEWEST,
    RELEVANCE,
    AnyOf,
    BackendUnavailable,
    Bool,
    BulkRejected,
    Constant,
    Facets,
    Filters,
    IndexDocument,
    PassageHit,
    Phrase,
    Prefix,
    Query,
    ScoredId,
    SearchPage,
    Term,
)
from archive.index.breaker import CircuitBreaker, CircuitOpen
from archive.index.prune import prune, terms_of
from archive.index.term_cache import TermCache

# Whole-request and per-item statuses worth another try: the node is overloaded or restarting.
RETRY_STATUS = (429, 500, 502, 503, 504)
MAX_LISTED_IDS = 20
# What the term cache says of a query's terms: those held, and by field those unknown and those stale.
CachedTerms = tuple[set[tuple[str, str]], dict[str, set[str]], dict[str, set[str]]]
# A bulk request at most this large: a node refuses one over a tenth of its heap (51 MB of a 512 MB
# heap), which a few long documents, with their passages, would otherwise reach.
MAX_CHUNK_BYTES = 8 * 1024 * 1024
# A new index while a rebuild fills it; `_make_ready` puts each setting back as configured.
REBUILDING: dict[str, Any] = {
    "refresh_interval": "-1",
    "number_of_replicas": 0,
    "auto_expand_replicas": "false",
    "translog.durability": "async",
}
PASSAGES = "passages"  # suffix of the passages alias and of its indices
PASSAGE_ID = "/"  # a passage's _id is "{document id}/{number}"
PASSAGE_PAGE = 5000  # passage ids read a request when a document's old passages are deleted


# --- query translation ------------------------------------------------------------------------


def to_es_query(query: Query) -> dict[str, Any]:
    """The Elasticsearch query DSL for one node of a pruned query tree (`archive.index.prune`: no
    empty clause lists, no Bool without something to match)."""
    match query:
        case Term(field=field, value=value, boost=boost):
            return {"term": {field: {"value": value, "boost": boost}}}
        case Phrase(field=field, values=values, slop=slop, boost=boost):
            return _phrase(field, values, slop, boost)
        case Prefix(field=field, value=value):
            return {"prefix": {field: {"value": value}}}
        case AnyOf(clauses=clauses, boost=boost):
            return {
                "dis_max": {"queries": [to_es_query(c) for c in clauses], "tie_breaker": 0.0, "boost": boost}
            }
        case Bool(must=must, should=should, must_not=must_not, boost=boost):
            body: dict[str, Any] = {"boost": boost}
            if must:
                body["must"] = [to_es_query(c) for c in must]
            if should:
                body["should"] = [to_es_query(c) for c in should]
                if not must:
                    body["minimum_should_match"] = 1
            if must_not:
                body["must_not"] = [to_es_query(c) for c in must_not]
            return {"bool": body}
        case Constant(query=inner, score=score):
            return {"constant_score": {"filter": to_es_query(inner), "boost": score}}
    raise TypeError(f"not a query tree node: {query!r}")


def _phrase(field: str, values: tuple[str, ...], slop: int, boost: float) -> dict[str, Any]:
    """A Lucene phrase: `slop` is the total number of moves allowed, so with a slop of 2 or more two terms
    may also match swapped. The embedded engine (tantivy) matches sloppy phrases exactly the same way.
    """
    if len(values) == 1:
        return {"term": {field: {"value": values[0], "boost": boost}}}
    # The terms contain no whitespace, so the whitespace analyzer gives them back one by one.
    query = {"query": " ".join(values), "analyzer": "whitespace", "slop": max(slop, 0), "boost": boost}
    return {"match_phrase": {field: query}}


def counted_clauses(filters: Filters) -> list[dict[str, Any]]:
    """What every count and hit is limited to: the documents the reader may see, in the date range."""
    clauses = []
    if filters.visible is not None:
        clauses.append(visible_clause(filters.visible))
    if filters.date_from is not None or filters.date_to is not None:
        bounds: dict[str, str] = {}
        if filters.date_from is not None:
            bounds["gte"] = filters.date_from.isoformat()
        if filters.date_to is not None:  # the day after the last: the range ends before it
            bounds["lt"] = (filters.date_to + timedelta(days=1)).isoformat()
        clauses.append({"range": {DATE: {**bounds, "format": "strict_date"}}})
    return clauses


def facet_clauses(values: dict[str, tuple[str, ...]]) -> list[dict[str, Any]]:
    return [{"terms": {name: list(allowed)}} for name, allowed in values.items() if allowed]


def facet_aggregations(filters: Filters, size: int) -> dict[str, Any]:
    """Each facet field counted under the facet filters of the others (the hits take them all, as
    a post filter); a facet that no other facet filters is counted without a filter of its own."""
    aggregations = {}
    for name in FACETS:
        counted = {"terms": {"field": name, "size": size}}
        others = facet_clauses(filters.facet_filters_but(name))
        aggregations[name] = (
            {"filter": {"bool": {"filter": others}}, "aggs": {"values": counted}} if others else counted
        )
    return aggregations


def read_facets(aggregations: dict[str, Any]) -> Facets:
    found = {}
    for name in FACETS:
        counted = aggregations[name]
        buckets = counted.get("values", counted)["buckets"]  # "values" under a filter of the others
        found[name] = dict(sorted(((b["key"], b["doc_count"]) for b in buckets), key=lambda i: (-i[1], i[0])))
    return found


def visible_clause(visible: Visibility) -> dict[str, Any]:
    """Public documents (when allowed) or granted ones, never withdrawn ones."""
    either: list[dict[str, Any]] = []
    if visible.public:
        either.append({"term": {ACCESS: AccessLevel.PUBLIC.value}})
    if visible.granted:
        either.append({"terms": {"id": sorted(visible.granted)}})
    if visible.collections:
        either.append({"terms": {COLLECTION: sorted(visible.collections)}})
    if not either:
        return {"match_none": {}}
    withdrawn = {"term": {ACCESS: WITHDRAWN}}
    return {"bool": {"should": either, "minimum_should_match": 1, "must_not": [withdrawn]}}


# --- the backend ------------------------------------------------------------------------------


class ElasticsearchBackend:
    name = "elasticsearch"

    def __init__(
        self,
        url: str,
        alias: str = "archive",
        *,
        client: Elasticsearch | None = None,
        mapping_version: int = elastic_mapping.MAPPING_VERSION,
        mappings: dict[str, Any] | None = None,
        index_settings: dict[str, Any] | None = None,
        max_retries: int = 5,
        initial_backoff: float = 0.5,
        max_backoff: float = 30.0,
        chunk_size: int = 500,
        bulk_senders: int = 2,
        read_timeout: float = 1.5,
        write_timeout: float = 30.0,
        cooldown: float = 5.0,
        term_cache_seconds: float = 5.0,
    ) -> None:
        """`read_timeout` bounds every search, count and health check, `write_timeout` every write
        request; after a request the node did not answer in time, every call fails at once for
        `cooldown` seconds, then one probe asks again (`archive.index.breaker`). Which terms the index
        holds is kept (`archive.index.term_cache`); a term found nowhere is asked about again after
        `term_cache_seconds`, or after this backend writes. A rebuild sends `bulk_senders` bulk requests
        of `chunk_size` documents at a time."""
        if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", alias):
            raise ValueError(f"index alias {alias!r}: use lower-case letters, digits, '_', '-', '.'")
        self.alias = alias
        self.where = _redacted(url)
        self.mapping_version = mapping_version
        self._mappings = mappings
        self._index_settings = index_settings
        self.max_retries = max_retries
        self.initial_backoff = initial_backoff
        self.max_backoff = max_backoff
        self.chunk_size = chunk_size
        self.bulk_senders = bulk_senders
        # Status retries belong to the bulk loop (with back-off); the transport only retries a
        # dropped connection quickly, so a dead node is reported within a second, and never a timeout:
        # a node that did not answer in time opens the breaker instead.
        self._client = client or Elasticsearch(
            url, request_timeout=write_timeout, max_retries=2, retry_on_status=(), retry_on_timeout=False,
            serializer=OrjsonSerializer(),
        )
        self._reads = self._client.options(request_timeout=read_timeout)
        self._terms = TermCache(term_cache_seconds)
        self.breaker = CircuitBreaker(cooldown)
        self.passage_alias = f"{alias}-{PASSAGES}"
        self._last_held: tuple[frozenset[tuple[str, str]], set[tuple[str, str]]] | None = None
        self._last_mark: Hashable | None = None  # `change_mark`'s last answer
        # alias -> the index behind it, and a routing that leads to each of its shards
        self._routings: dict[str, tuple[str, list[str | None]]] = {}
        self._index_name_pattern = re.compile(rf"{re.escape(alias)}-v\d+-\d{{8}}t\d{{6}}\d*(-{PASSAGES})?")

    # --- IndexBackend ---

    def add(self, docs: Iterable[IndexDocument]) -> None:
        batch = list(docs)
        if not batch:
            return
        try:
            with self._guard("adding documents"):
                self._ensure_alias(self.alias)
                results = self._bulk(_index_actions(batch, self.alias))
                self._client.indices.refresh(index=self.alias)
                results.update(self._replace_passages(batch))
        finally:
            self._terms.written()
        _raise_failures(results, "index")

    def _replace_passages(self, batch: list[IndexDocument]) -> dict[str, bool | str]:
        """Deletes the batch's old passages and writes its new ones; returns the failures by document."""
        exists = self._delete_passages([doc.id for doc in batch])
        if not any(doc.passages for doc in batch):
            return {}
        if not exists:
            self._ensure_alias(self.passage_alias)
        results = self._bulk(_passage_actions(batch, self.passage_alias))
        self._client.indices.refresh(index=self.passage_alias)
        return _by_document(results)

    def _delete_passages(self, ids: list[str]) -> bool:
        """Deletes the passages of these documents; False when there is no passages index yet. (By id:
        `_delete_by_query` belongs to a module that minimal nodes leave out.)"""
        if not self._client.indices.exists_alias(name=self.passage_alias):
            return False
        actions = [
            {"_op_type": "delete", "_index": self.passage_alias, "_id": passage_id}
            for passage_id in self._passage_ids(ids)
        ]
        if actions:
            _raise_failures(_by_document(self._bulk(actions)), "delete the passages of")
            self._client.indices.refresh(index=self.passage_alias)
        return True

    def _passage_ids(self, ids: list[str]) -> Iterator[str]:
        """The ids of these documents' passages, a page at a time in (document, start) order."""
        after: list[Any] | None = None
        while True:
            page = self._client.search(
                index=self.passage_alias,
                query={"terms": {"doc_id": ids}},
                sort=[{"doc_id": "asc"}, {"start": "asc"}],
                size=PASSAGE_PAGE,
                search_after=after,
                source=False,
                track_total_hits=False,
            )["hits"]["hits"]
            yield from (hit["_id"] for hit in page)
            if len(page) < PASSAGE_PAGE:
                return
            after = page[-1]["sort"]

    def delete(self, ids: Iterable[str]) -> None:
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": doc_id} for doc_id in ids]
        if not actions:
            return
        with self._guard("deleting documents"):
            if not self._client.indices.exists_alias(name=self.alias):
                return
            results = self._bulk(actions)
            self._client.indices.refresh(index=self.alias)
            self._delete_passages([action["_id"] for action in actions])
        _raise_failures(results, "delete")

    def search(
        self,
        query: Query | None,
        filters: Filters,
        limit: int,
        offset: int = 0,
        *,
        sort: str = RELEVANCE,
        facets: int = 0,
    ) -> SearchPage:
        empty = SearchPage(total=0, hits=[], facets={name: {} for name in FACETS} if facets else {})
        options: dict[str, Any] = {}
        post = facet_clauses(filters.facet_filters_but(None))
        if post:  # after the aggregations: each facet sets its own filter aside
            options["post_filter"] = {"bool": {"filter": post}}
        if facets:
            options["aggregations"] = facet_aggregations(filters, facets)
        first = {DATE: "desc"} if sort == NEWEST else {"_score": "desc"}
        counted = counted_clauses(filters)

        def ask(matched: dict[str, Any]) -> dict[str, Any] | None:
            return self._search_once(
                {"bool": {"must": [matched], "filter": counted}} if counted else matched,
                from_=offset,
                size=limit,
                sort=[first, {"id": "asc"}],
                **options,
            )

        with self._guard("searching"):
            resp = ask({"match_all": {}}) if query is None else self._search_pruned(query, ask)
        if resp is None:
            return empty
        hits = [ScoredId(id=hit["_id"], score=float(hit["_score"] or 0.0)) for hit in resp["hits"]["hits"]]
        found = read_facets(resp["aggregations"]) if facets else {}
        return SearchPage(total=int(resp["hits"]["total"]["value"]), hits=hits, facets=found)

    def _search_pruned(
        self, query: Query, ask: Callable[[dict[str, Any]], dict[str, Any] | None]
    ) -> dict[str, Any] | None:
        """`ask` with the query pruned, None when nothing can match. When the term cache knows every
        term and only some found absent a while ago need asking again, the search goes ahead without
        them while the index is asked about them at the same time: one round trip's wait, and a second
        search only if one of them is held now."""
        wanted = terms_of(query)
        cached = self._cached_terms(self.alias, wanted)
        held, unknown, stale = cached
        if unknown or not stale:
            pruned = prune(query, self._held_of(self.alias, wanted, cached))
            return None if pruned is None else ask(to_es_query(pruned))
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="es-terms") as checker:
            checking = checker.submit(self._ask_terms, self.alias, stale)
            pruned = prune(query, _holding(held))
            try:
                resp = None if pruned is None else ask(to_es_query(pruned))
            finally:
                wait([checking])  # nothing of this search goes on past its guard
        now_held = checking.result()
        if now_held:  # a term found absent a while ago is held now
            held |= now_held
            pruned = prune(query, _holding(held))
            resp = None if pruned is None else ask(to_es_query(pruned))
        self._last_held = (frozenset(wanted), held)
        return resp

    def _search_once(self, query: dict[str, Any], **options: Any) -> dict[str, Any] | None:
        """One search of the documents' alias; None when there is no index yet. The node keeps the
        answer in its request cache until the index changes: a page asked again (the next page, the
        facets' fragment) costs it nothing."""
        for attempt in range(2):
            try:
                return self._reads.search(
                    index=self.alias,
                    query=query,
                    track_scores=True,
                    track_total_hits=True,
                    source=False,
                    search_type=self._search_type(),
                    allow_partial_search_results=False,
                    request_cache=True,
                    **options,
                ).body
            except ApiError as exc:
                # Once, a search may hit the old index just as a rebuild deletes it: ask again.
                if attempt == 0 and (exc.status_code == 404 or exc.status_code >= 500):
                    continue
                if _is_index_missing(exc):
                    return None
                raise
        raise AssertionError("unreachable")

    def _search_type(self) -> str:
        """With several shards, a first round that gathers every shard's term statistics, so that a
        document scores as it would in one index (as on the embedded backend); one shard's statistics
        are the index's already, and that round would cost some 2 ms a search for nothing."""
        _, routings = self._shard_routings(self.alias)
        return "dfs_query_then_fetch" if len(routings) > 1 else "query_then_fetch"

    def best_passages(self, query: Query, ids: Sequence[str]) -> dict[str, PassageHit]:
        """One request: the documents' passages that match, collapsed on the document."""
        ids = list(dict.fromkeys(ids))
        if not ids:
            return {}
        with self._guard("finding passages"):
            held = self._held_by_documents(query) or self._held_terms(query, self.passage_alias)
            pruned = prune(query, held)
            if pruned is None:
                return {}
            try:
                resp = self._reads.search(
                    index=self.passage_alias,
                    query={"bool": {"must": [to_es_query(pruned)], "filter": [{"terms": {"doc_id": ids}}]}},
                    collapse={"field": "doc_id"},
                    size=len(ids),
                    sort=[{"_score": "desc"}, {"start": "asc"}],
                    track_scores=True,
                    track_total_hits=False,
                    source=list(elastic_mapping.PASSAGE_SOURCE_FIELDS),
                )
            except NotFoundError:  # no passages index: only short documents, or indexed before passages
                return {}
        found = {}
        for hit in resp["hits"]["hits"]:
            kept = hit["_source"]
            score = float(hit["_score"] or 0.0)
            found[kept["doc_id"]] = PassageHit(kept["start"], kept["end"], kept["text"], kept["last"], score)
        return found

    def rebuild(self, docs: Iterable[IndexDocument]) -> int:
        new: dict[str, str] = {}  # alias -> its new index
        with self._guard("rebuilding the index"):
            documents = self._fresh_index(self.alias, new)
            try:
                results = self._fill(docs, documents, new)
                _raise_failures(results, "index", during="rebuild; the live index is unchanged")
                for name in new.values():
                    self._make_ready(name)
                self._client.indices.update_aliases(actions=self._swap_actions(new))
                self._terms.clear()
            except BaseException:
                with contextlib.suppress(Exception):
                    self._client.indices.delete(index=",".join(new.values()), ignore_unavailable=True)
                raise
            stale = [name for name in self._own_indices() if name not in new.values()]
            if stale:
                self._client.indices.delete(index=",".join(stale), ignore_unavailable=True)
        return sum(1 for ok in results.values() if ok is True)

    def _fill(
        self, docs: Iterable[IndexDocument], documents: str, new: dict[str, str]
    ) -> dict[str, bool | str]:
        """Sends the documents (and their passages) to the new indices, `bulk_senders` bulk requests
        at a time: the node indexes them side by side, and the next batch is read (and analysed, by
        the caller's workers) while they are under way."""
        results: dict[str, bool | str] = {}
        with ThreadPoolExecutor(self.bulk_senders, thread_name_prefix="es-bulk") as senders:
            sending: deque[Future[dict[str, bool | str]]] = deque()
            for batch in _batches(docs, self.chunk_size):
                passages = None
                if any(doc.passages for doc in batch):  # the passages index comes with the first
                    passages = new.get(self.passage_alias) or self._fresh_index(self.passage_alias, new)
                sending.append(senders.submit(self._send_batch, batch, documents, passages))
                if len(sending) >= self.bulk_senders:
                    results.update(sending.popleft().result())
            while sending:
                results.update(sending.popleft().result())
        return results

    def _send_batch(
        self, batch: list[IndexDocument], documents: str, passages: str | None
    ) -> dict[str, bool | str]:
        results = self._bulk(_index_actions(batch, documents))
        if passages is not None:
            results.update(_by_document(self._bulk(_passage_actions(batch, passages))))
        return results

    def _fresh_index(self, alias: str, new: dict[str, str]) -> str:
        """Creates a new index for `alias`, not yet behind it, and notes it in `new`. While it is
        filled nothing searches it until the swap, and it is thrown away if the rebuild fails: no
        refreshes, no replicas, the translog written to disk in the background."""
        new[alias] = self._new_index_name(alias)
        self._create_index(new[alias], alias, extra_settings=REBUILDING)
        return new[alias]

    def _make_ready(self, name: str) -> None:
        """The settings of a live index back (replicas as configured), everything on disk, the index
        searchable and its primaries started."""
        configured = {**elastic_mapping.SETTINGS, **(self._index_settings or {})}
        restored = {key: configured.get(key) for key in REBUILDING}  # None: the node's default
        self._client.indices.put_settings(index=name, settings={"index": restored})
        self._client.indices.flush(index=name)
        self._client.indices.refresh(index=name)
        waiting = self._client.options(request_timeout=90)  # the node waits up to 60 s itself
        health = waiting.cluster.health(index=name, wait_for_status="yellow", timeout="60s")
        if health.get("timed_out"):
            raise BackendUnavailable(
                f"the new index {name} did not become ready; the live index is unchanged"
            )

    def _swap_actions(self, new: dict[str, str]) -> list[dict[str, Any]]:
        """One atomic alias update: both aliases leave their old indices, each goes to its new one (the
        passages alias goes away when the new documents have no passages)."""
        actions: list[dict[str, Any]] = []
        for alias in (self.alias, self.passage_alias):
            actions += [{"remove": {"index": name, "alias": alias}} for name in self._alias_indices(alias)]
            if alias in new:
                actions.append({"add": {"index": new[alias], "alias": alias, "is_write_index": True}})
        return actions

    def _held_terms(self, query: Query, alias: str | None = None) -> Callable[[str, str], bool]:
        """Which of the query's terms some document holds (`_held_of`)."""
        return self._held_of(alias or self.alias, terms_of(query))

    def _held_of(
        self, index: str, wanted: set[tuple[str, str]], cached: CachedTerms | None = None
    ) -> Callable[[str, str], bool]:
        """Which of these terms some document holds: those the term cache knows (`cached`, when the
        caller asked it already), and the others from the index's term statistics (`_ask_terms`)."""
        held, unknown, stale = cached or self._cached_terms(index, wanted)
        for field, values in stale.items():
            unknown.setdefault(field, set()).update(values)
        if unknown:
            found = self._ask_terms(index, unknown)
            if found is None:  # no index yet, or a rebuild just swapped it: the search will tell
                return lambda _field, _value: True
            held |= found
        if index == self.alias:
            self._last_held = (frozenset(wanted), held)
        return _holding(held)

    def _cached_terms(self, index: str, wanted: set[tuple[str, str]]) -> CachedTerms:
        """What the term cache says of these terms: those held, and by field those it does not know
        and those found absent a while ago (`TermCache.sort`)."""
        held, unknown, stale = self._terms.sort((index, field, value) for field, value in wanted)
        return {(field, value) for _, field, value in held}, _by_field(unknown), _by_field(stale)

    def _ask_terms(self, index: str, by_field: dict[str, set[str]]) -> set[tuple[str, str]] | None:
        """Which of these terms the index holds, from its term statistics, with one `_mtermvectors`
        call with an artificial document per field and per primary shard; the answers go to the term
        cache. None when there is no index to ask. The statistics of an artificial document come from
        the one shard its routing leads to, so with several shards each is asked (a term is held if any
        shard holds it)."""
        try:
            asked, answer = self._term_statistics(index, by_field)
        except NotFoundError:
            return None
        found: set[tuple[str, str]] = set()
        for (field, _routing), doc in zip(asked, answer, strict=True):
            terms = doc.get("term_vectors", {}).get(field, {}).get("terms", {})
            found.update((field, term) for term, stats in terms.items() if stats.get("doc_freq", 0) > 0)
        absent = {(field, value) for field, values in by_field.items() for value in values} - found
        self._terms.learn([(index, *term) for term in found], [(index, *term) for term in absent])
        return found

    def _term_statistics(
        self, alias: str, by_field: dict[str, set[str]]
    ) -> tuple[list[tuple[str, str | None]], list[dict[str, Any]]]:
        """The `_mtermvectors` answers for artificial documents of these terms, one per field and shard,
        with the (field, routing) each answers. Asked again, once, if the alias moved to another index
        since its shards were learnt (a rebuild may have changed their number)."""
        for attempt in range(2):
            name, routings = self._shard_routings(alias, fresh=attempt > 0)
            asked = [(field, routing) for routing in routings for field in by_field]
            docs = [
                {
                    "doc": {field: " ".join(sorted(by_field[field]))},  # no spaces in terms: one token each
                    "fields": [field],
                    "term_statistics": True,
                    "field_statistics": False,
                    "positions": False,
                    "offsets": False,
                    "payloads": False,
                    **({"routing": routing} if routing is not None else {}),
                }
                for field, routing in asked
            ]
            answer = self._reads.mtermvectors(index=alias, docs=docs)["docs"]
            if name is None or all(doc.get("_index") == name for doc in answer):
                break
        return asked, answer

    def _shard_routings(self, alias: str, fresh: bool = False) -> tuple[str | None, list[str | None]]:
        """The index behind `alias` and a routing value that leads to each of its primary shards ([None]
        for one shard), found with `_search_shards` and kept until the alias moves."""
        if fresh or alias not in self._routings:
            names = self._alias_indices(alias)
            if len(names) != 1:  # none yet: the statistics request will say so
                return None, [None]
            name = names[0]
            settings = self._reads.indices.get_settings(index=name, name="index.number_of_shards")
            shards = int(settings[name]["settings"]["index"]["number_of_shards"])
            found: dict[int, str] = {}
            for attempt in range(64 * shards):
                if len(found) == shards or shards == 1:
                    break
                groups = self._reads.search_shards(index=name, routing=str(attempt))["shards"]
                found.setdefault(int(groups[0][0]["shard"]), str(attempt))
            routings: list[str | None] = [found[shard] for shard in sorted(found)] if shards > 1 else [None]
            self._routings[alias] = (name, routings)
        return self._routings[alias]

    def _held_by_documents(self, query: Query) -> Callable[[str, str], bool] | None:
        """What the last search learnt of the main index, if it asked about every term of `query`. No
        passage holds a term that no document holds, so that answer prunes a passage query too,
        without another request (it may keep a term no passage holds, which matches nothing)."""
        if self._last_held is None:
            return None
        asked, held = self._last_held
        if not terms_of(query) <= asked:
            return None
        return lambda field, value: (field, value) in held

    def count(self) -> int:
        with self._guard("counting documents"):
            try:
                return int(self._reads.count(index=self.alias)["count"])
            except NotFoundError:
                return 0

    def change_mark(self) -> Hashable | None:
        """The indices behind both aliases and how often their shards were refreshed for searches. A
        change becomes visible to searches only with such a refresh (live indices refresh when this
        backend writes, and on the node's schedule), so the mark moves with every change a search can
        see, by any process; a moved alias changes the names. One small request (about 2 ms, against
        a search's 10 and more); None when the node is not asked or does not answer (the search then
        says why). A moved mark also makes the term cache ask again about the terms it found absent,
        so that an answer kept under the new mark is not one pruned by what was true before it."""
        try:
            with self._guard("reading the refresh counts"):
                # `ignore_unavailable`, which the client's `indices.stats` does not take: an archive
                # without long documents has no passages alias.
                stats = self._reads.perform_request(
                    "GET", f"/{self.alias},{self.passage_alias}/_stats/refresh",
                    params={"ignore_unavailable": "true",
                            "filter_path": "indices.*.uuid,indices.*.total.refresh.external_total"},
                    headers={"accept": "application/json"},
                )
        except BackendUnavailable:
            return None
        indices = stats.body.get("indices", {})
        refreshed = ((name, index["uuid"], index["total"]["refresh"]["external_total"])
                     for name, index in indices.items())
        mark = tuple(sorted(refreshed))
        if mark != self._last_mark:  # some process wrote: a term found absent may be held now
            self._terms.written()
            self._last_mark = mark
        return mark

    def close(self) -> None:
        self._client.close()

    # --- maintenance ---

    def health(self) -> str:
        """The cluster status ("green" or "yellow"); raises BackendUnavailable if down or red."""
        with self._guard("checking health"):
            status = str(self._reads.cluster.health(timeout="5s")["status"])
        if status == "red":
            raise BackendUnavailable(f"Elasticsearch at {self.where} is up but its cluster health is red")
        return status

    def live_index(self) -> str | None:
        """The concrete index the alias points at, or None before the first document."""
        with self._guard("reading the alias"):
            names = self._alias_indices()
        return names[0] if names else None

    def outdated(self) -> bool:
        """True when the live index was built with another layout version: run a rebuild."""
        live = self.live_index()
        if live is None:
            return False
        with self._guard("reading the mapping"):
            meta = self._client.indices.get_mapping(index=live)[live]["mappings"].get("_meta", {})
        return meta.get(elastic_mapping.META_VERSION_KEY) != self.mapping_version

    # --- internals ---

    @contextlib.contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        """Turns every client error into BackendUnavailable with a one-line reason, no stack trace; a
        node that did not answer opens the breaker, and while it is open nothing is asked."""
        try:
            self.breaker.allow()
        except CircuitOpen as circuit:
            raise BackendUnavailable(
                f"Elasticsearch at {self.where} is not asked ({doing}): {circuit}"
            ) from None
        answered = True
        try:
            yield
        except BackendUnavailable:
            raise
        except (TransportConnectionError, ConnectionTimeout) as exc:
            answered = False
            raise BackendUnavailable(
                f"Elasticsearch at {self.where} is unreachable ({doing}): {_connection_reason(exc)}"
            ) from None
        except ApiError as exc:
            raise BackendUnavailable(
                f"Elasticsearch at {self.where} refused {doing}: HTTP {exc.status_code} {_api_reason(exc)}"
            ) from None
        except TransportError as exc:
            raise BackendUnavailable(
                f"Elasticsearch at {self.where} failed {doing}: {_first_line(exc)}"
            ) from None
        finally:
            if answered:
                self.breaker.answered()
            else:
                self.breaker.not_answered()

    def _new_index_name(self, alias: str) -> str:
        """`{alias}-v{version}-{time}` for documents, `{alias}-v{version}-{time}-passages` for passages."""
        stamp = datetime.now(UTC).strftime("%Y%m%dt%H%M%S%f")
        suffix = f"-{PASSAGES}" if alias == self.passage_alias else ""
        return f"{self.alias}-v{self.mapping_version}-{stamp}{suffix}"

    def _create_index(
        self,
        name: str,
        alias: str,
        *,
        extra_settings: dict[str, Any] | None = None,
        with_alias: bool = False,
    ) -> None:
        mappings = elastic_mapping.PASSAGE_MAPPINGS if alias == self.passage_alias else self._mappings
        body = elastic_mapping.index_body(
            self.mapping_version, mappings, {**(self._index_settings or {}), **(extra_settings or {})}
        )
        aliases = {alias: {"is_write_index": True}} if with_alias else None
        self._client.indices.create(index=name, aliases=aliases, **body)

    def _ensure_alias(self, alias: str) -> None:
        if self._client.indices.exists_alias(name=alias):
            return
        try:
            self._create_index(self._new_index_name(alias), alias, with_alias=True)
        except ApiError:
            # Another writer created the alias first: only one index may be its write index, so our
            # creation was refused as a whole. Anything else is a real error.
            if not self._client.indices.exists_alias(name=alias):
                raise

    def _alias_indices(self, alias: str | None = None) -> list[str]:
        try:
            return sorted(self._reads.indices.get_alias(name=alias or self.alias).body)
        except NotFoundError:
            return []

    def _own_indices(self) -> list[str]:
        """Every versioned index of this alias, live or left over from an interrupted rebuild."""
        found = self._client.indices.get(index=f"{self.alias}-v*", expand_wildcards="all").body
        return sorted(name for name in found if self._index_name_pattern.fullmatch(name))

    def _bulk(self, actions: Iterable[dict[str, Any]]) -> dict[str, bool | str]:
        """Sends actions in chunks, retrying with back-off; returns id -> True or the failure reason.

        Rejections with a status in RETRY_STATUS, per item or for a whole request, are retried by the
        bulk helper; a dropped connection is retried here for the whole chunk (writes by id are
        idempotent). Anything still failing ends up as a reason string.
        """
        client = self._client.options(max_retries=0)
        results: dict[str, bool | str] = {}
        it = iter(actions)
        while chunk := list(islice(it, self.chunk_size)):
            for attempt in range(self.max_retries + 1):
                try:
                    for ok, item in streaming_bulk(
                        client,
                        chunk,
                        chunk_size=len(chunk),
                        max_chunk_bytes=MAX_CHUNK_BYTES,
                        max_retries=self.max_retries,
                        initial_backoff=self.initial_backoff,
                        max_backoff=self.max_backoff,
                        retry_on_status=RETRY_STATUS,
                        raise_on_error=False,
                        raise_on_exception=False,
                    ):
                        op_type, info = next(iter(item.items()))
                        done = ok or (op_type == "delete" and info.get("status") == 404)
                        results[str(info.get("_id"))] = True if done else _item_reason(info)
                    break
                except (TransportConnectionError, ConnectionTimeout) as failure:
                    # A dropped connection is tried again; a node that did not answer in time is not
                    # (ConnectionTimeout): the breaker takes over, and the documents stay pending.
                    if attempt == self.max_retries or isinstance(failure, ConnectionTimeout):
                        raise
                    time.sleep(min(self.max_backoff, self.initial_backoff * 2**attempt))
        return results


# --- helpers ----------------------------------------------------------------------------------


def _by_field(keys: list[tuple[str, str, str]]) -> dict[str, set[str]]:
    """(index, field, term) keys as the terms of each field."""
    by_field: dict[str, set[str]] = {}
    for _index, field, value in keys:
        by_field.setdefault(field, set()).add(value)
    return by_field


def _holding(held: set[tuple[str, str]]) -> Callable[[str, str], bool]:
    return lambda field, value: (field, value) in held


def _batches(docs: Iterable[IndexDocument], size: int) -> Iterator[list[IndexDocument]]:
    iterator = iter(docs)
    while batch := list(islice(iterator, size)):
        yield batch


def _index_actions(docs: Iterable[IndexDocument], index: str) -> Iterator[dict[str, Any]]:
    for doc in docs:
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": doc.id,
            "_source": {
                "id": doc.id,
                "kind": doc.kind,
                "language": doc.language,
                "access": doc.access,
                COLLECTION: doc.collection,
                "ingested_at": doc.ingested_at.isoformat(),
                DATE: doc.when.astimezone(UTC).isoformat(),
                **doc.keywords(),
                **doc.fields,
            },
        }


def _passage_actions(docs: Iterable[IndexDocument], index: str) -> Iterator[dict[str, Any]]:
    for doc in docs:
        for number, passage in enumerate(doc.passages):
            yield {
                "_op_type": "index",
                "_index": index,
                "_id": f"{doc.id}{PASSAGE_ID}{number}",
                "_source": {
                    "doc_id": doc.id,
                    "start": passage.start,
                    "end": passage.end,
                    "text": passage.text,
                    "last": passage.last,
                    **passage.fields,
                },
            }


def _by_document(passage_results: dict[str, bool | str]) -> dict[str, bool | str]:
    """The failures among passage writes, as failures of their documents."""
    return {
        passage_id.rsplit(PASSAGE_ID, 1)[0]: reason
        for passage_id, reason in passage_results.items()
        if reason is not True
    }


def _raise_failures(results: dict[str, bool | str], what: str, during: str = "") -> None:
    failed = {doc_id: reason for doc_id, reason in results.items() if reason is not True}
    if not failed:
        return
    listed = "; ".join(f"{doc_id}: {reason}" for doc_id, reason in islice(failed.items(), MAX_LISTED_IDS))
    more = f" (and {len(failed) - MAX_LISTED_IDS} more)" if len(failed) > MAX_LISTED_IDS else ""
    where = f" during {during}" if during else ""
    raise BulkRejected(
        f"Elasticsearch could not {what} {len(failed)} of {len(results)} document(s){where}: {listed}{more}",
        ids=list(failed),
    )


def _item_reason(info: dict[str, Any]) -> str:
    error = info.get("error")
    if isinstance(error, dict):
        return f"HTTP {info.get('status')} {error.get('type')}: {error.get('reason')}"
    return f"HTTP {info.get('status')} {_first_line(error)}"


def _api_reason(exc: ApiError) -> str:
    body = exc.body
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        return f"{error.get('type')}: {error.get('reason')}"
    return _first_line(exc.message if isinstance(exc.message, str) else body)


def _is_index_missing(exc: ApiError) -> bool:
    body = exc.body
    return (
        exc.status_code == 404
        and isinstance(body, dict)
        and isinstance(body.get("error"), dict)
        and body["error"].get("type") == "index_not_found_exception"
    )


def _connection_reason(exc: Exception) -> str:
    """The gist, such as "[Errno 111] Connection refused", not three nested exception reprs."""
    text = str(exc)
    match = re.search(r"\[Errno -?\d+\] [^)'\"]+", text)
    if match:
        return match.group(0).strip()
    return "timed out" if isinstance(exc, ConnectionTimeout) else _first_line(text)


def _first_line(value: object) -> str:
    text = str(value).strip()
    return text.splitlines()[0][:300] if text else type(value).__name__


def _redacted(url: str) -> str:
    """The URL without credentials, for messages."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host
        return urlunsplit(parts._replace(netloc=netloc))
    return url
