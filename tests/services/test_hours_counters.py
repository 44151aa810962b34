"""The 学时 counters per unit equal the sum of the entries, after every kind of change.

Each test changes entries (or moves people) the way the app does and then compares
``UnitHoursStats`` with a GROUP BY over the entries in their people's current units.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select, update

from lms.models import HoursEntry, HoursKind, OrgUnit, UnitHoursStats, User
from lms.services import accounts, catalog, hours_entries, hours_import, org_admin, people_admin
from lms.services.hours_counters import count_entries
from lms.services.org import find_unit
from lms.unit_of_work import unit_of_work
from tests.admin.importing import csv_file
from tests.conftest import submit_quiz
from tests.services.test_hours import QUIZ, study

BRANCH = "计数党委/第一党总支/第一党支部"
OTHER = "计数党委/第二党总支/第一党支部"
HELD = date(2026, 4, 1)


def counted(db) -> dict[tuple, tuple]:
    """Every counter row that is not all zeros (a removal may leave one)."""
    db.expire_all()
    return {(unit, year, kind): (quarters, entries) for unit, year, kind, quarters, entries in
            db.execute(select(UnitHoursStats.org_unit_id, UnitHoursStats.year,
                              UnitHoursStats.kind, UnitHoursStats.quarter_hours,
                              UnitHoursStats.entries))
            if quarters or entries}


def summed(db) -> dict[tuple, tuple]:
    """What the counters should hold: the entries, each in its person's current unit."""
    return {(unit, year, kind): (int(quarters), entries) for unit, year, kind, quarters, entries
            in db.execute(select(User.org_unit_id, HoursEntry.year, HoursEntry.kind,
                                 func.sum(HoursEntry.quarter_hours), func.count())
                          .join(User, User.id == HoursEntry.user_id)
                          .where(User.org_unit_id.is_not(None))
                          .group_by(User.org_unit_id, HoursEntry.year, HoursEntry.kind))}


def assert_exact(db) -> dict[tuple, tuple]:
    rows = counted(db)
    assert rows == summed(db)
    return rows


def unit_id(db, path: str) -> int:
    return find_unit(db, path).id


@pytest.fixture
def admin(make_user):
    user, _ = make_user("admin", unit="计数党委", username="hours.site.admin")
    return user


def record(db, admin, person, hours="1.5", kind="central", held_on=HELD):
    return hours_entries.record_offline(db, db.get(User, admin.id), db.get(User, person.id),
                                        kind, hours, "党支部书记集中轮训", held_on)


def test_study_time_is_counted_in_the_unit_as_it_is_credited(db, make_user, make_course):
    made = make_course([{"minutes": 60}])
    user, _ = make_user(unit=BRANCH)
    module = catalog.get_course(db, made.slug).modules[0]
    study(db, user, module, 23)
    assert assert_exact(db) == {(unit_id(db, BRANCH), 2026, "online"): (2, 1)}
    study(db, user, module, 25, start=datetime(2026, 3, 3, 1, 0, tzinfo=UTC), tab="again")
    assert assert_exact(db) == {(unit_id(db, BRANCH), 2026, "online"): (4, 1)}


def test_a_passed_test_is_counted_with_the_pass(app, client, login_as, db, make_course):
    app.config["LMS_HOURS_RULE"] = "bands"
    try:
        made = make_course([{"questions": QUIZ}])
        user = login_as(unit=BRANCH)
        assert submit_quiz(client, made.modules[0].quiz_url, {"q1": "true"}).status_code == 303
    finally:
        app.config["LMS_HOURS_RULE"] = "per_class_hour"
    year = datetime.now().astimezone().year
    assert assert_exact(db) == {(user.org_unit_id, year, "online"): (2, 1)}


def test_offline_entries_are_counted_when_recorded_and_uncounted_when_removed(db, make_user,
                                                                             admin):
    person, _ = make_user(unit=BRANCH)
    first = record(db, admin, person)
    record(db, admin, person, "2", "group")
    record(db, admin, person, "0.25", "group", date(2025, 12, 31))
    branch = unit_id(db, BRANCH)
    assert assert_exact(db) == {(branch, 2026, "central"): (6, 1),
                                (branch, 2026, "group"): (8, 1),
                                (branch, 2025, "group"): (1, 1)}
    hours_entries.remove_offline(db, db.get(User, admin.id), first.id)
    assert assert_exact(db) == {(branch, 2026, "group"): (8, 1), (branch, 2025, "group"): (1, 1)}


