"""The question bank's limits on an uploaded .xlsx, checked while streaming before openpyxl.

A small file may unzip to gigabytes, millions of empty rows or one string of hundreds of
megabytes; lms.content.ooxml_limits counts them as they stream by. The spare rows hold the
template's examples and the formatted empty rows Excel keeps below the questions.
"""

from __future__ import annotations

from lms.content.ooxml_limits import EXCEL_CELL_CHARS, PackageLimits, PackageRefused, check_package

SPARE_ROWS = 1000
COLUMNS = 256
MESSAGES = {
    "too_large": "文件解压后超过{megabytes}MB，请拆分成多个文件分别导入",
    "too_many_rows": "题库最多{rows}道题，文件的行数超出上限，请拆分成多个文件分别导入",
    "too_many_columns": "一行最多{columns}列，请从题库模板重新填写",
    "cell_too_long": "有单元格超过{chars}个字符（超出 Excel 的上限），请检查后重新保存",
}


def check_bounds(data: bytes, questions: int, unreadable: str,
                 refuse: type[Exception]) -> None:
    """Raise ``refuse([message])`` in Chinese if the file crosses a limit or is no zip."""
    limits = PackageLimits(rows=questions + 1 + SPARE_ROWS, columns=COLUMNS,
                           string_chars=EXCEL_CELL_CHARS)
    try:
        check_package(data, limits)
    except PackageRefused as refused:
        message = MESSAGES.get(refused.reason, unreadable)
        raise refuse([message.format(**{**refused.params, "rows": questions})]) from None
