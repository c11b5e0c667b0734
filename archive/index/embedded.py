"""The embedded index backend: a tantivy index in the data directory, no server needed.

Terms arrive already analysed (see `archive.index.base`), so every field uses tantivy's plain
whitespace tokenizer and nothing in the engine changes them. A rebuild writes a fresh index in a
sibling folder and then switches the `CURRENT` pointer file atomically, so searches never see an
empty index; readers in other processes notice the switch on their next search.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path

import tantivy

from archive.domain import WITHDRAWN, AccessLevel, Visibility
from archive.index import base
from archive.index.prune import prune

SCHEMA_VERSION = 1
WRITER_HEAP = 64_000_000
BATCH = 500
LOCK_WAIT_S = 60.0


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_text_field("id", stored=True, tokenizer_name="raw")
    for keyword in (base.KIND, base.LANGUAGE, base.ACCESS):
        builder.add_text_field(keyword, tokenizer_name="raw")
    for name in base.ANALYSED_FIELDS:
        builder.add_text_field(name, tokenizer_name="whitespace")
    return builder.build()


class EmbeddedBackend:
    name = "embedded"

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.schema = _schema()
        self._index: tantivy.Index | None = None
        self._opened: str | None = None

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
        name = self._live_name()
        if self._index is None or name != self._opened:
            self._index = tantivy.Index(self.schema, path=str(self.directory / name))
            self._opened = name
        return self._index

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

    def _document(self, doc: base.IndexDocument) -> tantivy.Document:
        return tantivy.Document(
            id=doc.id, kind=doc.kind, language=doc.language, access=doc.access, **doc.fields
        )

    def _write(self, index: tantivy.Index, docs: Iterable[base.IndexDocument], replace: bool) -> int:
        writer = self._writer(index)
        written = 0
        try:
            for doc in docs:
                if replace:
                    writer.delete_documents_by_term("id", doc.id)
                writer.add_document(self._document(doc))
                written += 1
            writer.commit()
            writer.wait_merging_threads()
        except BaseException:
            writer.rollback()
            raise
        index.reload()
        return written

    def add(self, docs: Iterable[base.IndexDocument]) -> None:
        self._write(self._live(), docs, replace=True)

    def delete(self, ids: Iterable[str]) -> None:
        index = self._live()
        writer = self._writer(index)
        for doc_id in ids:
            writer.delete_documents_by_term("id", doc_id)
        writer.commit()
        writer.wait_merging_threads()
        index.reload()

    def rebuild(self, docs: Iterable[base.IndexDocument]) -> int:
        name = f"v{SCHEMA_VERSION}-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
        index = tantivy.Index(self.schema, path=str(self._fresh_folder(name)))
        total = 0
        for batch in _batches(docs, BATCH * 10):
            total += self._write(index, batch, replace=False)
        previous = self._live_name()
        self._switch_to(name)
        self._index, self._opened = index, name
        # The generation just replaced stays until the next rebuild: another process may still be
        # writing to it (the service adds such late documents to the new index afterwards).
        for folder in self.directory.iterdir():
            if folder.is_dir() and folder.name not in (name, previous):
                shutil.rmtree(folder, ignore_errors=True)
        return total

    def _fresh_folder(self, name: str) -> Path:
        folder = self.directory / name
        folder.mkdir()
        return folder

    # --- reading --------------------------------------------------------------------------------

    def search(
        self, query: base.Query, filters: base.Filters, limit: int, offset: int = 0
    ) -> base.SearchPage:
        index = self._live()
        index.reload()
        searcher = index.searcher()
        pruned = prune(query, lambda field, value: searcher.doc_freq(field, value) > 0)
        if pruned is None:
            return base.SearchPage(total=0, hits=[])
        compiled = self._with_filters(self._compile(pruned), filters)
        result = searcher.search(compiled, limit=max(limit, 0) or 1, offset=offset, count=True)
        hits = [base.ScoredId(searcher.doc(address)["id"][0], float(score)) for score, address in result.hits]
        return base.SearchPage(total=result.count or 0, hits=hits[:limit] if limit else [])

    def count(self) -> int:
        index = self._live()
        index.reload()
        return index.searcher().num_docs

    def close(self) -> None:
        self._index = None
        self._opened = None

    # --- query translation ----------------------------------------------------------------------

    def _with_filters(self, query: tantivy.Query, filters: base.Filters) -> tantivy.Query:
        parts = [(tantivy.Occur.Must, query)]
        for field, values in ((base.LANGUAGE, filters.languages), (base.KIND, filters.kinds)):
            if values:
                allowed = tantivy.Query.term_set_query(self.schema, field, list(values))
                parts.append((tantivy.Occur.Must, tantivy.Query.const_score_query(allowed, 0.0)))
        if filters.visible is not None:
            visible = tantivy.Query.const_score_query(self._visible(filters.visible), 0.0)
            parts.append((tantivy.Occur.Must, visible))
        return parts[0][1] if len(parts) == 1 else tantivy.Query.boolean_query(parts)

    def _visible(self, visible: Visibility) -> tantivy.Query:
        """Public documents (when allowed) or granted ones, never withdrawn ones."""
        schema, either = self.schema, []
        if visible.public:
            public = tantivy.Query.term_query(schema, base.ACCESS, AccessLevel.PUBLIC.value)
            either.append((tantivy.Occur.Should, public))
        if visible.granted:
            granted = tantivy.Query.term_set_query(schema, "id", sorted(visible.granted))
            either.append((tantivy.Occur.Should, granted))
        if not either:
            return tantivy.Query.empty_query()
        withdrawn = tantivy.Query.term_query(schema, base.ACCESS, WITHDRAWN)
        return tantivy.Query.boolean_query(
            [(tantivy.Occur.Must, tantivy.Query.boolean_query(either)), (tantivy.Occur.MustNot, withdrawn)]
        )

    def _compile(self, node: base.Query) -> tantivy.Query:
        schema = self.schema
        match node:
            case base.Term(field, value, boost):
                query = tantivy.Query.term_query(schema, field, value)
            case base.Phrase(field, values, slop, boost):
                query = (
                    tantivy.Query.phrase_query(schema, field, list(values), slop)
                    if len(values) > 1
                    else tantivy.Query.term_query(schema, field, values[0])
                )
            case base.AnyOf(clauses, boost):
                query = tantivy.Query.disjunction_max_query([self._compile(c) for c in clauses])
            case base.Bool(must, should, must_not, boost):
                parts = [(tantivy.Occur.Must, self._compile(c)) for c in must]
                parts += [(tantivy.Occur.Should, self._compile(c)) for c in should]
                parts += [(tantivy.Occur.MustNot, self._compile(c)) for c in must_not]
                query = tantivy.Query.boolean_query(parts)
            case _:
                raise TypeError(f"unknown query node {node!r}")
        return query if boost == 1.0 else tantivy.Query.boost_query(query, boost)


def _batches(items: Iterable[base.IndexDocument], size: int) -> Iterator[list[base.IndexDocument]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