def test_an_import_counts_every_row(db, make_user, admin):
    make_user(unit=BRANCH, username="import.one")
    make_user(unit=OTHER, username="import.two")
    data = csv_file([["用户名", "类型", "学时", "培训或学习名称", "日期"],
                     ["import.one", "集中培训", "3", "专题培训", "2026-04-01"],
                     ["import.two", "集体学习", "1.25", "主题党日", "2026-04-02"],
                     ["import.two", "集体学习", "1", "主题党日", "2026-05-02"]])
    actor = db.get(User, admin.id)
    preview = hours_import.prepare(db, actor, "学时.csv", data)
    assert not preview.problems
    hours_import.confirm(db, actor, preview.token)
    assert assert_exact(db) == {(unit_id(db, BRANCH), 2026, "central"): (12, 1),
                                (unit_id(db, OTHER), 2026, "group"): (9, 2)}


def test_the_yearly_replay_keeps_the_counters(app, db, make_user, make_course, runner):
    made = make_course([{"minutes": 60}])
    user, _ = make_user(unit=BRANCH)
    idle, _ = make_user(unit=OTHER)
    module = catalog.get_course(db, made.slug).modules[0]
    study(db, user, module, 20)
    with unit_of_work(db):   # an entry nothing in the record backs: the replay drops it
        stale = HoursEntry(user_id=idle.id, course_id=module.course_id, year=2026,
                           kind=HoursKind.ONLINE.value, quarter_hours=40)
        db.add(stale)
        count_entries(db, [stale])
    assert counted(db)[(unit_id(db, OTHER), 2026, "online")] == (40, 1)
    app.config["LMS_HOURS_RULE"] = "bands"
    try:
        result = runner.invoke(args=["lms", "hours", "recompute", "--year", "2026"])
    finally:
        app.config["LMS_HOURS_RULE"] = "per_class_hour"
    assert result.exit_code == 0, result.output
    assert assert_exact(db) == {(unit_id(db, BRANCH), 2026, "online"): (2, 1)}


def test_a_moved_person_takes_their_hours_to_the_new_unit(db, make_user, make_course, admin):
    made = make_course([{"minutes": 60}])
    person, _ = make_user(unit=BRANCH)
    stays, _ = make_user(unit=BRANCH)
    make_user(unit=OTHER)
    study(db, person, catalog.get_course(db, made.slug).modules[0], 23)
    record(db, admin, person, "4")
    record(db, admin, stays, "1")
    people_admin.move_person(db, db.get(User, admin.id), db.get(User, person.id),
                             find_unit(db, OTHER))
    branch, other = unit_id(db, BRANCH), unit_id(db, OTHER)
    assert assert_exact(db) == {(branch, 2026, "central"): (4, 1),
                                (other, 2026, "central"): (16, 1),
                                (other, 2026, "online"): (2, 1)}
    # A host application's user moving on their next request is the same event.
    host = accounts.sync_host_user(db, accounts.HostIdentity("ext-9", "host.user", "宿主用户",
                                                             unit_path=BRANCH))
    record(db, admin, host, "2")
    accounts.sync_host_user(db, accounts.HostIdentity("ext-9", "host.user", "宿主用户",
                                                      unit_path=OTHER))
    assert assert_exact(db)[(other, 2026, "central")] == (24, 2)


def test_a_moved_unit_keeps_its_rows(db, make_user, admin):
    person, _ = make_user(unit=BRANCH)
    make_user(unit=OTHER)
    record(db, admin, person, "2")
    before = assert_exact(db)
    branch = find_unit(db, BRANCH)
    org_admin.move_unit(db, db.get(User, admin.id), branch,
                        find_unit(db, "计数党委"))
    assert assert_exact(db) == before


def test_the_rebuild_recounts_hours_from_the_entries(db, make_user, admin, runner):
    person, _ = make_user(unit=BRANCH)
    record(db, admin, person, "2")
    record(db, admin, person, "3", "group")
    right = assert_exact(db)
    with unit_of_work(db):   # counters gone wrong (a restore, a bug): the rebuild mends them
        db.execute(update(UnitHoursStats).values(quarter_hours=999))
        db.execute(update(HoursEntry).values(counted_unit_id=db.scalar(
            select(OrgUnit.id).where(OrgUnit.parent_id.is_(None), OrgUnit.name == "计数党委"))))
    assert counted(db) != right
    result = runner.invoke(args=["lms", "stats", "rebuild"])
    assert result.exit_code == 0, result.output
    assert assert_exact(db) == right
    record(db, admin, person, "1")   # and counting goes on from there
    assert assert_exact(db)[(unit_id(db, BRANCH), 2026, "central")] == (12, 2)
