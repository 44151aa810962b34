"""The people, 学时 and override imports read spreadsheets within bounds: the attack files of
issue 11 are refused at once, in a few MB, with a reason the pages word."""

from __future__ import annotations

import tracemalloc

import pytest

from lms.services import tabular
from lms.services.tabular import TableRefused, read_table
from tests.content.hostile_xlsx import empty_rows, huge_shared_string, sheet_of
from tests.content.test_course_zip import lying

PEAK_BYTES = 20 * 1024 * 1024


def refused(data: bytes) -> tuple[TableRefused, int]:
    tracemalloc.start()
    try:
        with pytest.raises(TableRefused) as caught:
            read_table("名单.xlsx", data)
        return caught.value, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_two_million_empty_rows_are_refused_as_too_many_rows_in_little_memory():
    error, peak = refused(empty_rows())
    assert (error.reason, error.params) == ("too_many_rows", {"rows": tabular.MAX_ROWS})
    assert peak < PEAK_BYTES


def test_a_500_mb_shared_string_is_refused_in_little_memory():
    error, peak = refused(huge_shared_string())
    assert error.reason == "unpacks_too_large" and peak < PEAK_BYTES
    error, peak = refused(lying(huge_shared_string(), "xl/sharedStrings.xml", 40 * 1024 * 1024))
    assert error.reason == "cell_too_long" and peak < PEAK_BYTES


def test_rows_without_cells_count_and_so_does_a_lying_or_absent_dimension(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 10)
    monkeypatch.setattr(tabular, "BLANK_TAIL", 5)
    assert len(read_table("a.xlsx", sheet_of(b"<row/>" * 15)).rows) == 0  # within the tail
    for rows in (b"<row/>" * 16, b'<row r="17"/>',
                 b'<row r="2"><c r="A2"/><c r="B2"/></row>' * 16):
        error, _ = refused(sheet_of(rows))
        assert error.reason == "too_many_rows", rows[:40]
    dimension = sheet_of(b"<row/>" * 16).replace(b"<sheetData>", b'<dimension ref="A1:B2"/>'
                                                 b"<sheetData>")
    assert refused(dimension)[0].reason == "too_many_rows"


def test_a_row_of_thousands_of_empty_cells_is_refused():
    error, peak = refused(sheet_of(b"<row>" + b"<c/>" * 100_000 + b"</row>"))
    assert (error.reason, error.params) == ("too_many_columns",
                                            {"columns": tabular.MAX_COLUMNS})
