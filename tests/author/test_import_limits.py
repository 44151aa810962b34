"""The question bank upload refuses hostile files with a clear 400 and stages nothing:
the two workbooks of issue 11, and GIFT files that would hold a worker for a minute."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from sqlalchemy import func, select

from lms.models import ImportBatch
from tests.author.test_author_views import IMPORT, bank_count
from tests.conftest import csrf_token
from tests.content.hostile_xlsx import empty_rows, huge_shared_string
from tests.content.test_course_zip import lying

CASES = {
    "empty rows": (empty_rows, "题库.xlsx", "题库最多2000道题，文件的行数超出上限"),
    "huge string": (huge_shared_string, "题库.xlsx", "文件解压后超过64MB"),
    "huge string, small claim": (
        lambda: lying(huge_shared_string(), "xl/sharedStrings.xml", 40 * 1024 * 1024),
        "题库.xlsx", "有单元格超过32767个字符"),
    "tiny questions": (lambda: b"Q{=a ~b}\n\n" * 400_000, "题库.gift",
                       "文件超过 200000 行"),
    "millions of answers": (lambda: b"Q{" + b"~a" * 2_000_000 + b"}", "题库.gift",
                            "这道题超过 32767 个字符"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_bank_file_gets_a_clear_400_in_little_memory(client, login_as, db, grant,
                                                                case):
    build, filename, message = CASES[case]
    grant(login_as("trainer"), course="assess")
    data, token = build(), csrf_token(client, IMPORT)
    tracemalloc.start()
    try:
        response = client.post(IMPORT, data={"csrf_token": token,
                                             "file": (io.BytesIO(data), filename)},
                               content_type="multipart/form-data")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert peak < 40 * 1024 * 1024  # the 500 MB string took 1 GB before
    assert bank_count(db) == 0
    assert db.scalar(select(func.count()).select_from(ImportBatch)) == 0
