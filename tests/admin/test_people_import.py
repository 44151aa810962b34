"""Importing people in a browser's shoes: check every row, preview, confirm once, passwords
once, re-import updates.

Most messages are checked in English (the header's language switch); the "第N行" form of
row problems is checked in Chinese, the default.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm.attributes import set_committed_value

from lms.db import utcnow
from lms.models import AdminAction, ImportBatch, User
from lms.services import tabular
from lms.services.org import find_unit
from lms.unit_of_work import unit_of_work
from tests.admin.importing import (
    PASSWORDS_FORM,
    confirm,
    confirm_token,
    csv_file,
    import_file,
    page,
    upload,
    xlsx_file,
)
from tests.admin.test_people_views import english
from tests.conftest import csrf_token, sign_in

URL = "/admin/people/import"
ROOT = "导入党委"
GB1 = "导入党委/第一党总支"
GB2 = "导入党委/第二党总支"
BRANCH = "导入党委/第一党总支/第一党支部"
HEADER = ["姓名", "用户名", "所属组织", "角色", "手机号"]


@pytest.fixture
def units(db, make_user):
    make_user("trainee", unit=BRANCH, username="old.member", name="老党员")
    make_user("trainee", unit=GB2, username="outsider", name="外总支学员")
    return {path: find_unit(db, path).id for path in (ROOT, GB1, GB2, BRANCH)}


@pytest.fixture
def admin(login_as, grant, units):
    """Signed in as the unit admin of 第一党总支 (a trainee with a grant), Chinese pages."""
    user = login_as("trainee", unit=BRANCH, name="总支组织委员")
    grant(user, unit=GB1)
    return user


def people(db, *usernames: str) -> dict[str, User]:
    db.expire_all()
    return {user.username: user for user in db.scalars(
        select(User).where(User.username.in_(usernames)))}


def count_users(db) -> int:
    return db.scalar(select(func.count(User.id)))


def download_passwords(client, result) -> list[tuple[str, str, str]]:
    action = PASSWORDS_FORM.search(page(result)).group(1)
    response = client.post(action, data={"csrf_token": csrf_token(client, URL)})
    assert response.status_code == 200, page(response)
    assert response.headers["Cache-Control"] == "no-store"
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=2)]


def test_the_templates_carry_the_header_row(client, admin):
    response = client.get(f"{URL}/template.csv")
    assert response.status_code == 200
    full = [*HEADER, "身份", "邮箱"]   # the last two are optional
    assert response.data.decode("utf-8-sig").strip() == ",".join(full)
    response = client.get(f"{URL}/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    assert [cell.value for cell in sheet[1]] == full and sheet.max_row == 1
    assert "template.xlsx" in page(client.get(URL)) and "template.csv" in page(client.get(URL))


def test_preview_then_confirm_creates_people_who_sign_in_with_the_sheet(app, client, db, admin):
    data = csv_file([HEADER, ["张三", "zhang.san", BRANCH, "学员", "13800138000"],
                     ["李四", "li.si", GB1, "讲师", ""]])
    preview = upload(client, URL, data)
    assert preview.status_code == 200, page(preview)
    assert "zhang.san" in page(preview) and "li.si" in page(preview)
    assert people(db, "zhang.san", "li.si") == {}  # a preview stores no person
    done = confirm(client, URL, confirm_token(preview))
    assert done.status_code == 303
    result = client.get(done.location)
    assert result.headers["Cache-Control"] == "no-store"
    made = people(db, "zhang.san", "li.si")
    assert made["zhang.san"].display_name == "张三"
    assert made["zhang.san"].org_unit_id == find_unit(db, BRANCH).id
    assert made["zhang.san"].phone == "13800138000"
    assert made["li.si"].role.value == "trainer" and made["li.si"].must_change_password
    assert db.scalar(select(func.count(AdminAction.id)).where(
        AdminAction.action == "person_created", AdminAction.actor_id == admin.id)) == 2
    sheet = download_passwords(client, result)
    assert sorted(row[:2] for row in sheet) == [("li.si", "李四"), ("zhang.san", "张三")]
    for username, _name, password in sheet:
        other = app.test_client()
        assert sign_in(other, username, "wrong-password").status_code != 302
        assert sign_in(other, username, password).status_code == 302


def test_gb18030_csv_and_xlsx_files_import_too(client, db, admin):
    data = csv_file([HEADER, ["王五", "wang.wu", BRANCH, "trainee", ""]], "gb18030")
    import_file(client, URL, data)
    data = xlsx_file([HEADER, ["赵六", "zhao.liu", BRANCH, "Trainer", 13900139000]])
    import_file(client, URL, data, "名单.xlsx")
    made = people(db, "wang.wu", "zhao.liu")
    assert made["wang.wu"].display_name == "王五"
    assert made["zhao.liu"].role.value == "trainer" and made["zhao.liu"].phone == "13900139000"


def test_one_bad_row_imports_nothing_and_names_every_bad_row(client, db, admin):
    before = count_users(db)
    data = csv_file([HEADER, ["张三", "zhang.san", BRANCH, "学员", ""],
                     ["李四", "li.si", "导入党委/没有这个支部", "学员", ""],
                     ["王五", "wang.wu", BRANCH, "书记", ""],
                     ["", "", "", "", ""],
                     ["赵六", "zhang.san", BRANCH, "学员", "电话"]])
    response = upload(client, URL, data)
    assert response.status_code == 400
    text = page(response)
    assert "第3行: " in text and "导入党委/没有这个支部" in text
    assert "第4行: " in text and "书记" in text
    assert "第6行: " in text and "第5行: " not in text and "第2行: " not in text
    assert 'name="token"' not in text
    assert count_users(db) == before
    assert db.scalar(select(func.count(ImportBatch.id))) == 0


def test_problems_are_worded_in_english_as_row_n(client, admin):
    english(client)
    response = upload(client, URL, csv_file([HEADER, ["张三", "x", BRANCH, "学员", ""]]))
    assert response.status_code == 400
    assert re.search(r"Row 2: The username “x” must be 3 to 80", page(response))
    response = upload(client, URL, csv_file([["姓名", "用户名"], ["张三", "zhang.san"]]))
    assert "Row 1: The column “所属组织” is missing" in page(response)


def test_units_outside_the_admins_subtree_and_their_people_are_row_errors(client, db, admin):
    english(client)
    data = csv_file([HEADER, ["张三", "zhang.san", GB2, "学员", ""],
                     ["外总支学员", "outsider", BRANCH, "学员", ""],
                     ["党委委员", "top.member", ROOT, "学员", ""]])
    response = upload(client, URL, data)
    assert response.status_code == 400
    text = page(response)
    assert f"Row 2: The unit “{GB2}” is not one you administer." in text
    assert "Row 3: “outsider” belongs to a unit you do not administer." in text
    assert f"Row 4: The unit “{ROOT}” is not one you administer." in text
    assert people(db, "outsider")["outsider"].org_unit_id == find_unit(db, GB2).id


def test_duplicate_usernames_and_the_admin_role_are_row_errors(client, admin):
    english(client)
    data = csv_file([HEADER, ["张三", "zhang.san", BRANCH, "学员", ""],
                     ["张三丰", "zhang.san", BRANCH, "学员", ""],
                     ["王五", "wang.wu", BRANCH, "管理员", ""]])
    text = page(upload(client, URL, data))
    assert "Row 3: The username “zhang.san” already appears in row 2." in text
    assert "Row 4: Only site administrators may give or take the administrator role." in text


def test_replaying_the_confirm_imports_nothing_more(app, client, db, admin, make_user, grant):
    english(client)
    preview = upload(client, URL, csv_file([HEADER, ["张三", "zhang.san", BRANCH, "学员", ""]]))
    token = confirm_token(preview)
    assert confirm(client, URL, token).status_code == 303
    users = count_users(db)
    again = confirm(client, URL, token)
    assert again.status_code == 409
    assert "This file was already imported; nothing more was imported." in page(again)
    assert count_users(db) == users
    # The token is the uploader's own: another admin holding it confirms nothing either.
    other, password = make_user("trainee", unit=BRANCH)
    grant(other, unit=GB1)
    stranger = app.test_client()
    sign_in(stranger, other.username, password)
    assert confirm(stranger, URL, token).status_code in (400, 409)
    assert count_users(db) == users + 1  # the second admin, nobody else


def test_the_confirm_claims_the_batch_with_a_conditional_update(app, db, admin):
    """Of two confirms that both read the batch as unconfirmed, the UPDATE lets one through."""
    from lms.services import import_batches
    from lms.services.import_batches import BatchRefused

    actor = db.get(User, admin.id)
    batch, token = import_batches.stage(db, actor, "people", [], {})
    with pytest.raises(BatchRefused) as refused, unit_of_work(db):
        db.execute(ImportBatch.__table__.update().where(ImportBatch.id == batch.id)
                   .values(confirmed_at=utcnow()))  # the winner committed meanwhile
        stale = db.get(ImportBatch, batch.id)
        set_committed_value(stale, "confirmed_at", None)  # what the loser had read before
        import_batches.claim(db, actor, "people", token)
    assert refused.value.reason == "already_imported"


def test_the_password_sheet_downloads_once(client, db, admin):
    english(client)
    result = import_file(client, URL, csv_file([HEADER, ["张三", "zhang.san", BRANCH, "学员", ""]]))
    action = PASSWORDS_FORM.search(page(result)).group(1)
    assert len(download_passwords(client, result)) == 1
    db.expire_all()
    assert db.scalar(select(ImportBatch.passwords)) is None  # wiped from the database
    again = client.post(action, data={"csrf_token": csrf_token(client, URL)})
    assert again.status_code == 410
    assert "The password sheet was already downloaded" in page(again)
    assert "already downloaded and the passwords were deleted" in page(client.get(result.request.path))


def test_a_reimport_updates_the_same_people_and_says_so(client, db, admin):
    english(client)
    rows = [HEADER, ["张三", "zhang.san", BRANCH, "学员", ""], ["李四", "li.si", BRANCH, "学员", ""]]
    import_file(client, URL, csv_file(rows))
    ids = {name: user.id for name, user in people(db, "zhang.san", "li.si").items()}
    users = count_users(db)
    rows[1] = ["张三", "zhang.san", GB1, "讲师", "13700137000"]
    preview = upload(client, URL, csv_file(rows))
    assert "1 new people" not in page(preview)
    assert "0 new people, 1 to update, 1 unchanged." in page(preview)
    result = client.get(confirm(client, URL, confirm_token(preview)).location)
    assert "0 new people, 1 people updated, 1 unchanged." in page(result)
    assert not PASSWORDS_FORM.search(page(result))
    assert count_users(db) == users
    made = people(db, "zhang.san", "li.si")
    assert {name: user.id for name, user in made.items()} == ids
    assert made["zhang.san"].org_unit_id == find_unit(db, GB1).id
    assert made["zhang.san"].role.value == "trainer" and made["zhang.san"].phone == "13700137000"


def test_a_failure_while_importing_keeps_nothing(client, db, admin, monkeypatch):
    from lms.services import people_admin

    english(client)
    real, calls = people_admin.create_person, []

    def fail_second(*args, **kwargs):
        calls.append(kwargs["username"])
        if len(calls) == 2:
            raise people_admin.PersonChangeRefused("username_taken", "taken meanwhile")
        return real(*args, **kwargs)

    monkeypatch.setattr(people_admin, "create_person", fail_second)
    before = count_users(db)
    preview = upload(client, URL, csv_file([HEADER, ["张三", "zhang.san", BRANCH, "学员", ""],
                                            ["李四", "li.si", BRANCH, "学员", ""]]))
    response = confirm(client, URL, confirm_token(preview))
    assert response.status_code == 409
    assert "Row 3: The username “li.si” was taken by someone else meanwhile." in page(response)
    assert count_users(db) == before and calls == ["zhang.san", "li.si"]
    db.expire_all()
    assert db.scalar(select(ImportBatch.confirmed_at)) is None


def test_a_unit_deactivated_after_the_preview_stops_the_confirm(client, db, admin):
    english(client)
    preview = upload(client, URL, csv_file([HEADER, ["张三", "zhang.san", GB1, "学员", ""]]))
    token = confirm_token(preview)
    with unit_of_work(db):
        find_unit(db, GB1).active = False
    response = confirm(client, URL, token)
    assert response.status_code == 409
    assert f"Row 2: The unit “{GB1}” is deactivated." in page(response)
    assert people(db, "zhang.san") == {}


def test_formula_text_is_stored_as_typed_and_escaped_in_the_sheet(client, db, admin):
    name = '=HYPERLINK("http://evil.example","点我")'
    workbook = Workbook()
    workbook.active.append(HEADER)
    workbook.active.append([name, "zhang.san", BRANCH, "学员"])
    workbook.active["A2"].data_type = "s"  # typed as text, as a CSV would carry it
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_file(client, URL, buffer.getvalue(), "名单.xlsx")
    assert people(db, "zhang.san")["zhang.san"].display_name == name
    [(username, written, _password)] = download_passwords(client, result)
    assert username == "zhang.san" and written == "'" + name


def test_an_oversized_upload_is_refused_with_a_clear_message(client, db, admin):
    english(client)
    for size in (tabular.MAX_BYTES + 10, 2 * tabular.MAX_BYTES):
        response = upload(client, URL, b"x" * size)
        assert response.status_code == 413
        assert "The file is larger than 5 MB." in page(response)


def test_a_sheet_claiming_two_million_rows_is_refused(client, db, admin, monkeypatch):
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    from tests.services.test_spreadsheet import with_dimension

    def never(*args, **kwargs):
        raise AssertionError("rows were iterated")

    english(client)
    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", never)
    data = with_dimension(xlsx_file([HEADER, ["张三", "zhang.san", BRANCH, "学员", None]]),
                          "A1:E2000000")
    response = upload(client, URL, data, "大表.xlsx")
    assert response.status_code == 400
    assert f"The file has more than {tabular.MAX_ROWS} rows." in page(response)


def test_other_admins_cannot_open_a_result_or_take_its_passwords(app, client, db, admin,
                                                                 make_user, grant):
    result = import_file(client, URL, csv_file([HEADER, ["张三", "zhang.san", BRANCH, "学员", ""]]))
    action = PASSWORDS_FORM.search(page(result)).group(1)
    other, password = make_user("trainee", unit=BRANCH)
    grant(other, unit=GB1)
    stranger = app.test_client()
    sign_in(stranger, other.username, password)
    assert stranger.get(result.request.path).status_code == 404
    response = stranger.post(action, data={"csrf_token": csrf_token(stranger, URL)})
    assert response.status_code == 404
    db.expire_all()
    assert db.scalar(select(ImportBatch.passwords)) is not None


def test_passwords_not_downloaded_within_the_hour_are_purged(client, db, admin, runner):
    result = import_file(client, URL, csv_file([HEADER, ["张三", "zhang.san", BRANCH, "学员", ""]]))
    assert PASSWORDS_FORM.search(page(result))
    with unit_of_work(db):  # confirmed 61 minutes ago, never downloaded
        batch = db.scalar(select(ImportBatch))
        batch.confirmed_at = batch.confirmed_at - timedelta(minutes=61)
    outcome = runner.invoke(args=["lms", "imports", "purge"])
    assert outcome.exit_code == 0, outcome.output
    db.expire_all()
    assert db.scalar(select(ImportBatch.passwords)) is None
    assert not PASSWORDS_FORM.search(page(client.get(result.request.path)))
