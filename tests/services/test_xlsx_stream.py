"""The streamed XLSX writer: what a spreadsheet program reads back is what was written."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from openpyxl import load_workbook

from lms.services import xlsx_stream


def _written(title, header, rows) -> bytes:
    file = io.BytesIO()
    xlsx_stream.write_sheet(file, title, header, rows)
    return file.getvalue()


def test_values_come_back_with_their_types_and_text_is_escaped():
    header = ["姓名", "得分", "截止日期", "完成时间", "已停用", "备注"]
    rows = [
        ["张三", 92.5, date(2026, 12, 4), datetime(2026, 12, 5, 8, 30, 15), False, None],
        ["=HYPERLINK(\"http://x\")", 7, None, None, True, "a < b & c > d"],
        ["  +1", -3, date(1900, 3, 1), None, None, "第一行\n第二行\x07"],
    ]
    sheet = load_workbook(io.BytesIO(_written("人员/状态", header, rows))).active
    got = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert got[0] == header
    assert got[1] == ["张三", 92.5, datetime(2026, 12, 4), datetime(2026, 12, 5, 8, 30, 15),
                      False, None]
    # Formulas arrive as text (apostrophe first, as spreadsheet.safe_cell writes them).
    assert got[2] == ["'=HYPERLINK(\"http://x\")", 7, None, None, True, "a < b & c > d"]
    assert got[3] == ["'  +1", -3, datetime(1900, 3, 1), None, None, "第一行\n第二行"]
    assert sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["D2"].is_date and sheet["C2"].is_date
    assert all(cell.font.b for cell in sheet[1]) and not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"
    assert sheet.title == "人员状态"  # "/" cannot be in a sheet's name


def test_wide_and_long_sheets_keep_every_cell_in_its_column():
    header = [f"列{n}" for n in range(30)]
    rows = ([n * 30 + c for c in range(30)] for n in range(1200))  # a generator, read once
    data = _written("x" * 40, header, rows)
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 1201
    assert values[1200][29] == 1199 * 30 + 29
    assert values[1][26] == 26  # column AA
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        assert '<c r="AD1201"><v>35999</v></c>' in package.read("xl/worksheets/sheet1.xml").decode()
    assert sheet.title == "x" * 31
