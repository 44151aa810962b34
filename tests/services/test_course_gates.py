"""Course rules that gate and complete: sequential unlock, final exam, prerequisites, a
minimum of 学时, and a course's own cap on credited study time."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from lms.models import Enrollment, OutboxEvent
from lms.services import catalog, progress
from lms.services.course_completion import course_quarter_hours
from lms.unit_of_work import unit_of_work
from tests.services.test_completion_rules import QUESTION, START, Studying, pass_quiz


def outline(db, user, slug):
    db.expire_all()
    return progress.course_outline(db, user, catalog.get_course(db, slug))


def visit(db, user, module):
    with unit_of_work(db):
        progress.record_visit(db, user, module)


def completed_at(db, user, course):
    db.expire_all()
    return db.scalar(select(Enrollment.completed_at).where(
        Enrollment.user_id == user.id, Enrollment.course_id == course.id))


def test_sequential_modules_open_one_after_another(db, make_user, make_course):
    made = make_course([{}, {}, {}], rules={"sequential": True})
    user, _ = make_user()
    first, second, third = catalog.get_course(db, made.slug).modules
    locks = outline(db, user, made.slug).locks
    assert set(locks) == {second.id, third.id}
    assert locks[second.id].reason == "previous" and locks[second.id].module.id == first.id
    visit(db, user, first)
    seen = outline(db, user, made.slug)
    assert set(seen.locks) == {third.id}
    assert seen.next_module.id == second.id


def test_a_course_without_gates_locks_nothing(db, make_user, make_course):
    made = make_course([{}, {}])
    user, _ = make_user()
    assert outline(db, user, made.slug).locks == {}


def test_the_final_exam_opens_last_and_is_needed_even_if_elective(app, db, make_user,
                                                                  make_course):
    made = make_course([{"slug": "read"}, {"slug": "exam", "required": False,
                                           "questions": [QUESTION]}],
                       rules={"final_exam": "exam"})
    user, _ = make_user()
    course = catalog.get_course(db, made.slug)
    read, exam = course.modules
    assert outline(db, user, made.slug).locks[exam.id].reason == "final_exam"
    visit(db, user, read)
    assert outline(db, user, made.slug).locks == {}
    assert completed_at(db, user, course) is None  # the elective exam is still asked
    assert pass_quiz(app, db, user, exam).passed
    assert completed_at(db, user, course) is not None


def test_prerequisites_close_every_module_until_that_course_is_complete(db, make_user,
                                                                       make_course):
    basics = make_course([{}], slug="basics", title="基础课")
    made = make_course([{}, {}], rules={"prerequisites": ["basics", "not-a-course"]})
    user, _ = make_user()
    seen = outline(db, user, made.slug)
    assert [c.slug for c in seen.unmet_prerequisites] == ["basics"]
    assert {lock.reason for lock in seen.locks.values()} == {"prerequisites"}
    assert len(seen.locks) == 2 and seen.next_module is None
    visit(db, user, catalog.get_course(db, basics.slug).modules[0])
    assert outline(db, user, made.slug).locks == {}


def test_a_minimum_of_hours_completes_the_course_at_the_beat_that_reaches_it(db, make_user,
                                                                           make_course):
    made = make_course([{"minutes": 20}], rules={"min_hours": 0.5})
    user, _ = make_user()
    course = catalog.get_course(db, made.slug)
    module = course.modules[0]
    visit(db, user, module)  # the module is complete, the course is not: no 学时 yet
    assert completed_at(db, user, course) is None
    study = Studying(db, user)
    study.minutes(module, 22)  # 22 min ÷ 45 rounds down to 0
    assert completed_at(db, user, course) is None
    study.minutes(module, 1)
    assert course_quarter_hours(db, user.id, course.id) == 2
    # beats every 30 s from START + 30 s, the first crediting nothing: 22.5 min at + 23 min
    assert completed_at(db, user, course) == START + timedelta(minutes=23)
    completions = [e for e in db.scalars(select(OutboxEvent).where(
        OutboxEvent.name == "course_completed")) if e.payload["user_id"] == user.id]
    assert len(completions) == 1


def test_a_new_version_lowering_the_hours_asked_completes_waiting_trainees(
        app, db, make_user, make_course):
    from tests.conftest import load_course_folder, write_course_folder

    made = make_course([{"minutes": 20}], rules={"min_hours": 2})
    user, _ = make_user()
    course = catalog.get_course(db, made.slug)
    visit(db, user, course.modules[0])
    Studying(db, user).minutes(course.modules[0], 23)
    assert completed_at(db, user, course) is None
    write_course_folder(made.folder, slug=made.slug, title=made.title,
                        modules=[{"minutes": 20}], rules={"min_hours": 0.5})
    load_course_folder(app, made.folder)
    assert completed_at(db, user, course) is not None


def test_a_course_time_cap_wins_over_the_site_multiple(db, make_user, make_course):
    made = make_course([{"minutes": 1}], rules={"time_cap": 1})
    user, _ = make_user()
    module = catalog.get_course(db, made.slug).modules[0]
    study = Studying(db, user)
    study.minutes(module, 5)  # the site's multiple (3.0) would allow 180 s
    assert study.beat(module).seconds_active == 60


def test_a_completed_round_of_a_recurring_prerequisite_still_counts(db, make_user,
                                                                    make_course):
    from datetime import date

    from lms.services.assignments import assign_course
    from lms.services.recurrence import open_due_cycles

    basics = make_course([{}], slug="basics-yearly", rules={"recur_months": 12})
    made = make_course([{}], rules={"prerequisites": ["basics-yearly"]})
    admin, _ = make_user(role="admin")
    user, _ = make_user()
    basics_course = catalog.get_course(db, basics.slug)
    with unit_of_work(db):
        assign_course(db, admin, basics_course, people=[user])
    visit(db, user, basics_course.modules[0])
    assert outline(db, user, made.slug).locks == {}
    assert open_due_cycles(db, today=date(2040, 1, 1), notice_days=30) == 1
    assert outline(db, user, made.slug).locks == {}  # basics reopened: still met
