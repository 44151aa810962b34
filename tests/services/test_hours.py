"""The 学时 ledger: crediting rules, online entries kept with the beats and passes that earn
them, and a year replayed from the record after the rule changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from lms.models import HoursEntry, HoursKind
from lms.services import catalog, hours
from lms.services.hours_rules import bands, per_class_hour
from lms.services.study_time import Beat, record_beat
from lms.unit_of_work import unit_of_work
from tests.conftest import submit_quiz

START = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
QUIZ = [{"type": "true_false", "prompt": "党员应当按期交纳党费。", "answer": "正确"}]


@pytest.mark.parametrize(("minutes", "passed", "expected"), [
    (0, False, 0), (22, False, 0), (22.5, False, 2), (44, True, 2), (45, False, 4),
    (90, False, 8), (134, False, 10)])
def test_the_default_rule_counts_class_hours_of_45_minutes_down_to_a_half(minutes, passed,
                                                                         expected):
    assert per_class_hour(int(minutes * 60), passed) == expected


@pytest.mark.parametrize(("minutes", "passed", "expected"), [
    (0, False, 0), (0, True, 2), (1, False, 1), (14.9, False, 1), (15, False, 2),
    (29, True, 4), (30, False, 4), (300, True, 6)])
def test_the_band_rule_counts_per_course_plus_a_half_for_the_test(minutes, passed, expected):
    assert bands(int(minutes * 60), passed) == expected


def study(db, user, module, minutes, start=START, tab="tab"):
    """Beats every 30 s for ``minutes`` of real study."""
    for n in range(minutes * 2 + 1):
        record_beat(db, user, module, Beat(tab, n + 1), beat_cap=40, cap_multiple=100,
                    now=start + timedelta(seconds=30 * n))


def entry(db, user, year=2026) -> HoursEntry | None:
    return db.scalar(select(HoursEntry).where(HoursEntry.user_id == user.id,
                                              HoursEntry.year == year,
                                              HoursEntry.kind == HoursKind.ONLINE.value))


def test_study_time_reaches_the_ledger_in_the_same_unit(db, make_user, make_course):
    made = make_course([{"minutes": 30}])
    user, _ = make_user()
    module = catalog.get_course(db, made.slug).modules[0]
    study(db, user, module, 23)
    online = entry(db, user)
    assert (online.kind, online.active_seconds, online.quarter_hours) == ("online", 1380, 2)
    assert hours.year_totals(db, user.id, 2026) == {"online": 0.5, "central": 0.0,
                                                     "group": 0.0, "total": 0.5}
    study(db, user, module, 1, start=datetime(2027, 1, 5, 2, 0, tzinfo=UTC), tab="next")
    # A new year, a new entry; its first beat credits at most one beat's cap (40 s).
    assert entry(db, user, 2027).active_seconds == 40 + 60
    assert entry(db, user).active_seconds == 1380


def test_a_passed_test_marks_the_entry_and_the_band_rule_counts_it(app, client, login_as, db,
                                                                   make_course):
    app.config["LMS_HOURS_RULE"] = "bands"
    try:
        made = make_course([{"questions": QUIZ}])
        user = login_as()
        response = submit_quiz(client, made.modules[0].quiz_url, {"q1": "true"})
        assert response.status_code == 303
        passed = entry(db, user, datetime.now().year)
        assert passed.test_passed and passed.quarter_hours == 2  # no study time, the test 0.5
    finally:
        app.config["LMS_HOURS_RULE"] = "per_class_hour"


def test_recompute_replays_a_year_with_the_new_rule(app, db, make_user, make_course, runner):
    made = make_course([{"minutes": 30}])
    user, _ = make_user()
    idle, _ = make_user()
    module = catalog.get_course(db, made.slug).modules[0]
    study(db, user, module, 20)
    with unit_of_work(db):
        db.add(HoursEntry(user_id=idle.id, course_id=module.course_id, year=2026,
                          kind=HoursKind.ONLINE.value, quarter_hours=40, active_seconds=99999))
        db.add(HoursEntry(user_id=user.id, year=2026, kind=HoursKind.CENTRAL.value,
                          quarter_hours=32, title="党校轮训", held_on=date(2026, 5, 1)))
    assert entry(db, user).quarter_hours == 0  # 20 minutes: under half a class hour
    app.config["LMS_HOURS_RULE"] = "bands"
    try:
        result = runner.invoke(args=["lms", "hours", "recompute", "--year", "2026"])
    finally:
        app.config["LMS_HOURS_RULE"] = "per_class_hour"
    assert result.exit_code == 0, result.output
    assert "2026 年：2 人共 1 条网络培训学时记录" in result.output
    db.expire_all()
    rows = {(e.user_id, e.kind): e for e in db.scalars(select(HoursEntry))}
    assert rows[(user.id, "online")].quarter_hours == 2  # 15–30 minutes: 0.5
    assert rows[(user.id, "online")].active_seconds == 1200
    assert (idle.id, "online") not in rows  # no beat backs it: gone
    assert rows[(user.id, "central")].quarter_hours == 32  # the admins' entries stay
    assert hours.year_totals(db, user.id, 2026)["total"] == 8.5
