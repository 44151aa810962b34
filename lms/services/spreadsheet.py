"""Write spreadsheets people download: CSV and XLSX, safe to open in Excel or WPS.

Every file the admin room hands out (import templates, one-time password sheets, statistics
exports) goes through this module, so one rule protects them all against formula injection:
a text cell that Excel would run as a formula (starting with ``=``, ``+``, ``-`` or ``@``, or a
tab or carriage return that some programs skip first) gets an apostrophe in front, as OWASP
recommends. The stored value stays as typed; only the copy in the file is escaped. Numbers,
dates and None pass through untouched, so sums and sorting still work in Excel.

CSV is UTF-8 with a byte order mark, because Excel opens a BOM-less UTF-8 CSV as the local
ANSI code page and Chinese turns into mojibake. ``stream_csv`` yields the file line by line
so a 100 000-row export never sits in memory; ``write_xlsx`` uses openpyxl's write-only mode,
which keeps memory flat too.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
#: Control characters XML cannot hold, as openpyxl's ``ILLEGAL_CHARACTERS_RE`` (it refuses a
#: cell holding one); copied so that only the XLSX readers and writers import openpyxl, when run.
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


#: Characters a spreadsheet program may skip before it looks for a formula sign.
SKIPPED_FIRST = "".join(map(chr, range(0x20))) + " \u3000"


def safe_cell(value: Any) -> Any:
    """Return ``value`` as it may go into a cell: text Excel would run as a formula (also
    after leading spaces or control characters) is prefixed with an apostrophe; anything
    that is not text is returned unchanged."""
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS)
                                   or value.lstrip(SKIPPED_FIRST).startswith(FORMULA_STARTS)):
        return "'" + value
    return value


def xlsx_cell(value: Any) -> Any:
    """``safe_cell`` for XLSX: control characters XML cannot hold are dropped first, so
    dropping them can never uncover a formula sign after the check."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return safe_cell(value)


def write_xlsx(header: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "Sheet1",
               widths: Sequence[int] | None = None) -> bytes:
    """Build an XLSX file with a bold header row, then ``rows``; every cell is escaped.

    ``widths`` are column widths in characters (Chinese text needs about two per glyph).
    """
    return write_workbook([Sheet(title, header, rows, widths)])


@dataclass(frozen=True)
class Sheet:
    """One sheet of ``write_workbook``: its tab name, bold header row, rows and widths."""

    title: str
    header: Sequence[str]
    rows: Iterable[Sequence[Any]]
    widths: Sequence[int] | None = None


def write_workbook(sheets: Iterable[Sheet]) -> bytes:
    """Build an XLSX file of several sheets, each as ``write_xlsx`` writes one."""
    from openpyxl import Workbook  # here: only an XLSX download needs it, no page
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])
        for index, width in enumerate(spec.widths or (), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        header_cells = []
        for text in spec.header:
            cell = WriteOnlyCell(sheet, value=xlsx_cell(text))
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in spec.rows:
            sheet.append([xlsx_cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def stream_csv(header: Sequence[str] | None, rows: Iterable[Sequence[Any]], *,
               bom: bool = True) -> Iterator[str]:
    """Yield a CSV file line by line (BOM first), every cell escaped; wrap in a streamed
    response, encoded as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: Sequence[Any]) -> str:
        writer.writerow([safe_cell("" if value is None else value) for value in values])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    if bom:
        yield BOM
    if header is not None:
        yield line(header)
    for row in rows:
        yield line(row)


def csv_bytes(header: Sequence[str] | None, rows: Iterable[Sequence[Any]]) -> bytes:
    """The whole of ``stream_csv`` as UTF-8 bytes, for small files such as templates."""
    return "".join(stream_csv(header, rows)).encode("utf-8")


__all__ = ["CSV_MIMETYPE", "XLSX_MIMETYPE", "Sheet", "csv_bytes", "safe_cell", "stream_csv",
           "write_workbook", "write_xlsx"]
