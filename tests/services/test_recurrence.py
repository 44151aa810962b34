"""Recurring training: a lapsing completion reopens the course for the assigned person, with
the earlier cycle's record, attempts and 学时 kept, and passes counted per cycle."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from lms.models import CourseCycle, Enrollment, ModuleProgress, ProgressStatus
from lms.services import catalog, progress, quizzes
from lms.services.assignments import assign_course
from lms.services.recurrence import add_months, open_due_cycles
from lms.unit_of_work import unit_of_work
from tests.services.test_completion_rules import QUESTION, pass_quiz

COMPLETED = datetime(2025, 12, 10, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("day", "months", "expected"), [
    (date(2025, 1, 31), 1, date(2025, 2, 28)), (date(2024, 12, 10), 12, date(2025, 12, 10)),
    (date(2025, 11, 30), 3, date(2026, 2, 28)), (date(2024, 2, 29), 12, date(2025, 2, 28)),
])
def test_months_are_added_as_calendars_do(day, months, expected):
    assert add_months(day, months) == expected


@pytest.fixture
def yearly(app, db, make_user, make_course):
    """A yearly course assigned to one trainee who passed its quiz on COMPLETED."""
    made = make_course([{"questions": [QUESTION]}], rules={"recur_months": 12})
    course = catalog.get_course(db, made.slug)
    admin, _ = make_user(role="admin")
    trainee, _ = make_user()
    with unit_of_work(db):
        assign_course(db, admin, course, people=[trainee])
    assert pass_quiz(app, db, trainee, course.modules[0]).passed
    enrollment = db.scalar(select(Enrollment).where(Enrollment.user_id == trainee.id))
    with unit_of_work(db):
        enrollment.completed_at = COMPLETED  # as if it had been a year ago
    return course, trainee


def enrollment_of(db, user):
    db.expire_all()
    return db.scalar(select(Enrollment).where(Enrollment.user_id == user.id))


def test_nothing_reopens_before_the_notice_window(db, yearly):
    course, trainee = yearly
    assert open_due_cycles(db, today=date(2026, 11, 9), notice_days=30) == 0
    assert enrollment_of(db, trainee).cycle == 1


def test_a_lapsing_completion_reopens_the_course_once_with_its_record_kept(app, db, yearly):
    course, trainee = yearly
    assert open_due_cycles(db, today=date(2026, 11, 10), notice_days=30) == 1
    assert open_due_cycles(db, today=date(2026, 11, 11), notice_days=30) == 0
    row = enrollment_of(db, trainee)
    assert (row.cycle, row.completed_at, row.due_on) == (2, None, date(2026, 12, 10))
    kept = db.scalars(select(CourseCycle).where(CourseCycle.user_id == trainee.id)).all()
    assert [(c.cycle, c.completed_at) for c in kept] == [(1, COMPLETED)]
    module = course.modules[0]
    state = db.scalar(select(ModuleProgress).where(ModuleProgress.user_id == trainee.id))
    assert state.status is ProgressStatus.NOT_STARTED and state.best_score is None
    # last cycle's pass neither completes this cycle's module nor uses up its attempts
    assert not progress.has_passed_quiz(db, trainee, module)
    assert quizzes.attempts_left(db, trainee, module) == quizzes.settings_of(module).attempts
    assert pass_quiz(app, db, trainee, module).passed
    row = enrollment_of(db, trainee)
    assert row.completed_at is not None and row.cycle == 2


def test_a_failed_attempt_in_the_new_cycle_does_not_complete_on_last_years_pass(app, db,
                                                                               yearly):
    course, trainee = yearly
    open_due_cycles(db, today=date(2026, 12, 1), notice_days=30)
    attempt = pass_quiz(app, db, trainee, course.modules[0], answer="false")
    assert not attempt.passed and attempt.cycle == 2
    assert enrollment_of(db, trainee).completed_at is None


def test_people_who_took_the_course_themselves_are_not_reopened(app, db, make_user,
                                                                 make_course):
    made = make_course([{}], rules={"recur_months": 12})
    course = catalog.get_course(db, made.slug)
    trainee, _ = make_user()
    with unit_of_work(db):
        progress.record_visit(db, trainee, course.modules[0])
    assert enrollment_of(db, trainee).completed_at is not None
    assert open_due_cycles(db, today=date(2040, 1, 1), notice_days=30) == 0


def test_the_cli_opens_cycles_and_pages_show_them(db, client, runner, login_as, yearly):
    course, trainee = yearly
    result = runner.invoke(args=["lms", "open-cycles", "--today", "2026-11-20"])
    assert result.exit_code == 0, result.output
    assert "开启了 1 轮新的培训" in result.output
    login_as("admin", unit=None)
    page = client.get(f"/admin/stats/{course.slug}").get_data(as_text=True)
    assert "定期复训" in page
    figures = {name: page.split(f'data-figure="{name}"')[1].split("</dd>")[0].rsplit(">", 1)[1]
               for name in ("current", "due", "expired", "first")}
    assert figures == {"current": "0", "due": "1", "expired": "0", "first": "0"}


def test_the_trainee_sees_the_new_round_and_its_due_date(db, client, yearly):
    from tests.conftest import sign_in

    course, trainee = yearly
    open_due_cycles(db, today=date(2026, 11, 20), notice_days=30)
    sign_in(client, trainee.username, "correct-horse-1")
    page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert "这是第 2 轮培训" in page and "2026-12-10" in page


def test_a_new_round_asks_its_own_hours(db, make_user, make_course):
    from lms.db import utcnow
    from lms.services.course_completion import round_quarter_hours
    from tests.services.test_completion_rules import Studying

    made = make_course([{"minutes": 20}], rules={"recur_months": 12, "min_hours": 0.5})
    course = catalog.get_course(db, made.slug)
    admin, _ = make_user(role="admin")
    trainee, _ = make_user()
    with unit_of_work(db):
        assign_course(db, admin, course, people=[trainee])
    module = course.modules[0]
    with unit_of_work(db):
        progress.record_visit(db, trainee, module)
    study = Studying(db, trainee)
    study.at = utcnow() - timedelta(hours=2)
    study.minutes(module, 23)
    row = enrollment_of(db, trainee)
    assert row.completed_at is not None
    with unit_of_work(db):
        row.completed_at = COMPLETED
    assert open_due_cycles(db, today=date(2026, 11, 20), notice_days=30) == 1
    row = enrollment_of(db, trainee)
    assert round_quarter_hours(db, trainee.id, course, row) == 0  # last round's time stays there
    with unit_of_work(db):
        progress.record_visit(db, trainee, module)
    assert enrollment_of(db, trainee).completed_at is None
    study.at = utcnow()
    study.minutes(module, 23)
    row = enrollment_of(db, trainee)
    assert round_quarter_hours(db, trainee.id, course, row) == 2
    assert row.completed_at is not None and row.cycle == 2


def test_an_admin_can_give_a_reopened_round_more_time(db, make_user, yearly):
    course, trainee = yearly
    open_due_cycles(db, today=date(2026, 11, 20), notice_days=30)
    admin, _ = make_user(role="admin")
    assert enrollment_of(db, trainee).due_on == date(2026, 12, 10)  # the round's own date
    with unit_of_work(db):
        assign_course(db, admin, course, people=[trainee], due_on=date(2099, 1, 31))
    assert enrollment_of(db, trainee).due_on == date(2099, 1, 31)  # a later date wins


def test_round_status_sorts_people_by_where_their_round_stands(db, yearly):
    from lms.models import OrgUnit
    from lms.services.recurrence import round_status

    course, trainee = yearly
    root = db.scalar(select(OrgUnit.path).where(OrgUnit.parent_id.is_(None)))
    assert round_status(db, course.id, [root], date(2026, 11, 1)) == {
        "current": 1, "due": 0, "expired": 0, "first": 0}
    open_due_cycles(db, today=date(2026, 11, 20), notice_days=30)
    assert round_status(db, course.id, [root], date(2026, 12, 10))["due"] == 1
    assert round_status(db, course.id, [root], date(2026, 12, 11))["expired"] == 1
    assert round_status(db, course.id, ["/999999/"], date(2026, 12, 11))["expired"] == 0
