"""Every admin import page refuses the hostile spreadsheets of issue 11 with a clear message
and stages nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from lms.models import ImportBatch
from tests.admin.importing import page, upload
from tests.admin.test_people_views import english
from tests.content.hostile_xlsx import empty_rows, huge_shared_string

URLS = ["/admin/people/import", "/admin/hours/import", "/admin/overrides/import"]


@pytest.fixture
def admin(login_as, grant):
    user = login_as("trainee", unit="限额党委/第一党支部", name="组织委员")
    grant(user, unit="限额党委")
    return user


@pytest.mark.parametrize("url", URLS)
def test_hostile_workbooks_get_a_clear_400_and_nothing_is_staged(client, db, admin, url):
    english(client)
    rows = upload(client, url, empty_rows(), "名单.xlsx")
    assert rows.status_code == 400
    assert "The file has more than 3000 rows. Split it into several files." in page(rows)
    string = upload(client, url, huge_shared_string(), "名单.xlsx")
    assert string.status_code == 400
    assert "The Excel file unpacks to more than 64 MB." in page(string)
    assert db.scalar(select(func.count()).select_from(ImportBatch)) == 0
