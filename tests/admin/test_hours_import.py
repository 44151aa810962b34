"""Importing offline 学时 in a browser's shoes: every row checked, preview, confirm once,
only people in the admin's reach."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from lms.models import HoursEntry, ImportBatch, User
from lms.services.assignments import today
from lms.services.hours import year_totals
from tests.admin.importing import confirm, confirm_token, csv_file, page, upload, xlsx_file
from tests.admin.test_people_views import english

URL = "/admin/hours/import"
GB1 = "学时党委/第一党总支"
GB2 = "学时党委/第二党总支"
BRANCH = "学时党委/第一党总支/第一党支部"
HEADER = ["用户名", "类型", "学时", "培训或学习名称", "日期"]
DAY = (today() - timedelta(days=3))


@pytest.fixture
def world(db, make_user, login_as, grant):
    """Two trainees in the admin's branch, one in another branch."""
    make_user("trainee", unit=BRANCH, username="xue.yi", name="学员甲")
    make_user("trainee", unit=BRANCH, username="xue.er", name="学员乙")
    make_user("trainee", unit=GB2, username="wai.bu", name="外部学员")
    admin = login_as("trainee", unit=BRANCH, name="支部书记")
    grant(admin, unit=GB1)


def totals(db, username: str) -> dict[str, float]:
    db.expire_all()
    user_id = db.scalar(select(User.id).where(User.username == username))
    return year_totals(db, user_id, DAY.year)


def entries(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count(HoursEntry.id)))


def test_the_templates_carry_the_header_row_as_plain_text(client, world):
    csv = client.get(f"{URL}/template.csv")
    assert csv.data.decode("utf-8-sig").strip() == ",".join(HEADER)
    sheet = load_workbook(io.BytesIO(client.get(f"{URL}/template.xlsx").data)).active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert all(cell.data_type == "s" for cell in sheet[1])
    assert sheet.max_row == 1


def test_a_valid_file_records_every_row_and_the_totals_change(client, db, world):
    english(client)
    data = xlsx_file([HEADER, ["xue.yi", "集中培训", 2.5, "党章学习集中培训", DAY],
                      ["xue.yi", "集体学习", "1", "+理论学习", DAY.isoformat()],
                      ["xue.er", "集体学习", 0.25, "支部集体学习", DAY.isoformat()]])
    preview = upload(client, URL, data, "学时.xlsx")
    assert preview.status_code == 200, page(preview)
    assert "3 entries to record, 3.75 hours in all." in page(preview)
    assert entries(db) == 0
    result = client.get(confirm(client, URL, confirm_token(preview)).location)
    assert "Recorded 3 entries, 3.75 hours in all." in page(result)
    assert totals(db, "xue.yi") == {"online": 0.0, "central": 2.5, "group": 1.0, "total": 3.5}
    assert totals(db, "xue.er")["group"] == 0.25
    titles = set(db.scalars(select(HoursEntry.title)))
    assert "+理论学习" in titles  # stored as written


def test_one_bad_row_lists_the_problems_and_records_nothing(client, db, world):
    future = (today() + timedelta(days=1)).isoformat()
    data = csv_file([HEADER, ["xue.yi", "集中培训", "2", "集中培训", DAY.isoformat()],
                     ["xue.er", "网络培训", "2", "名称", DAY.isoformat()],
                     ["xue.er", "集体学习", "0.3", "名称", DAY.isoformat()],
                     ["xue.er", "集体学习", "1", "", DAY.isoformat()],
                     ["xue.er", "集体学习", "1", "名称", "2025/3/1"],
                     ["xue.er", "集体学习", "1", "名称", future],
                     ["nobody", "集体学习", "1", "名称", DAY.isoformat()]])
    response = upload(client, URL, data)
    assert response.status_code == 400
    text = page(response)
    for row in range(3, 9):
        assert f"第{row}行: " in text
    assert "第2行: " not in text and "nobody" in text
    assert entries(db) == 0 and db.scalar(select(func.count(ImportBatch.id))) == 0


def test_a_person_outside_the_admins_reach_is_a_row_problem(client, db, world):
    english(client)
    response = upload(client, URL, csv_file([
        HEADER, ["xue.yi", "集中培训", "1", "培训", DAY.isoformat()],
        ["wai.bu", "集中培训", "1", "培训", DAY.isoformat()]]))
    assert response.status_code == 400
    assert "Row 3: “wai.bu” belongs to a unit you do not administer." in page(response)
    assert entries(db) == 0


def test_replaying_the_confirm_records_nothing_more(client, db, world):
    english(client)
    preview = upload(client, URL, csv_file([HEADER, ["xue.yi", "集中培训", "4", "培训",
                                                     DAY.isoformat()]]))
    token = confirm_token(preview)
    assert confirm(client, URL, token).status_code == 303
    again = confirm(client, URL, token)
    assert again.status_code == 409 and "already imported" in page(again)
    assert entries(db) == 1 and totals(db, "xue.yi")["central"] == 4.0


def test_the_admin_room_links_the_import(client, world):
    assert f'href="{URL}"' in page(client.get("/admin/overrides/import"))
