"""Office files are bounded while streaming: hostile workbooks stop early, in little memory."""

from __future__ import annotations

import tracemalloc

import pytest

from lms.content.ooxml_limits import PackageLimits, PackageRefused, check_package
from tests.admin.importing import xlsx_file
from tests.content.hostile_xlsx import empty_rows, huge_shared_string, sheet_of, workbook
from tests.content.test_course_zip import lying

SHEET = PackageLimits(rows=4001, columns=256, string_chars=32_767)
#: Far below the 1 GB the 500 MB string took, far above the few MB a refusal needs.
PEAK_BYTES = 20 * 1024 * 1024


def refusal(data: bytes, limits: PackageLimits = SHEET) -> tuple[str, int]:
    """The reason ``check_package`` refuses ``data`` for, and the memory it took meanwhile."""
    tracemalloc.start()
    try:
        with pytest.raises(PackageRefused) as refused:
            check_package(data, limits)
        return refused.value.reason, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_two_million_empty_rows_stop_at_the_row_limit():
    data = empty_rows()
    assert len(data) < 300 * 1024
    reason, peak = refusal(data)
    assert reason == "too_many_rows" and peak < PEAK_BYTES


def test_one_shared_string_of_500_mb_is_refused_by_its_size_or_its_length():
    data = huge_shared_string()
    assert len(data) < 600 * 1024
    reason, peak = refusal(data)
    assert reason == "too_large" and peak < PEAK_BYTES
    # Its header claiming 40 MB instead, streaming stops at Excel's limit for one cell.
    reason, peak = refusal(lying(data, "xl/sharedStrings.xml", 40 * 1024 * 1024))
    assert reason == "cell_too_long" and peak < PEAK_BYTES


def test_a_header_claiming_less_than_the_part_holds_gets_no_further():
    # zipfile hands out no more than the claim, so the part is cut short and unreadable.
    reason, peak = refusal(lying(huge_shared_string(), "xl/sharedStrings.xml", 1000))
    assert reason == "unreadable" and peak < PEAK_BYTES


@pytest.mark.parametrize(("rows", "reason"), [
    (b'<row r="1048576"/>', "too_many_rows"),  # openpyxl would pad a million rows
    (b"<row>" + b"<c/>" * 300 + b"</row>", "too_many_columns"),
    (b'<row r="2"><c r="XFD2"/></row>', "too_many_columns"),
    (b'<row r="2"><c r="A2" t="inlineStr"><is><r><t>' + b"x" * 20_000 + b"</t></r><r><t>"
     + b"y" * 20_000 + b"</t></r></is></c></row>", "cell_too_long"),
    (b'<row r="2"><c r="A2"><v>' + b"1" * 40_000 + b"</v></c></row>", "cell_too_long"),
    (b"<x>" * 200 + b"</x>" * 200, "too_large"),  # nesting
])
def test_each_limit_of_a_sheet_is_checked(rows, reason):
    assert refusal(sheet_of(rows))[0] == reason


def test_entity_declarations_are_refused_before_any_expansion():
    laughs = (b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY a "aaaaaaaaaa">'
              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><s>&b;</s>')
    assert refusal(workbook([laughs]))[0] == "unreadable"


def test_an_ordinary_workbook_and_a_full_sheet_pass():
    check_package(xlsx_file([["姓名", "用户名"], ["张三", "zhang.san"]]), SHEET)
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%s</t></is></c></row>'
                    % (n, n, b"x" * 1000) for n in range(2, 4002))
    check_package(sheet_of(rows), SHEET)
    assert refusal(sheet_of(rows + b'<row r="4002"/>'))[0] == "too_many_rows"
