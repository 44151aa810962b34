"""Downloads of the dashboard's tables: CSV (UTF-8 with BOM) and XLSX, every cell escaped.

Small tables (a level of units, the funnel…) are built whole with ``services.spreadsheet``.
Person-level lists can hold 100 000 rows, so they stream: rows come from the database a
chunk at a time, a CSV goes out line by line as it is written, and an XLSX is written as
XML (``services.xlsx_stream``) into an anonymous temporary file that is then sent in pieces,
so neither the rows nor the workbook ever sit in memory whole.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

from flask import Response, current_app, stream_with_context
from sqlalchemy.orm import Session

from lms.admin import stats_labels
from lms.services import spreadsheet, xlsx_stream
from lms.services.stats_report import Table

FORMATS = ("csv", "xlsx")
MIMETYPES = {"csv": spreadsheet.CSV_MIMETYPE, "xlsx": spreadsheet.XLSX_MIMETYPE}
PIECE = 64 * 1024


def filename(parts: Sequence[str], today: date, fmt: str) -> str:
    """"demo-第一党支部-逾期人员-2024-05-06.xlsx": what, where and when, safe as a name."""
    cleaned = ["".join(c for c in part if c not in '\\/:*?"<>|\r\n\t').strip() for part in parts]
    return "-".join([*(part for part in cleaned if part), today.isoformat()]) + f".{fmt}"


def _disposition(name: str, fallback: str) -> str:
    """RFC 6266 / 5987: an ASCII name for old clients, the UTF-8 one for everyone else."""
    ascii_name = "".join(c for c in fallback if c.isascii() and c not in '"\\') or "export"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def _response(body, fmt: str, name: str, fallback: str) -> Response:
    return Response(body, mimetype=MIMETYPES[fmt], headers={
        "Content-Disposition": _disposition(name, fallback),
        "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"})


def table_download(table: Table, fmt: str, name: str, fallback: str) -> Response:
    """A small table as one file, worded like the page."""
    header = stats_labels.header(table.columns)
    rows = list(stats_labels.file_rows(table.columns, table.rows))
    if fmt == "csv":
        body = spreadsheet.csv_bytes(header, rows)
    else:
        body = spreadsheet.write_xlsx(header, rows, title=str(stats_labels.TITLES.get(
            table.name, table.name)), widths=[18] * len(header))
    return _response(body, fmt, name, fallback)


def streamed_download(columns: Sequence[str], rows: Callable[[Session], Iterable[Sequence[Any]]],
                      fmt: str, title: str, name: str, fallback: str) -> Response:
    """A long list, streamed. ``rows(session)`` reads the database lazily; it runs in a
    session of its own, opened when sending starts and closed when it ends (or the client
    goes away), inside the request's context so the wording keeps the reader's language."""
    header = stats_labels.header(columns)
    sessions = current_app.extensions["lms"].sessionmaker

    def body() -> Iterator[bytes]:
        session = sessions()
        try:
            worded = stats_labels.file_rows(columns, rows(session))
            if fmt == "csv":
                yield from _csv_pieces(header, worded)
            else:
                yield from _xlsx_pieces(header, worded, title)
        finally:
            session.close()

    return _response(stream_with_context(body()), fmt, name, fallback)


def _csv_pieces(header: list[str], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    """``spreadsheet.stream_csv`` gathered into pieces of about 64 KiB."""
    buffered: list[str] = []
    size = 0
    for text in spreadsheet.stream_csv(header, rows):
        buffered.append(text)
        size += len(text)
        if size >= PIECE // 3:  # up to three bytes per character in UTF-8
            yield "".join(buffered).encode("utf-8")
            buffered, size = [], 0
    if buffered:
        yield "".join(buffered).encode("utf-8")


def _xlsx_pieces(header: list[str], rows: Iterable[Sequence[Any]],
                 title: str) -> Iterator[bytes]:
    with tempfile.TemporaryFile(prefix="lms-export-") as file:
        xlsx_stream.write_sheet(file, title, header, rows)
        file.seek(0)
        while piece := file.read(PIECE):
            yield piece
