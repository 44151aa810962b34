"""An administrator walks the statistics on a phone: courses → 党委 → 总支 → 支部 → a person,
then downloads that person's modules as XLSX and opens it."""

from __future__ import annotations

import itertools

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from lms.models import User
from lms.services import catalog, progress
from lms.unit_of_work import unit_of_work
from tests.browser.conftest import create_staff
from tests.browser.test_trainee_flow import COURSE, horizontal_overflow, sign_in

pytestmark = pytest.mark.browser

_numbers = itertools.count(1)


def make_admin(live_server) -> tuple[str, str]:
    """A site administrator (the admin role without a unit)."""
    return create_staff(live_server, "admin", "组织部管理员")


def studied(live_server, username: str) -> dict:
    """The trainee opens the first module of the seed course; returns ids for the URLs."""
    app = live_server.app
    with app.app_context():
        session = app.extensions["lms"].session()
        user = session.query(User).filter_by(username=username).one()
        course = catalog.get_course(session, COURSE)
        with unit_of_work(session):
            progress.record_visit(session, user, course.modules[0])
        return {"user": user.id, "unit": user.org_unit_id,
                "modules": [module.title for module in course.modules]}


@pytest.fixture
def stats_admin(live_server):
    return make_admin(live_server)


def test_admin_drills_down_to_a_person_and_downloads_the_xlsx(new_page, live_server,
                                                             stats_admin, tmp_path):
    base = live_server.url
    trainee, _ = live_server.create_trainee(f"stats-trainee{next(_numbers)}")
    facts = studied(live_server, trainee)
    page = new_page(375, 740)
    overflow = []
    sign_in(page, base, *stats_admin)

    page.goto(f"{base}/admin/stats")
    overflow.append(horizontal_overflow(page))
    page.locator(f'#table-courses a[href="/admin/stats/{COURSE}"]').click()
    page.wait_for_url(f"{base}/admin/stats/{COURSE}")
    overflow.append(horizontal_overflow(page))
    expect(page.locator("#chart-units")).to_be_visible()
    expect(page.locator('[data-figure="learners"] dd')).not_to_have_text("0")

    for unit in ("党委", "第一党总支", "第一党支部"):
        page.locator("#table-units").get_by_role("link", name=unit, exact=True).click()
        page.wait_for_url(f"{base}/admin/stats/{COURSE}/units/*")
        expect(page.locator("h1")).to_contain_text(unit)
        overflow.append(horizontal_overflow(page))
    assert page.url.endswith(f"/units/{facts['unit']}")

    page.locator(f'#table-people a[href$="/people/{facts["user"]}"]').click()
    page.wait_for_url(f"{base}/admin/stats/{COURSE}/units/{facts['unit']}/people/"
                      f"{facts['user']}")
    overflow.append(horizontal_overflow(page))
    expect(page.locator("#table-modules tbody tr")).to_have_count(len(facts["modules"]))

    with page.expect_download() as download_info:
        page.locator("a.button", has_text="XLSX").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    assert COURSE in download.suggested_filename
    saved = tmp_path / "modules.xlsx"
    download.save_as(saved)
    sheet = load_workbook(saved, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == facts["modules"]
    assert rows[1][3] == 0  # opened, no quiz attempt yet
    assert [entry for entry in overflow if entry] == []
