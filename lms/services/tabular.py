"""Read an uploaded CSV or XLSX file into a header and numbered rows, within fixed bounds.

Imports check every row before anything is stored, and an upload is untrusted input, so the
limits come before any parsing: the byte count while reading the stream; for an XLSX, the
bytes its parts really unzip to and the rows, cells and string lengths its XML holds, counted
while streaming before openpyxl opens it (lms.content.ooxml_limits: a zip bomb, a flood of
empty rows or one huge string stops here); the sheet's declared dimension before a single row
is iterated (openpyxl pads up to it with empty rows); then a hard cap on rows and columns
while reading. Row numbers are the ones the spreadsheet shows
(the header is row 1), so messages read "第3行: …" and point at the row people see.

CSV may be UTF-8 (with or without the BOM Excel writes) or GB18030, which Excel and WPS on
Chinese Windows save by default. Cells come back as stripped text; numbers from XLSX lose a
spurious ".0" (a phone number typed into Excel is a float).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath
from typing import IO, Any

from lms.content.ooxml_limits import (
    EXCEL_CELL_CHARS,
    PackageLimits,
    PackageRefused,
    check_package,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED_BYTES = 64 * 1024 * 1024
#: Rows per file. A confirm imports in one write transaction (about 3 s per 1 000 people
#: here), so a file is kept to what commits in seconds; larger lists go in several files.
MAX_ROWS = 3_000
MAX_COLUMNS = 30
MAX_CELL_CHARS = 1000
#: Cells a row may hold before openpyxl sees it (empty ones beyond MAX_COLUMNS are ignored).
SCANNED_COLUMNS = 256
#: Empty rows allowed below the last row that may hold data (Excel keeps formatted ones).
BLANK_TAIL = 1000
FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
HEADER_NOISE = re.compile(r"[\s*＊]|[（(].*?[)）]")


class TableRefused(Exception):
    """The file cannot be read as a table; ``reason`` is a stable key the web layer words."""

    def __init__(self, reason: str, **params: Any):
        super().__init__(f"{reason} {params}" if params else reason)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a row (``row`` is the spreadsheet's row number, header 1).

    ``code`` is a stable key, ``params`` fill its message; the web layer words both in the
    reader's language.
    """

    row: int
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    #: (row number, cells without trailing empty ones); empty rows are left out, numbers
    #: keep counting.
    rows: list[tuple[int, tuple[str, ...]]]


def _header_key(text: str) -> str:
    """"手机号（选填）", "* 姓名" and "Name" match "手机号", "姓名" and "name"."""
    return HEADER_NOISE.sub("", text).casefold()


def map_columns(header: tuple[str, ...], aliases: dict[str, str],
                titles: dict[str, str], required: Iterable[str]) -> tuple[dict[str, int],
                                                                          list[Problem]]:
    """Find each field's column by its header text (``aliases``: header → field key).

    Extra columns (序号, 备注) are ignored; a repeated or missing required header is a
    problem on row 1. ``titles`` name each field in messages (the template's header).
    """
    known = {_header_key(alias): key for alias, key in aliases.items()}
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for index, text in enumerate(header):
        key = known.get(_header_key(text))
        if key is None:
            continue
        if key in columns:
            problems.append(Problem(1, "duplicate_column", {"column": text}))
            continue
        columns[key] = index
    problems += [Problem(1, "missing_column", {"column": titles[key]})
                 for key in required if key not in columns]
    return columns, problems


def cell(cells: tuple[str, ...], columns: dict[str, int], key: str) -> str:
    """The row's text in field ``key``'s column ("" when the column is absent or short)."""
    index = columns.get(key)
    return cells[index] if index is not None and index < len(cells) else ""


