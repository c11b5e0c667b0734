"""The embedded index backend: a tantivy index in the data directory, no server needed.

Terms arrive already analysed (see `archive.index.base`), so every field uses tantivy's plain
whitespace tokenizer and nothing in the engine changes them. A rebuild writes a fresh index in a
sibling folder and then switches the `CURRENT` pointer file atomically, so searches never see an
empty index; readers in other processes notice the switch on their next search.

The passages of long documents live in a second index beside each generation (`<name>.passages`),
written with the documents and switched with them by the same pointer. A generation built before
passages existed gets an empty one: its long documents have none until the next rebuild.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from datetime import time as day_time
from itertools import islice
from pathlib import Path

import tantivy

from archive.domain import WITHDRAWN, AccessLevel, Visibility
from archive.index import base
from archive.index.prune import prune

SCHEMA_VERSION = 6
PREFIX_QUERIES_KEPT = 4096
WRITER_HEAP = 64_000_000
BATCH = 500
LOCK_WAIT_S = 60.0
PASSAGES = ".passages"  # suffix of a generation's passages folder
PASSAGES_PER_DOCUMENT = 4  # how many passages a round fetches for each document still without one
TIE_HEADROOM = 16  # hits asked for past a page, so that a tie across its end rarely needs a second search


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    for keyword in (base.ACCESS, base.COLLECTION):
        builder.add_text_field(keyword, tokenizer_name="raw")
    for keyword in base.FACETS:  # fast: counted by aggregations
        builder.add_text_field(keyword, tokenizer_name="raw", fast=True)
    builder.add_date_field(base.DATE, indexed=True, fast=True)
    for name in base.ANALYSED_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace")
    return builder.build()


def _passage_schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("doc_id", stored=True, tokenizer_name="raw")
    builder.add_integer_field("start", stored=True)
    builder.add_integer_field("end", stored=True)
    builder.add_bytes_field("text", stored=True)  # UTF-8: a bytes field is kept without being indexed
    builder.add_boolean_field("last", stored=True)
    for name in base.PASSAGE_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace")
    return builder.build()


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.schema = _schema()
        self.passage_schema = _passage_schema()
        self._index: tantivy.Index | None = None
        self._passages: tantivy.Index | None = None
        self._opened: str | None = None
        self._prefixes: dict[tuple[bool, str, str], tantivy.Query] = {}

    # --- where the live index is ----------------------------------------------------------------

    @property
    def _pointer(self) -> Path:
        return self.directory / "CURRENT"

    def _live_name(self) -> str:
        try:
            return self._pointer.read_text("utf-8").strip()
        except FileNotFoundError:
            name = f"v{SCHEMA_VERSION}-initial"
            (self.directory / name).mkdir(exist_ok=True)
            self._switch_to(name)
            return name

    def _switch_to(self, name: str) -> None:
        temporary = self._pointer.with_suffix(".tmp")
        temporary.write_text(name, "utf-8")
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, self._pointer)

    def _live(self) -> tantivy.Index:
        return self._open_live()[0]

    def _live_passages(self) -> tantivy.Index:
        return self._open_live()[1]

    def _open_live(self) -> tuple[tantivy.Index, tantivy.Index]:
        name = self._live_name()
        if self._index is None or self._passages is None or name != self._opened:
            self._index, self._passages = self._open(name)
            self._opened = name
        return self._index, self._passages

    def _open(self, name: str) -> tuple[tantivy.Index, tantivy.Index]:
        """A generation's document index and passages index (created empty where missing)."""
        passages = self.directory / f"{name}{PASSAGES}"
        passages.mkdir(exist_ok=True)
        return (
            tantivy.Index(self.schema, path=str(self.directory / name)),
            tantivy.Index(self.passage_schema, path=str(passages)),
        )

    # --- writing --------------------------------------------------------------------------------

    @staticmethod
    def _writer(index: tantivy.Index) -> tantivy.IndexWriter:
        """Waits while another process holds the index's single writer lock."""
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            try:
                return index.writer(heap_size=WRITER_HEAP, num_threads=1)
            except ValueError as error:
                if "lock" not in str(error).lower() or time.monotonic() > deadline:
                    raise base.BackendUnavailable(f"embedded index is busy: {error}") from error
                time.sleep(0.05)

    @staticmethod
    def _document(doc: base.IndexDocument) -> Iterator[tantivy.Document]:
        yield tantivy.Document(
            id=doc.id, access=doc.access, collection=doc.collection, date=doc.when.astimezone(UTC),
            **doc.keywords(), **doc.fields,
        )

    @staticmethod
    def _passage_documents(doc: base.IndexDocument) -> Iterator[tantivy.Document]:
        for passage in doc.passages:
            yield tantivy.Document(
                doc_id=doc.id,
                start=passage.start,
                end=passage.end,
                text=passage.text.encode("utf-8"),
                last=passage.last,
                **passage.fields,
            )

    def _write(
        self,
        index: tantivy.Index,
        docs: list[base.IndexDocument],
        entries: Callable[[base.IndexDocument], Iterator[tantivy.Document]],
        key: str | None,
    ) -> None:
        """Writes the entries of `docs`, first deleting those each doc had under `key` (None: none)."""
        writer = self._writer(index)
        try:
            for doc in docs:
                if key is not None:
                    writer.delete_documents_by_term(key, doc.id)
                for entry in entries(doc):
                    writer.add_document(entry)
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        index.reload()

    def _write_both(self, indices: tuple[tantivy.Index, tantivy.Index], docs: list[base.IndexDocument],
                    replace: bool) -> int:
        documents, passages = indices
        self._write(documents, docs, self._document, "id" if replace else None)
        if any(doc.passages for doc in docs) or (replace and self._have_passages(passages, docs)):
            self._write(passages, docs, self._passage_documents, "doc_id" if replace else None)
        return len(docs)

    @staticmethod
    def _have_passages(passages: tantivy.Index, docs: list[base.IndexDocument]) -> bool:
        """Whether any of these documents has passages already (else a batch of short documents
        leaves the passages index alone: no commit)."""
        passages.reload()
        searcher = passages.searcher()
        return any(searcher.doc_freq("doc_id", doc.id) for doc in docs)

    def add(self, docs: Iterable[base.IndexDocument]) -> None:
        self._write_both(self._open_live(), list(docs), replace=True)

    def delete(self, ids: Iterable[str]) -> None:
        ids = list(ids)
        for index, key in zip(self._open_live(), ("id", "doc_id"), strict=True):
            writer = self._writer(index)
            for doc_id in ids:
                writer.delete_documents_by_term(key, doc_id)
            writer.commit()
            writer.wait_merging_threads()
            index.reload()

    def rebuild(self, docs: Iterable[base.IndexDocument]) -> int:
        name = f"v{SCHEMA_VERSION}-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        (self.directory / name).mkdir()
        indices = self._open(name)
        total = 0
        for batch in _batches(docs, BATCH * 10):
            total += self._write_both(indices, batch, replace=False)
        previous = self._live_name()
        self._switch_to(name)
        (self._index, self._passages), self._opened = indices, name
        # The generation just replaced stays until the next rebuild: another process may still be
        # writing to it (the service adds such late documents to the new index afterwards).
        for folder in self.directory.iterdir():
            if folder.is_dir() and folder.name.removesuffix(PASSAGES) not in (name, previous):
                shutil.rmtree(folder, ignore_errors=True)
        return total

    # --- reading --------------------------------------------------------------------------------

    def search(
        self,
        query: base.Query | None,
        filters: base.Filters,
        limit: int,
        offset: int = 0,
        *,
        sort: str = base.RELEVANCE,
        facets: int = 0,
    ) -> base.SearchPage:
        index = self._live()
        index.reload()
        searcher = index.searcher()
        if query is None:
            matched = tantivy.Query.all_query()
        else:
            pruned = prune(query, lambda field, value: searcher.doc_freq(field, value) > 0)
            if pruned is None:
                return base.SearchPage(total=0, hits=[], facets=_no_facets() if facets else {})
            matched = self._compile(pruned, self.schema)
        counted = self._counted(matched, filters)
        compiled = _within(counted, self.schema, filters.facet_filters_but(None).items())
        by_date = sort == base.NEWEST
        total, hits = _page(searcher, compiled, max(limit, 0), max(offset, 0), by_date)
        return base.SearchPage(
            total=total,
            hits=hits,
            facets=self._facets(searcher, counted, filters, facets) if facets else {},
        )

    def _facets(
        self, searcher: tantivy.Searcher, counted: tantivy.Query, filters: base.Filters, size: int
    ) -> base.Facets:
        """One aggregation for the fields counted under every facet filter, one more for each field
        that is itself filtered (it is counted under the filters of the others)."""
        groups: dict[tuple, list[str]] = {}
        for name in base.FACETS:
            others = filters.facet_filters_but(name)
            groups.setdefault(tuple(sorted(others.items())), []).append(name)
        found: base.Facets = {}
        for others, names in groups.items():
            aggregations = {name: {"terms": {"field": name, "size": size}} for name in names}
            answer = searcher.aggregate(_within(counted, self.schema, others), aggregations)
            for name in names:
                found[name] = _ranked((b["key"], b["doc_count"]) for b in answer[name]["buckets"])
        return {name: found[name] for name in base.FACETS}

    def best_passages(self, query: base.Query, ids: Sequence[str]) -> dict[str, base.PassageHit]:
        """Asks for the top passages of all the documents at once; a document whose passages were all
        outscored by other documents' is asked for again, with the others left out."""
        index = self._live_passages()
        index.reload()
        searcher = index.searcher()
        pruned = prune(query, lambda field, value: searcher.doc_freq(field, value) > 0)
        if pruned is None:
            return {}
        compiled = self._compile(pruned, self.passage_schema)
        best: dict[str, base.PassageHit] = {}
        remaining = set(ids)
        while remaining:
            within = _within(compiled, self.passage_schema, [("doc_id", sorted(remaining))])
            result = searcher.search(within, limit=PASSAGES_PER_DOCUMENT * len(remaining), count=False)
            if not result.hits:
                break
            for score, address in result.hits:
                stored = searcher.doc(address)
                doc_id = stored["doc_id"][0]
                text = bytes(stored["text"][0]).decode("utf-8")
                hit = base.PassageHit(stored["start"][0], stored["end"][0], text, stored["last"][0], score)
                known = best.get(doc_id)
                if known is None or (hit.score, -hit.start) > (known.score, -known.start):
                    best[doc_id] = hit
            remaining -= best.keys()
        return best

    def count(self) -> int:
        index = self._live()
        index.reload()
        return index.searcher().num_docs

    def change_mark(self) -> tuple[str, bytes]:
        """The live generation's name and a digest of the file each of its two indexes writes anew
        at every commit (tantivy's meta.json, which holds the commit's opstamp)."""
        name = self._live_name()
        digest = hashlib.blake2b(digest_size=16)
        for folder in (self.directory / name, self.directory / f"{name}{PASSAGES}"):
            try:
                digest.update((folder / "meta.json").read_bytes())
            except FileNotFoundError:  # nothing committed yet
                digest.update(b"-")
        return name, digest.digest()

    def outdated(self) -> bool:
        """A generation's name starts with the schema version it was built with (`v4-…`)."""
        return not self._live_name().startswith(f"v{SCHEMA_VERSION}-")

    def close(self) -> None:
        self._index = self._passages = None
        self._opened = None

    # --- query translation ----------------------------------------------------------------------

    def _counted(self, query: tantivy.Query, filters: base.Filters) -> tantivy.Query:
        """`query`, scored as it is, within what every count and hit is limited to: the documents the
        reader may see, in the date range."""
        parts = [(tantivy.Occur.Must, query)]
        if filters.visible is not None:
            visible = tantivy.Query.const_score_query(self._visible(filters.visible), 0.0)
            parts.append((tantivy.Occur.Must, visible))
        if filters.date_from is not None or filters.date_to is not None:
            lower = _midnight(filters.date_from, 0)
            upper = _midnight(filters.date_to, 1)  # the day after the last: the range ends before it
            dated = tantivy.Query.range_query(
                self.schema, base.DATE, tantivy.FieldType.Date, lower, upper,
                include_lower=True, include_upper=upper is None,
            )
            parts.append((tantivy.Occur.Must, tantivy.Query.const_score_query(dated, 0.0)))
        return query if len(parts) == 1 else tantivy.Query.boolean_query(parts)

    def _visible(self, visible: Visibility) -> tantivy.Query:
        """Public documents (when allowed) or granted ones, never withdrawn ones."""
        schema, either = self.schema, []
        if visible.public:
            public = tantivy.Query.term_query(schema, base.ACCESS, AccessLevel.PUBLIC.value)
            either.append((tantivy.Occur.Should, public))
        if visible.granted:
            granted = tantivy.Query.term_set_query(schema, "id", sorted(visible.granted))
            either.append((tantivy.Occur.Should, granted))
        if visible.collections:
            collections = tantivy.Query.term_set_query(schema, base.COLLECTION, sorted(visible.collections))
            either.append((tantivy.Occur.Should, collections))
        if not either:
            return tantivy.Query.empty_query()
        withdrawn = tantivy.Query.term_query(schema, base.ACCESS, WITHDRAWN)
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, tantivy.Query.boolean_query(either)), (tantivy.Occur.MustNot, withdrawn)]
        )

    def _compile(self, node: base.Query, schema: tantivy.Schema) -> tantivy.Query:
        match node:
            case base.Term(field, value, boost):
                query = tantivy.Query.term_query(schema, field, value)
            case base.Phrase(field, values, slop, boost):
                query = (
                    tantivy.Query.phrase_query(schema, field, list(values), slop)
                    if len(values) > 1
                    else tantivy.Query.term_query(schema, field, values[0])
                )
            case base.Prefix(field, value):
                return self._prefix(schema, field, value)
            case base.AnyOf(clauses, boost):
                query = tantivy.Query.disjunction_max_query([self._compile(c, schema) for c in clauses])
            case base.Bool(must, should, must_not, boost):
                parts = [(tantivy.Occur.Must, self._compile(c, schema)) for c in must]
                parts += [(tantivy.Occur.Should, self._compile(c, schema)) for c in should]
                parts += [(tantivy.Occur.MustNot, self._compile(c, schema)) for c in must_not]
                query = tantivy.Query.boolean_query(parts)
            case base.Constant(inner, score):
                return tantivy.Query.const_score_query(self._compile(inner, schema), score)
            case _:
                raise TypeError(f"unknown query node {node!r}")
        return query if boost == 1.0 else tantivy.Query.boost_query(query, boost)

    def _prefix(self, schema: tantivy.Schema, field: str, value: str) -> tantivy.Query:
        """A prefix as a regular expression, compiled once: compiling costs 0.2 ms, a search with it
        a hundredth of that."""
        key = (schema is self.schema, field, value)
        query = self._prefixes.get(key)
        if query is None:
            if len(self._prefixes) >= PREFIX_QUERIES_KEPT:
                self._prefixes.clear()
            query = self._prefixes[key] = tantivy.Query.regex_query(schema, field, f"{re.escape(value)}.*")
        return query


