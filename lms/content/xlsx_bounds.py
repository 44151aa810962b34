"""The question bank's limits on an uploaded .xlsx, checked while streaming before openpyxl.

A small file may unzip to gigabytes, millions of empty rows or one string of hundreds of
megabytes; lms.content.ooxml_limits counts them as they stream by. The spare rows hold the
template's examples and the formatted empty rows Excel keeps below the questions.
"""

from __future__ import annotations

from lms.content.ooxml_limits import EXCEL_CELL_CHARS, PackageLimits, PackageRefused, check_package
from lms.problems import Problem

SPARE_ROWS = 1000
COLUMNS = 256
#: English msgids (lms.problems), shown in the trainer's language.
MESSAGES = {
    "too_large": Problem("Unzipped, the file is larger than %(megabytes)s MB: split it into "
                         "several files"),
    "too_many_rows": Problem("A bank holds at most %(rows)s questions and the file has more "
                             "rows than that: split it into several files"),
    "too_many_columns": Problem("A row holds at most %(columns)s columns: fill in the bank "
                                "template again"),
    "cell_too_long": Problem("A cell holds more than %(chars)s characters (more than Excel "
                             "allows): check it and save again"),
}


def check_bounds(data: bytes, questions: int, unreadable: Problem,
                 refuse: type[Exception]) -> None:
    """Raise ``refuse([problem])`` if the file crosses a limit or is no zip."""
    limits = PackageLimits(rows=questions + 1 + SPARE_ROWS, columns=COLUMNS,
                           string_chars=EXCEL_CELL_CHARS)
    try:
        check_package(data, limits)
    except PackageRefused as refused:
        if refused.reason not in MESSAGES:
            raise refuse([unreadable]) from None
        message = MESSAGES[refused.reason].msgid
        raise refuse([Problem(message, **{**refused.params, "rows": questions})]) from None
