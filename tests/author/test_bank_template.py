"""The downloaded Excel template, uploaded as it is or filled in below its examples."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from lms.models import Question
from tests.conftest import csrf_token

IMPORT = "/author/courses/assess/modules/scoring/import"
TEMPLATE = "/author/question-bank-template.xlsx"


def upload(client, data: bytes):
    return client.post(IMPORT, data={"csrf_token": csrf_token(client, IMPORT),
                                     "file": (io.BytesIO(data), "题库模板.xlsx")},
                       content_type="multipart/form-data")


def bank_count(db) -> int:
    return db.scalar(select(func.count()).select_from(Question).where(Question.origin == "bank"))


def test_the_unchanged_template_imports_nothing_and_says_the_examples_were_skipped(
        client, login_as, db, grant, app):
    grant(login_as("trainer"), course="assess")
    template = client.get(TEMPLATE)
    assert template.status_code == 200
    examples = load_workbook(io.BytesIO(template.data))["题库"].max_row - 1
    assert examples == sum(1 for t in app.extensions["lms"].question_types.types()
                           if t.excel_labels and t.excel_example)

    response = upload(client, template.data)
    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f"文件里只有模板的{examples}行示例" in text and "示例不会导入" in text
    assert 'name="payload"' not in text  # nothing to confirm
    assert bank_count(db) == 0


def test_questions_below_the_examples_are_previewed_without_them(client, login_as, db, grant):
    grant(login_as("trainer"), course="assess")
    book = load_workbook(io.BytesIO(client.get(TEMPLATE).data))
    sheet = book["题库"]
    examples = sheet.max_row - 1
    sheet.append(["判断题", "支部党员大会一般每季度召开一次。", *[None] * 6, "正确", None, 1,
                  "易", "组织生活"])
    data = io.BytesIO()
    book.save(data)

    text = upload(client, data.getvalue()).get_data(as_text=True)
    assert "预览：将导入 1 道题" in text
    assert f"模板中的{examples}行示例（题干以“【示例】”开头）未导入。" in text
    assert "支部党员大会一般每季度召开一次。" in text and "组织生活" in text
    assert "【示例】" not in text.split("未导入")[1]  # no example among the previewed questions
