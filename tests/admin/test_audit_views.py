"""The audit log as an admin reads it: filters, names instead of ids, scope, query budget."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from flask_babel import gettext
from sqlalchemy import update

from lms.models import AdminAction, OrgUnit, User
from lms.services import grants, org_admin
from lms.services.grants import GrantTarget
from lms.services.org import find_unit
from tests.conftest import csrf_token

ROOT = "审计党委"
GB1 = "审计党委/第一党总支"
GB2 = "审计党委/第二党总支"
BRANCH = "审计党委/第一党总支/第一党支部"


def ui(app, message: str, **values) -> str:
    with app.test_request_context():
        return gettext(message, **values)


def log(response) -> str:
    """The entries of the page, without the filter form (whose unit list names every unit)."""
    text = response.get_data(as_text=True)
    return text.split('class="module-list audit-log"', 1)[1] if "audit-log" in text else ""


@pytest.fixture
def world(db, make_user):
    """Two admins; a unit created and renamed, a grant, each on a day of its own in 2024."""
    make_user("trainee", unit=GB2)
    site, _ = make_user("trainee", unit=BRANCH, username="auditsite", name="审计员甲")
    gb1, _ = make_user("trainee", unit=BRANCH, username="auditgb1", name="审计员乙")
    person, _ = make_user("trainee", unit=BRANCH, username="wangwu", name="王五")
    grants.grant(db, db.get(User, site.id), GrantTarget(grants.GrantKind.SITE_ADMIN))
    grants.grant(db, db.get(User, gb1.id), grants.find_target(db, unit_path=GB1))
    site, gb1 = db.get(User, site.id), db.get(User, gb1.id)
    unit = org_admin.create_unit(db, site, find_unit(db, GB1), "甲支部", "branch")
    org_admin.rename_unit(db, gb1, unit, "乙支部")
    grants.grant(db, db.get(User, person.id), grants.find_target(db, unit_path=BRANCH),
                 actor=site)
    db.execute(update(AdminAction).values(occurred_at=datetime(2023, 6, 1, tzinfo=UTC)))
    for action, day in (("unit_created", 10), ("unit_renamed", 11), ("grant_changed", 12)):
        db.execute(update(AdminAction).where(AdminAction.action == action,
                                             AdminAction.actor_id.is_not(None))
                   .values(occurred_at=datetime(2024, 2, day, 23, 30, tzinfo=UTC)))
    db.commit()  # everything else (people created, grants from the CLI) in 2023
    return {"site": site, "gb1": gb1, "unit": unit.id,
            "units": {path: find_unit(db, path).id for path in (GB1, GB2, BRANCH)}}


@pytest.fixture
def as_site(client, world):
    """Signed in as 审计员甲, the site admin."""
    response = client.post("/login", data={"username": "auditsite", "password":
                                           "correct-horse-1", "csrf_token": csrf_token(client)})
    assert response.status_code == 302
    return world


@pytest.mark.parametrize(("query", "expected"), [
    ("action=unit_renamed", ["unit_renamed"]),
    ("actor=auditgb1", ["unit_renamed"]),
    ("actor=+auditsite+&action=unit_created", ["unit_created"]),
    ("since=2024-02-11&until=2024-02-11", ["unit_renamed"]),  # whole UTC days, ends included
    ("since=2024-02-11", ["grant_changed", "unit_renamed"]),
    ("since=2024-01-01&until=2024-02-10", ["unit_created"]),
    ("since=2024-02-10&until=2024-02-12&actor=auditsite", ["grant_changed", "unit_created"]),
])
def test_filters_pick_the_right_entries(client, as_site, query, expected):
    response = client.get(f"/admin/audit?{query}")
    assert response.status_code == 200
    found = re.findall(r'data-action="(\w+)"', log(response))
    assert found == expected


@pytest.mark.parametrize(("query", "message"), [
    ("actor=nobody", "There is no person with this username."),
    ("since=2024-13-01", "Enter a date such as 2024-05-01."),
    ("since=2024-03-01&until=2024-02-01", "The end date is before the start date."),
    ("unit=999999", "Choose a unit from the list."),
])
def test_unreadable_filters_are_explained_not_ignored(app, client, as_site, query, message):
    response = client.get(f"/admin/audit?{query}")
    assert response.status_code == 400
    assert ui(app, message) in response.get_data(as_text=True)
    assert log(response) == ""


def test_entries_name_people_units_and_courses_instead_of_ids(app, client, db, as_site,
                                                              make_course):
    course = make_course([{"slug": "read"}])
    site = db.get(User, as_site["site"].id)
    grants.grant(db, db.get(User, as_site["gb1"].id),
                 grants.find_target(db, course_slug=course.slug), actor=site)
    text = log(client.get("/admin/audit"))
    assert "审计员甲 (auditsite)" in text and "审计员乙 (auditgb1)" in text
    assert "审计党委/第一党总支/甲支部" not in text  # renamed since: today's names
    assert "审计党委/第一党总支/乙支部" in text  # the unit's name path
    assert "王五 (wangwu)" in text  # the person a grant went to
    assert f"{ui(app, 'Name')}: 甲支部 → 乙支部" in text
    assert f"{ui(app, 'Kind')}: — → {ui(app, 'Unit admin')}" in text
    assert f"{ui(app, 'Unit')}: — → 第一党支部" in text
    assert f"{ui(app, 'Course')}: — → {course.title}" in text
    assert not re.search(r"#\d", text)  # no bare ids


def test_a_moved_unit_shows_in_its_old_and_new_subtree_and_the_unit_filter(
        app, client, db, login_as, grant, world):
    site = db.get(User, world["site"].id)
    moved = db.get(OrgUnit, world["unit"])
    org_admin.move_unit(db, site, moved, db.get(OrgUnit, world["units"][GB2]))
    units = world["units"]
    admin = login_as("trainee", unit=GB2)
    grant(admin, unit=GB2)
    assert "unit_moved" in log(client.get("/admin/audit"))  # filed under the new place
    client.post("/logout", data={"csrf_token": csrf_token(client, "/")})
    admin = login_as("trainee", unit=BRANCH)
    grant(admin, unit=GB1)
    text = log(client.get("/admin/audit"))
    assert "unit_moved" in text  # and shown where it left
    assert "审计党委/第一党总支/乙支部 → 审计党委/第二党总支/乙支部" in text
    assert "unit_moved" in log(client.get(f"/admin/audit?unit={units[GB1]}"))
    assert "unit_moved" not in log(client.get(f"/admin/audit?unit={units[BRANCH]}"))
    assert client.get(f"/admin/audit?unit={units[GB2]}").status_code == 400  # not theirs


def test_the_pager_keeps_the_filters(client, db, as_site):
    site = db.get(User, as_site["site"].id)
    for number in range(21):
        org_admin.create_unit(db, site, db.get(OrgUnit, as_site["units"][GB2]), f"新{number}",
                              "branch")
    text = client.get("/admin/audit?action=unit_created&actor=auditsite").get_data(as_text=True)
    nexts = re.findall(r'href="(/admin/audit\?[^"]*page=2[^"]*)"', text)
    assert nexts and "action=unit_created" in nexts[0] and "actor=auditsite" in nexts[0]
    second = client.get(nexts[0].replace("&amp;", "&"))
    assert re.findall(r'data-action="(\w+)"', log(second)) == ["unit_created"] * 2


def test_the_audit_page_queries_the_same_for_few_and_many_entries(client, db, as_site,
                                                                  make_course, count_queries):
    site = db.get(User, as_site["site"].id)
    course = make_course([{"slug": "read"}])

    def changes(number: int) -> None:
        unit = org_admin.create_unit(db, site, db.get(OrgUnit, as_site["units"][GB1]),
                                     f"预算{number}", "branch")
        org_admin.move_unit(db, site, unit, db.get(OrgUnit, as_site["units"][GB2]))
        person = db.get(User, as_site["gb1"].id)
        for target in (grants.find_target(db, course_slug=course.slug),
                       GrantTarget(grants.GrantKind.UNIT_ADMIN, unit=unit)):
            grants.grant(db, person, target, actor=site)
            grants.revoke(db, person, target, actor=site)

    changes(0)
    for path in ("/admin/audit", "/admin/audit?actor=auditsite&since=2020-01-01"):
        _, few = count_queries(path)
        for number in range(1, 6):
            changes(number * 10 + len(path))
        response, many = count_queries(path)
        assert len(re.findall(r'data-action="', log(response))) == 20
        assert len(many) == len(few), many.report()
        assert many.writes == []
