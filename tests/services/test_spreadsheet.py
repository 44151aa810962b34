"""Spreadsheets in and out: formula-safe writing, bounded reading of untrusted uploads."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from lms.services import tabular
from lms.services.spreadsheet import csv_bytes, safe_cell, stream_csv, write_xlsx
from lms.services.tabular import TableRefused, read_bounded, read_table
from tests.admin.importing import xlsx_file as xlsx

HEADER = ["姓名", "用户名"]


def with_dimension(data: bytes, ref: str) -> bytes:
    """The same workbook, its sheet claiming the dimension ``ref``."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(),
                                 content)
                assert ref.encode() in content
            target.writestr(item, content)
    return out.getvalue()


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1",
                                  '=HYPERLINK("http://evil","点我")'])
def test_text_excel_would_run_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["张三", "a=b", "", None, 3, -2.5, "'=already"])
def test_other_values_pass_unchanged(value):
    assert safe_cell(value) == value


def test_xlsx_cells_are_escaped_text_and_numbers_stay_numbers():
    data = write_xlsx(HEADER, [['=HYPERLINK("http://evil","x")', 42], ["张三", None]],
                      title="名单", widths=[10, 12])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "名单"
    assert [c.value for c in sheet[1]] == HEADER
    first = sheet["A2"]
    assert first.value == '\'=HYPERLINK("http://evil","x")' and first.data_type == "s"
    assert sheet["B2"].value == 42 and sheet["B2"].data_type == "n"
    assert sheet["A3"].value == "张三"


def test_control_characters_cannot_hide_a_formula_from_the_escaping():
    data = write_xlsx(HEADER, [["\x01=HYPERLINK(\"http://evil\",\"x\")", " \t+1+1"]])
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("'=")
    assert sheet["B2"].data_type == "s" and sheet["B2"].value.startswith("'")
    assert safe_cell("\x01=1+1") == "'\x01=1+1"


def test_every_control_character_a_cell_may_hold_is_written_and_the_rest_dropped():
    """The XLSX writers drop what openpyxl would refuse, so no name or title breaks a download
    (their own copy of its rule lets a page leave openpyxl unimported)."""
    controls = "".join(map(chr, range(0x20)))
    data = write_xlsx(HEADER, [[f"甲{controls}乙", "x"]])
    assert load_workbook(io.BytesIO(data)).active["A2"].value == "甲\t\n\r乙"


def test_csv_has_a_bom_for_excel_and_escapes_formulas():
    data = csv_bytes(HEADER, [["=cmd|' /C calc'!A0", "u1"], ["李四", None]])
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").splitlines() == [
        "姓名,用户名", "'=cmd|' /C calc'!A0,u1", "李四,"]


def test_stream_csv_yields_line_by_line():
    lines = stream_csv(None, ([n, n * 2] for n in range(3)))
    assert next(lines) == "\ufeff"
    assert list(lines) == ["0,0\r\n", "1,2\r\n", "2,4\r\n"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gb18030(encoding):
    text = "姓名,用户名\r\n张三,zhangsan\r\n,\r\n\"王 五\",wangwu\r\n"
    table = read_table("名单.CSV", text.encode(encoding))
    assert table.header == ("姓名", "用户名")
    assert table.rows == [(2, ("张三", "zhangsan")), (4, ("王 五", "wangwu"))]


def test_xlsx_rows_keep_spreadsheet_numbers_and_numbers_become_text():
    table = read_table("a.xlsx", xlsx([HEADER + ["手机号"], ["张三", "zs", 13800138000.0],
                                       [None, None, None], ["李四", "ls", None]]))
    assert table.rows == [(2, ("张三", "zs", "13800138000")), (4, ("李四", "ls"))]


def test_a_declared_two_million_rows_are_refused_before_any_row_is_read(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("rows were iterated")

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", never)
    data = with_dimension(xlsx([HEADER, ["张三", "zs"]]), "A1:B2000000")
    with pytest.raises(TableRefused) as refused:
        read_table("big.xlsx", data)
    assert refused.value.reason == "too_many_rows"


def test_rows_beyond_the_limit_are_refused_not_dropped(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    rows = [HEADER] + [[f"人{n}", f"u{n}"] for n in range(4)]
    for name, data in (("a.xlsx", xlsx(rows)),
                       ("a.csv", "\n".join(",".join(r) for r in rows).encode())):
        with pytest.raises(TableRefused) as refused:
            read_table(name, data)
        assert refused.value.reason == "too_many_rows"
    assert len(read_table("a.csv", "\n".join(",".join(r) for r in rows[:4]).encode()).rows) == 3


def test_a_sheet_whose_rows_jump_far_ahead_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 10)
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.cell(row=5000, column=1, value="远处")
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = with_dimension(buffer.getvalue(), "A1:B2")  # the claim hides the far row
    with pytest.raises(TableRefused) as refused:
        read_table("far.xlsx", data)
    assert refused.value.reason == "too_many_rows"


def test_a_zip_bomb_is_refused_by_its_unzipped_size(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_UNZIPPED_BYTES", 1000)
    with pytest.raises(TableRefused) as refused:
        read_table("a.xlsx", xlsx([HEADER, ["张" * 2000, "x"]]))
    assert refused.value.reason == "unpacks_too_large"


def test_reading_an_upload_stops_one_byte_past_the_limit():
    stream = io.BytesIO(b"x" * 100)
    with pytest.raises(TableRefused) as refused:
        read_bounded(stream, limit=10)
    assert refused.value.reason == "too_large" and stream.tell() == 11
    assert read_bounded(io.BytesIO(b"x" * 10), limit=10) == b"x" * 10


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("a.txt", b"a,b", "unsupported_type"),
    ("a.xlsx", b"not a zip", "unreadable"),
    ("a.csv", b"", "empty"),
    ("a.csv", b"\x81\x30", "encoding"),
    ("a.csv", b"a,b\n" + b",".join([b"x"] * 40), "too_many_columns"),
])
def test_unreadable_files_are_refused_with_a_reason(name, data, reason):
    with pytest.raises(TableRefused) as refused:
        read_table(name, data)
    assert refused.value.reason == reason
