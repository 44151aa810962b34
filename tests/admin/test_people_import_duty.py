"""The people import's optional 身份 (duty) and 邮箱 (e-mail) columns."""

from __future__ import annotations

import pytest

from tests.admin.importing import csv_file, import_file, page, upload
from tests.admin.test_people_import import BRANCH, GB1, HEADER, URL, people
from tests.admin.test_people_views import english

FULL = [*HEADER, "身份", "邮箱"]


@pytest.fixture
def admin(login_as, grant):
    """Signed in as the unit admin of 第一党总支 (a trainee with a grant), Chinese pages."""
    user = login_as("trainee", unit=BRANCH, name="总支组织委员")
    grant(user, unit=GB1)
    return user


def test_the_import_takes_duty_and_e_mail_in_chinese_or_english(client, db, admin):
    data = csv_file([FULL,
                     ["张书记", "zhang.shuji", BRANCH, "学员", "", "支部书记",
                      "zhang@example.com"],
                     ["李干部", "li.ganbu", BRANCH, "学员", "", "cadre", ""],
                     ["王党员", "wang.dangyuan", BRANCH, "学员", "", "", ""]])
    import_file(client, URL, data)
    made = people(db, "zhang.shuji", "li.ganbu", "wang.dangyuan")
    assert [(made[name].duty.value, made[name].email) for name in
            ("zhang.shuji", "li.ganbu", "wang.dangyuan")] == [
        ("secretary", "zhang@example.com"), ("cadre", None), ("member", None)]
    # Re-imported with empty cells: what is on record stays; a new value updates.
    import_file(client, URL, csv_file([FULL, ["张书记", "zhang.shuji", BRANCH, "学员",
                                              "", "", ""],
                                       ["李干部", "li.ganbu", BRANCH, "学员", "",
                                        "党员", "li@example.com"],
                                       ["王党员", "wang.dangyuan", BRANCH, "学员", "",
                                        "领导干部", ""]]))
    made = people(db, "zhang.shuji", "li.ganbu", "wang.dangyuan")
    assert made["wang.dangyuan"].duty.value == "cadre"   # the duty alone changed
    assert (made["zhang.shuji"].duty.value, made["zhang.shuji"].email) == (
        "secretary", "zhang@example.com")
    assert (made["li.ganbu"].duty.value, made["li.ganbu"].email) == ("member", "li@example.com")


def test_a_wrong_duty_or_e_mail_is_a_row_problem(client, db, admin):
    data = csv_file([FULL, ["张三", "zhang.san", BRANCH, "学员", "", "主席", ""],
                     ["李四", "li.si", BRANCH, "学员", "", "党员", "li.si@example"]])
    response = upload(client, URL, data)   # Chinese pages: the "第N行" form
    body = page(response)
    assert response.status_code == 400, body
    assert "第2行" in body and "主席" in body and "第3行" in body and "li.si@example" in body
    assert people(db, "zhang.san", "li.si") == {}
    english(client)
    body = page(upload(client, URL, data))
    assert "Row 2: Unknown duty (身份) “主席”" in body
    assert "Row 3: “li.si@example” is not an e-mail address" in body