def _within(
    query: tantivy.Query, schema: tantivy.Schema, allowed: Iterable[tuple[str, Sequence[str]]]
) -> tantivy.Query:
    """`query`, scored as it is, limited to entries holding one of the values of each (field, values)."""
    parts = [(tantivy.Occur.Must, query)]
    for field, values in allowed:
        if values:
            among = tantivy.Query.term_set_query(schema, field, list(values))
            parts.append((tantivy.Occur.Must, tantivy.Query.const_score_query(among, 0.0)))
    return parts[0][1] if len(parts) == 1 else tantivy.Query.boolean_query(parts)


def _page(
    searcher: tantivy.Searcher, query: tantivy.Query, limit: int, offset: int, by_date: bool
) -> tuple[int, list[base.ScoredId]]:
    """How many documents match, and the `limit` from the `offset`th on: best first (or newest), ties
    by id, as Elasticsearch orders them (`sort: [_score, id]`). The engine orders a tie by where its
    documents stand in the index, which depends on how it was filled; so the hits down to one past the
    page (and TIE_HEADROOM more) are asked for, and whenever the last of them ties with the page's last,
    twice as many, until every document of a tie that reaches into the page is known. Only those of
    such ties are read for their ids."""
    options = {"order_by_field": base.DATE} if by_date else {}
    wanted = offset + limit
    fetch = wanted + TIE_HEADROOM
    while True:
        result = searcher.search(query, limit=fetch, count=True, **options)
        ranked = result.hits
        if len(ranked) < fetch or limit == 0 or ranked[-1][0] != ranked[wanted - 1][0]:
            break
        fetch *= 2
    total = result.count or 0
    if limit == 0 or offset >= len(ranked):
        return total, []
    top, bottom = ranked[offset][0], ranked[min(wanted, len(ranked)) - 1][0]
    ahead = sum(1 for order_key, _ in ranked if order_key > top)  # before the page, whatever their ids
    tied = [(order_key, searcher.doc(address)["id"][0]) for order_key, address in ranked[ahead:]
            if order_key >= bottom]
    tied.sort(key=lambda hit: (-hit[0], hit[1]))
    page = tied[offset - ahead : offset - ahead + limit]
    return total, [base.ScoredId(doc_id, 0.0 if by_date else float(order_key)) for order_key, doc_id in page]


def _midnight(day: date | None, days_later: int) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, day_time(), tzinfo=UTC) + timedelta(days=days_later)


def _ranked(counts: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Most documents first, then by value: the order both backends give."""
    return dict(sorted(counts, key=lambda item: (-item[1], item[0])))


def _no_facets() -> base.Facets:
    return {name: {} for name in base.FACETS}


def _batches(items: Iterable[base.IndexDocument], size: int) -> Iterator[list[base.IndexDocument]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
