"""Importing completion overrides (offline training) in a browser's shoes: every row checked,
preview, confirm once, a re-import records nothing twice."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from lms.models import CompletionOverride, Enrollment, ImportBatch, ModuleProgress, User
from lms.models.learning import ProgressStatus
from tests.admin.importing import (
    confirm,
    confirm_token,
    csv_file,
    import_file,
    page,
    upload,
    xlsx_file,
)
from tests.admin.test_people_views import english

URL = "/admin/overrides/import"
GB1 = "补录党委/第一党总支"
GB2 = "补录党委/第二党总支"
BRANCH = "补录党委/第一党总支/第一党支部"
HEADER = ["用户名", "课程", "模块", "理由"]
REASON = "参加了线下集中培训"


@pytest.fixture
def world(db, make_user, make_course, login_as, grant):
    """Two trainees in the admin's branch, one outside; a course of two modules."""
    make_user("trainee", unit=BRANCH, username="xue.yi", name="学员甲")
    make_user("trainee", unit=BRANCH, username="xue.er", name="学员乙")
    make_user("trainee", unit=GB2, username="wai.bu", name="外部学员")
    course = make_course([{"slug": "m1", "title": "第一节 党章"}, {"slug": "m2", "title": "第二节"}],
                         title="补录测试课程")
    admin = login_as("trainee", unit=BRANCH, name="支部书记")
    grant(admin, unit=GB1)
    return course


def user_id(db, username: str) -> int:
    return db.scalar(select(User.id).where(User.username == username))


def overrides(db) -> list[tuple[str, str | None, str, str]]:
    db.expire_all()
    return sorted(tuple(row) for row in db.execute(
        select(User.username, CompletionOverride.module_id, CompletionOverride.reason,
               CompletionOverride.source)
        .join(User, User.id == CompletionOverride.user_id)))


def test_the_templates_carry_the_header_row(client, world):
    assert client.get(f"{URL}/template.csv").data.decode("utf-8-sig").strip() == ",".join(HEADER)
    sheet = load_workbook(io.BytesIO(client.get(f"{URL}/template.xlsx").data)).active
    assert [cell.value for cell in sheet[1]] == HEADER


def test_module_and_whole_course_completions_are_recorded_once(client, db, world):
    english(client)
    data = xlsx_file([HEADER, ["xue.yi", world.title, "第一节 党章", REASON],
                      ["xue.er", world.slug, None, "外单位培训合格"]])
    preview = upload(client, URL, data, "补录.xlsx")
    assert preview.status_code == 200, page(preview)
    assert "2 completions to record, 0 already complete." in page(preview)
    assert overrides(db) == []
    result = client.get(confirm(client, URL, confirm_token(preview)).location)
    assert "Recorded 2 completions; 0 were already complete." in page(result)
    recorded = overrides(db)
    assert [(name, module is None, reason, source) for name, module, reason, source
            in recorded] == [("xue.er", True, "外单位培训合格", "import"),
                             ("xue.yi", False, REASON, "import")]
    assert db.scalar(select(ModuleProgress.status).where(
        ModuleProgress.user_id == user_id(db, "xue.yi"),
        ModuleProgress.module_id == recorded[1][1])) is ProgressStatus.COMPLETED
    assert db.scalar(select(Enrollment.completed_at).where(
        Enrollment.user_id == user_id(db, "xue.er"))) is not None


def test_a_reimport_records_nothing_twice_and_says_so(client, db, world):
    english(client)
    data = csv_file([HEADER, ["xue.yi", world.slug, "m1", REASON],
                     ["xue.yi", world.slug, "m2", REASON]])
    import_file(client, URL, data)
    assert len(overrides(db)) == 2
    preview = upload(client, URL, data)
    assert "0 completions to record, 2 already complete." in page(preview)
    result = client.get(confirm(client, URL, confirm_token(preview)).location)
    assert "Recorded 0 completions; 2 were already complete." in page(result)
    assert len(overrides(db)) == 2


def test_replaying_the_confirm_records_nothing_more(client, db, world):
    english(client)
    preview = upload(client, URL, csv_file([HEADER, ["xue.yi", world.slug, "", REASON]]))
    token = confirm_token(preview)
    assert confirm(client, URL, token).status_code == 303
    again = confirm(client, URL, token)
    assert again.status_code == 409 and "already imported" in page(again)
    assert len(overrides(db)) == 1


def test_bad_rows_record_nothing_and_are_listed_by_row(client, db, world):
    data = csv_file([HEADER, ["xue.yi", world.slug, "m1", REASON],
                     ["nobody", world.slug, "", REASON],
                     ["wai.bu", world.slug, "", REASON],
                     ["xue.er", "没有这门课", "", REASON],
                     ["xue.er", world.slug, "m9", REASON],
                     ["xue.er", world.slug, "m2", ""],
                     ["xue.yi", world.slug, "m1", "再写一遍"]])
    response = upload(client, URL, data)
    assert response.status_code == 400
    text = page(response)
    for row in range(3, 9):
        assert f"第{row}行: " in text
    assert "第2行: " not in text and "nobody" in text and "m9" in text
    assert overrides(db) == [] and db.scalar(select(func.count(ImportBatch.id))) == 0


def test_problems_read_row_n_in_english(client, world):
    english(client)
    response = upload(client, URL, csv_file([HEADER, ["wai.bu", world.slug, "", REASON],
                                             ["xue.yi", world.slug, "", ""]]))
    assert "Row 2: “wai.bu” belongs to a unit you do not administer." in page(response)
    assert "Row 3: The reason (理由) is empty: the trainee will read it." in page(response)