def read_bounded(stream: IO[bytes], limit: int = MAX_BYTES) -> bytes:
    """Read at most ``limit`` bytes of an upload; one byte more means the file is refused."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise TableRefused("too_large", megabytes=limit // (1024 * 1024))
    return data


def format_of(filename: str) -> str:
    kind = FORMATS.get(PurePath(filename or "").suffix.lower())
    if kind is None:
        raise TableRefused("unsupported_type")
    return kind


def read_table(filename: str, data: bytes) -> Table:
    """Read a CSV or XLSX upload (chosen by its name); raise ``TableRefused`` if it cannot
    be read or is over a limit."""
    if len(data) > MAX_BYTES:
        raise TableRefused("too_large", megabytes=MAX_BYTES // (1024 * 1024))
    kind = format_of(filename)
    lines = _csv_rows(data) if kind == "csv" else _xlsx_rows(data)
    return _table(lines)


def _table(lines: Iterable[tuple[int, list[Any]]]) -> Table:
    header: tuple[str, ...] | None = None
    rows: list[tuple[int, tuple[str, ...]]] = []
    for number, values in lines:
        if len(values) > MAX_COLUMNS and any(_text(v) for v in values[MAX_COLUMNS:]):
            raise TableRefused("too_many_columns", columns=MAX_COLUMNS)
        cells = [_text(value) for value in values[:MAX_COLUMNS]]
        while cells and not cells[-1]:  # XLSX rows come padded to the widest column
            cells.pop()
        # Blank rows after the last allowed one are tolerated, but not without end.
        if number > MAX_ROWS + 1 and (any(cells) or number > MAX_ROWS + 1 + BLANK_TAIL):
            raise TableRefused("too_many_rows", rows=MAX_ROWS)
        if header is None:
            header = tuple(cells)
        elif cells:
            rows.append((number, tuple(cells)))
    if header is None or not any(header):
        raise TableRefused("empty")
    return Table(header, rows)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        value = value.isoformat()
    return str(value).strip()[:MAX_CELL_CHARS]


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise TableRefused("encoding")
    if "\x00" in text:
        raise TableRefused("unreadable")
    try:
        yield from enumerate(csv.reader(io.StringIO(text, newline="")), start=1)
    except csv.Error:
        raise TableRefused("unreadable") from None


def _check_xlsx(data: bytes) -> None:
    """Stream the workbook's parts within the byte, row, column and string limits before
    openpyxl sees them (lms.content.ooxml_limits, which the question bank's reader uses too)."""
    limits = PackageLimits(unzipped_bytes=MAX_UNZIPPED_BYTES, rows=MAX_ROWS + 1 + BLANK_TAIL,
                           columns=SCANNED_COLUMNS, string_chars=EXCEL_CELL_CHARS)
    try:
        check_package(data, limits)
    except PackageRefused as refused:
        shown = {"too_many_rows": {"rows": MAX_ROWS}, "too_many_columns": {"columns": MAX_COLUMNS},
                 "too_large": {"megabytes": MAX_UNZIPPED_BYTES // (1024 * 1024)}}
        reason = "unpacks_too_large" if refused.reason == "too_large" else refused.reason
        raise TableRefused(reason, **shown.get(refused.reason, refused.params)) from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook  # here: only an upload needs it, no page

    _check_xlsx(data)
    try:  # data_only: a formula cell counts as the value people saw in Excel
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise TableRefused("unreadable") from None
    try:
        if not workbook.worksheets:
            raise TableRefused("empty")
        sheet = workbook.worksheets[0]
        # The <dimension> tag is only a claim, but openpyxl would pad up to it: refuse a
        # claim beyond the limits before iterating anything.
        if (sheet.max_row or 0) > MAX_ROWS + 1:
            raise TableRefused("too_many_rows", rows=MAX_ROWS)
        sheet.reset_dimensions()  # within the limits, trust the cells, not a stale claim
        rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
        try:
            for number, values in enumerate(rows, start=1):
                yield number, list(values)
        except TableRefused:
            raise
        except Exception:
            raise TableRefused("unreadable") from None
    finally:
        workbook.close()


__all__ = ["MAX_BYTES", "MAX_ROWS", "Problem", "Table", "TableRefused", "cell", "format_of",
           "map_columns", "read_bounded", "read_table"]
