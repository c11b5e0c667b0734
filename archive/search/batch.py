"""Batch name search: a list of names, each searched as the archive searches one, answered as rows.

The API (`POST /api/search/batch`) and the page (`/batch`) share these rules: how a list is read
(pasted lines, a TXT file, or a CSV column), its limits, how one name becomes a query, and the CSV
a row list is written as.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from archive.search.request import InvalidSearch, SearchRequest
from ingest.encoding import detect

MAX_NAMES = 1000
MAX_NAME_CHARS = 200
DEFAULT_HITS = 3  # the best hits shown for each name
MAX_HITS = 10
MAX_LIST_BYTES = 2 * 1024 * 1024  # a pasted list or uploaded TXT/CSV of names
NAME_COLUMNS = ("name", "names", "имя", "есім", "фио", "аты-жөні")  # a CSV header naming the column
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection); tab and
# carriage return start one in some of them too.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class InvalidBatch(InvalidSearch):
    """A list the archive will not search; `code` and `values` name the reason for a catalog."""

    def __init__(self, code: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class BatchRequest:
    names: tuple[str, ...]
    exact: bool = False
    hits: int = DEFAULT_HITS
    languages: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    @classmethod
    def create(cls, names: Iterable[str], exact: bool = False, hits: int = DEFAULT_HITS,
               languages: Iterable[str] = (), kinds: Iterable[str] = ()) -> BatchRequest:
        """White space folded, blank lines and repeats dropped (the first one stays); raises
        `InvalidBatch` for an empty list, too many names or a name too long, `InvalidSearch` for an
        unknown language or kind."""
        kept: dict[str, None] = {}
        for number, raw in enumerate(names, 1):
            name = " ".join(str(raw).split())
            if not name:
                continue
            if len(name) > MAX_NAME_CHARS:
                raise InvalidBatch("batch.too_long", f"name {number} is {len(name)} characters long; "
                                   f"a name may have at most {MAX_NAME_CHARS}", number=number,
                                   limit=MAX_NAME_CHARS)
            kept.setdefault(name, None)
        if not kept:
            raise InvalidBatch("batch.empty", "the list has no names: give one name a line")
        if len(kept) > MAX_NAMES:
            raise InvalidBatch("batch.too_many", f"the list has {len(kept)} names; a batch may have at "
                               f"most {MAX_NAMES}", count=len(kept), limit=MAX_NAMES)
        filters = SearchRequest.create("", languages=languages, kinds=kinds)  # unknown values raise
        return cls(tuple(kept), exact, min(max(int(hits), 1), MAX_HITS), filters.languages, filters.kinds)


@dataclass(frozen=True)
class BatchHit:
    id: str
    title: str
    permalink: str
    matched: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BatchRow:
    name: str
    total: int  # how many documents the caller may see match the name
    hits: list[BatchHit]
    matched: list[str]  # the spellings that matched, over the best hits: "query form → document form"

    def as_json(self) -> dict:
        return {"name": self.name, "total": self.total, "matched": self.matched,
                "hits": [vars(hit) for hit in self.hits]}


def name_query(name: str) -> str:
    """The query for one name: every word of it required, whatever syntax characters it holds (a
    leading minus, quotes, OR), so that a name is searched as the words it is."""
    words = name.replace('"', " ").split()
    return " ".join(f"+{word.lstrip('+-')}" for word in words if word.lstrip("+-"))


def read_names(data: bytes, filename: str = "") -> list[str]:
    """Names from an uploaded list: a TXT file has one a line; a CSV (by its name, or a text with
    commas or semicolons in its first line) gives its column headed `name`, else its first column.
    The encoding is found as for any text the archive ingests (UTF-8, UTF-16, Windows-1251 …)."""
    if len(data) > MAX_LIST_BYTES:
        raise InvalidBatch("batch.file_too_large", f"the list is over {MAX_LIST_BYTES // 1024**2} MB",
                           limit=MAX_LIST_BYTES // 1024**2)
    text = detect(data).text.lstrip("\ufeff")
    if "\x00" in text:
        raise InvalidBatch("batch.not_text", "the file is not a text or CSV list of names")
    first = text.split("\n", 1)[0]
    if filename.lower().endswith(".csv") or any(mark in first for mark in (",", ";", "\t")):
        return _csv_names(text)
    return text.splitlines()


def _csv_names(text: str) -> list[str]:
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel  # type: ignore[assignment]
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]
    if not rows:
        return []
    header = [cell.strip().lower() for cell in rows[0]]
    column = next((header.index(name) for name in NAME_COLUMNS if name in header), None)
    if column is None:
        return [row[0] for row in rows]
    return [row[column] for row in rows[1:] if len(row) > column]


def safe_cell(value: object) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading apostrophe."""
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def to_csv(rows: Sequence[BatchRow], hits: int, permalink: Callable[[str], str]) -> str:
    """The rows as CSV: name, documents, matched spellings, then title and link of each best hit.
    Every cell is guarded against formula injection; `permalink` makes a hit's link."""
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["name", "documents", "matched"]
    for number in range(1, hits + 1):
        header += [f"hit {number} title", f"hit {number} link"]
    writer.writerow(header)
    for row in rows:
        cells: list[object] = [row.name, row.total, "; ".join(row.matched)]
        for hit in row.hits[:hits]:
            cells += [hit.title, permalink(hit.id)]
        writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue()
