"""Reminders: due soon, then overdue, each once; digests for the admins whose units are late."""

from __future__ import annotations

from datetime import timedelta

from lms.services import assignments, overrides
from tests.reminder_world import DUE, LATE, SOON, notices_of, remind


def test_due_soon_then_overdue_each_once_across_runs(app, db, reminder_world):
    ann = reminder_world.people["ann"]
    assert remind(app, SOON - timedelta(days=3)).due_soon == 0  # 8 days ahead: not yet
    first = remind(app, SOON)
    assert (first.due_soon, first.overdue) == (4, 0)  # 甲, 乙, 丙 and 管乙 (role admin in 第二党支部)
    again = remind(app, SOON + timedelta(hours=1))
    assert (again.due_soon, again.overdue, again.digests) == (0, 0, 0)
    assert [(n.kind, n.params) for n in notices_of(db, ann)] == [
        ("due_soon", {"due_on": DUE.isoformat()})]

    late = remind(app, LATE)
    assert (late.due_soon, late.overdue) == (0, 4)
    assert (remind(app, LATE + timedelta(days=2)).overdue) == 0
    notices = notices_of(db, ann)
    assert [n.kind for n in notices] == ["due_soon", "overdue"]
    assert notices[1].course_id == reminder_world.course.id and notices[1].read_at is None


def test_people_who_completed_get_no_reminder(app, db, reminder_world):
    bo = reminder_world.people["bo"]
    overrides.override_completion(db, reminder_world.site_admin, bo, reminder_world.course,
                                  reason="线下集中学习已完成")
    remind(app, SOON)
    remind(app, LATE)
    assert notices_of(db, bo) == []
    assert len(notices_of(db, reminder_world.people["ann"])) == 2


def test_a_changed_due_date_gives_a_new_reminder(app, db, reminder_world):
    remind(app, SOON)
    later = DUE + timedelta(days=2)
    assignments.assign_course(db, reminder_world.site_admin, reminder_world.course,
                              unit=reminder_world.people["ann"].org_unit.parent, due_on=later)
    assert remind(app, SOON).due_soon == 4
    assert [n.params["due_on"] for n in notices_of(db, reminder_world.people["ann"])] == [
        DUE.isoformat(), later.isoformat()]


def test_digest_reaches_each_admin_with_their_own_units_count(app, db, reminder_world):
    assert remind(app, SOON).digests == 0  # nobody overdue yet
    assert remind(app, LATE).digests == 3
    expected = {"admin_b1": 2, "admin_b2": 2}  # 甲乙 in 第一党支部; 丙 and 管乙 in 第二党支部
    for key, count in expected.items():
        digest, = [n for n in notices_of(db, reminder_world.people[key]) if n.kind == "unit_digest"]
        assert digest.params["courses"] == [
            {"slug": reminder_world.course.slug, "title": "党章学习", "overdue": count}]
    boss, = notices_of(db, reminder_world.site_admin)
    assert boss.params["courses"][0]["overdue"] == 4
    assert not [n for n in notices_of(db, reminder_world.people["ann"]) if n.kind == "unit_digest"]
    assert remind(app, LATE + timedelta(days=1)).digests == 0  # once a week
    assert remind(app, LATE + timedelta(days=7)).digests == 3  # the next week's
