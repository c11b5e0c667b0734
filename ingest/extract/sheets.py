"""Spreadsheets as text, sheet by sheet, one row a line and its cells separated by " | ": XLSX
(openpyxl), ODS and XLS (python-calamine), CSV (stdlib csv, decoded like any text file)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from ingest.errors import IngestError
from ingest.extract import limits
from ingest.extract.cleanup import clean_text
from ingest.extract.result import Extracted
from ingest.extract.text import read_text_file

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
XLS = "application/vnd.ms-excel"
CSV = "text/csv"


def extract_xlsx(path: Path) -> Extracted:
    import openpyxl

    try:
        # from bytes: a blob has no .xlsx name, which openpyxl wants of a path
        book = openpyxl.load_workbook(io.BytesIO(path.read_bytes()), read_only=True, data_only=True)
    except Exception as error:
        raise IngestError("corrupt_xlsx", f"The file is a damaged Excel workbook ({error}).") from error
    try:
        sheets = [(sheet.title, sheet.iter_rows(values_only=True)) for sheet in book.worksheets]
        return _sheets_text(sheets, XLSX)
    finally:
        book.close()


def extract_calamine(path: Path, media_type: str) -> Extracted:
    """ODS and XLS: calamine reads both, in Rust, without loading formulas or styles."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = [(name, book.get_sheet_by_name(name).to_python()) for name in book.sheet_names]
    except Exception as error:
        raise IngestError("corrupt_spreadsheet", f"The spreadsheet cannot be read ({error}).") from error
    return _sheets_text(sheets, media_type)


def extract_csv(path: Path) -> Extracted:
    raw, metadata = read_text_file(path)
    try:
        dialect = csv.Sniffer().sniff(raw[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(raw), dialect)
    extracted = _sheets_text([("", rows)], CSV)
    extracted.metadata.update(metadata)
    return extracted


def _sheets_text(sheets: Iterable[tuple[str, Iterable[Iterable[object]]]], media_type: str) -> Extracted:
    parts, cells, names = [], 0, []
    for name, rows in sheets:
        lines = []
        for row in rows:
            values = ["" if value is None else str(value) for value in row]
            cells += len(values)
            if cells > limits.MAX_SHEET_CELLS:
                raise IngestError("too_large", f"The spreadsheet has over {limits.MAX_SHEET_CELLS:,} cells.")
            if any(value.strip() for value in values):
                lines.append(" | ".join(value.strip() for value in values).rstrip(" |"))
        if lines:
            names.append(name)
            parts.append("\n".join([name, *lines]) if name else "\n".join(lines))
    text = clean_text("\n\n".join(parts))
    if not text:
        raise IngestError("no_text", "The spreadsheet has no cell with text.")
    metadata = {"sheets": names} if any(names) else {}
    return Extracted(text=text, title=None, media_type=media_type, metadata=metadata)
