"""学习档案: the record agrees with the 学时 ledger, keeps offline-only years, and is empty
for someone who has taken nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from lms.models import Certificate, HoursEntry, User
from lms.services import catalog, hours, progress, quizzes
from lms.services.hours_entries import record_offline
from lms.services.learning_record import YearHours, learning_record
from lms.services.study_time import Beat, record_beat

UNIT = "档案党委/第一党支部"
QUIZ = [{"type": "true_false", "prompt": "党员应当按期交纳党费。", "answer": "正确"}]


def study(db, user, module, minutes: int, start: datetime) -> None:
    """Beats every 30 s for ``minutes`` of real study."""
    for n in range(minutes * 2 + 1):
        record_beat(db, user, module, Beat("tab", n + 1), beat_cap=40, cap_multiple=100,
                    now=start + timedelta(seconds=30 * n))


def take_quiz(app, db, user, module, value: str) -> None:
    registry = app.extensions["lms"].question_types
    attempt = quizzes.start_or_resume(db, registry, user, module)
    quizzes.submit_attempt(db, registry, user, attempt.id, {"q1": value})


def offline(db, make_user, person, kind: str, hours_given: str, title: str, held_on: date):
    admin, _ = make_user("admin", unit=UNIT)
    record_offline(db, db.get(User, admin.id), person, kind, hours_given, title, held_on)


def test_the_record_adds_up_to_the_ledger_by_year_type_and_course(app, db, make_user,
                                                                   make_course):
    made = make_course([{"slug": "read", "minutes": 60}, {"slug": "quiz", "questions": QUIZ}],
                       title="学习档案测试课")
    user, _ = make_user(unit=UNIT, name="李档案")
    person = db.get(User, user.id)
    course = catalog.get_course(db, made.slug)
    read, quiz = course.modules
    progress.record_visit(db, person, read)
    study(db, person, read, 50, datetime(2025, 3, 2, 1, 0, tzinfo=UTC))
    study(db, person, read, 100, datetime(2026, 1, 5, 1, 0, tzinfo=UTC))
    take_quiz(app, db, person, quiz, "false")
    passed_between = {date.today()}  # the run may cross midnight: either day is right
    take_quiz(app, db, person, quiz, "true")
    passed_between.add(date.today())
    offline(db, make_user, person, "central", "1.5", "专题培训", date(2025, 6, 1))
    offline(db, make_user, person, "group", "2", "支部学习", date(2024, 4, 1))

    record = learning_record(db, person, date.today())

    years = {line.year for line in record.years}
    ledger_years = set(db.scalars(select(HoursEntry.year).where(HoursEntry.user_id == user.id)))
    assert years == ledger_years and {2024, 2025, 2026} <= years
    assert [line.year for line in record.years] == sorted(years, reverse=True)
    for line in record.years:
        ledger = hours.year_totals(db, user.id, line.year)
        assert (line.online, line.central, line.group, line.total) == (
            ledger["online"], ledger["central"], ledger["group"], ledger["total"])
    assert record.totals.total == sum(line.total for line in record.years)
    assert record.years[-1] == YearHours(2024, 0.0, 0.0, 2.0)

    [line] = record.courses
    online_quarters = db.scalar(select(func.sum(HoursEntry.quarter_hours)).where(
        HoursEntry.user_id == user.id, HoursEntry.course_id == course.id))
    assert line.hours == online_quarters / 4 > 1  # two years of study, both counted
    assert (line.title, line.status) == ("学习档案测试课", "completed")
    assert line.completed_on in passed_between
    assert [(s.module_title, s.best_score) for s in line.scores] == [(quiz.title, 100.0)]
    assert [(o.title, o.kind, o.hours) for o in record.offline] == [
        ("专题培训", "central", 1.5), ("支部学习", "group", 2.0)]
    assert (record.name, record.unit) == ("李档案", UNIT)


def test_a_year_with_only_offline_hours_is_listed(db, make_user):
    user, _ = make_user(unit=UNIT)
    person = db.get(User, user.id)
    offline(db, make_user, person, "central", "8", "集中轮训", date(2023, 9, 1))

    record = learning_record(db, person, date.today())

    assert record.years == (YearHours(2023, 0.0, 8.0, 0.0),)
    assert record.years[0].total == 8.0 == record.totals.total
    assert record.courses == () and not record.empty


def test_someone_who_took_nothing_has_an_empty_record(db, make_user):
    user, _ = make_user(unit=None, name="新同志")
    record = learning_record(db, db.get(User, user.id), date.today())
    assert record.empty
    assert (record.courses, record.years, record.offline, record.certificates) == ((), (), (), ())
    assert record.totals.total == 0 and record.unit == ""


def test_an_assigned_course_past_due_is_overdue_and_certificates_are_listed(db, make_user,
                                                                           make_course):
    made = make_course([{"slug": "read"}], title="逾期课程")
    user, _ = make_user(unit=UNIT)
    person = db.get(User, user.id)
    course = catalog.get_course(db, made.slug)
    enrollment = progress.enroll(db, user.id, course.id)
    enrollment.assigned, enrollment.due_on = True, date.today() - timedelta(days=3)
    db.add_all([
        Certificate(code="OLDCODE", user_id=user.id, course_id=course.id, holder_name="x",
                    course_title="旧证书课程", completed_on=date(2024, 1, 2), quarter_hours=6,
                    issued_at=datetime(2024, 1, 2, tzinfo=UTC),
                    revoked_at=datetime(2024, 2, 1, tzinfo=UTC)),
        Certificate(code="NEWCODE", user_id=user.id, course_id=course.id, holder_name="x",
                    course_title="新证书课程", completed_on=date(2024, 2, 2), quarter_hours=6,
                    issued_at=datetime(2024, 2, 2, tzinfo=UTC))])
    db.commit()

    record = learning_record(db, person, date.today())

    assert [(c.title, c.status, c.scores) for c in record.courses] == [("逾期课程", "overdue", ())]
    assert [(c.code, c.course_title, c.hours, c.revoked) for c in record.certificates] == [
        ("NEWCODE", "新证书课程", 1.5, False), ("OLDCODE", "旧证书课程", 1.5, True)]

