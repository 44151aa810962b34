"""Completion rules: a module's ``min_minutes`` of active study, with a controlled clock.

Whichever of a module's rules is met last completes it, in that unit of work, once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from lms.models import Enrollment, ModuleProgress, OutboxEvent, ProgressStatus
from lms.services import catalog, progress, quizzes
from lms.services.study_time import Beat, record_beat
from lms.unit_of_work import unit_of_work
from tests.services.test_stats_counters import counters, rebuilt

START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
QUESTION = {"type": "true_false", "prompt": "党员应当按期交纳党费。", "answer": "正确"}


@pytest.fixture
def course(db, make_course):
    """A quiz module asking 2 minutes of study and a reading module asking 1."""
    made = make_course([{"slug": "quiz", "minutes": 10, "min_minutes": 2,
                         "questions": [QUESTION]},
                        {"slug": "read", "minutes": 10, "min_minutes": 1}])
    return catalog.get_course(db, made.slug)


class Studying:
    """One trainee's beats, 30 s apart, on the test's clock."""

    def __init__(self, db, user):
        self.db, self.user, self.seq, self.at = db, user, 0, START

    def beat(self, module, seconds: int = 30):
        self.seq += 1
        self.at += timedelta(seconds=seconds)
        return record_beat(self.db, self.user, module, Beat("tab", self.seq), beat_cap=40,
                           cap_multiple=3.0, now=self.at)

    def minutes(self, module, minutes: float) -> None:
        """Beat for ``minutes`` of credited time (the first beat only starts the clock)."""
        self.beat(module)
        for _ in range(int(minutes * 2)):
            self.beat(module)


def row(db, user, module) -> ModuleProgress:
    db.expire_all()
    return db.scalar(select(ModuleProgress).where(ModuleProgress.user_id == user.id,
                                                  ModuleProgress.module_id == module.id))


def completions(db, user, module) -> int:
    return sum(1 for e in db.scalars(select(OutboxEvent).where(
        OutboxEvent.name == "module_completed"))
        if e.payload["user_id"] == user.id and e.payload["module_id"] == module.id)


def pass_quiz(app, db, user, module, answer: str = "true"):
    registry = app.extensions["lms"].question_types
    with unit_of_work(db):
        started = quizzes.start_or_resume(db, registry, user, module)
    with unit_of_work(db):
        attempt, _ = quizzes.submit_attempt(db, registry, user, started.id, {"q1": [answer]})
    return attempt


def test_quiz_passed_first_completes_at_the_beat_that_reaches_the_minutes(app, db, make_user,
                                                                          course):
    user, _ = make_user()
    quiz_module = course.modules[0]
    assert pass_quiz(app, db, user, quiz_module).passed
    assert row(db, user, quiz_module).status is ProgressStatus.IN_PROGRESS
    study = Studying(db, user)
    study.minutes(quiz_module, 1.5)
    assert row(db, user, quiz_module).status is ProgressStatus.IN_PROGRESS
    assert completions(db, user, quiz_module) == 0
    study.beat(quiz_module)  # 120 s credited: the minutes are reached
    done = row(db, user, quiz_module)
    assert done.status is ProgressStatus.COMPLETED and done.seconds_active == 120
    assert done.completed_at == study.at
    study.beat(quiz_module)
    pass_quiz(app, db, user, quiz_module)  # passing again completes nothing more
    assert completions(db, user, quiz_module) == 1
    assert counters(db) == rebuilt(db)  # the statistics counters heard it, once


def test_minutes_first_then_the_quiz_pass_completes(app, db, make_user, course):
    user, _ = make_user()
    quiz_module = course.modules[0]
    study = Studying(db, user)
    study.minutes(quiz_module, 3)
    assert row(db, user, quiz_module).status is ProgressStatus.NOT_STARTED  # beats, no visit
    assert not pass_quiz(app, db, user, quiz_module, answer="false").passed
    assert row(db, user, quiz_module).status is ProgressStatus.IN_PROGRESS
    study.beat(quiz_module)  # a failed quiz is not a pass, however long the study
    assert completions(db, user, quiz_module) == 0
    pass_quiz(app, db, user, quiz_module)
    assert row(db, user, quiz_module).status is ProgressStatus.COMPLETED
    assert completions(db, user, quiz_module) == 1


def test_reading_alone_does_not_complete_a_module_asking_minutes(app, db, make_user, course):
    user, _ = make_user()
    reading = course.modules[1]
    with unit_of_work(db):
        progress.record_visit(db, user, reading)
    with unit_of_work(db):
        progress.record_visit(db, user, reading)
    assert row(db, user, reading).status is ProgressStatus.IN_PROGRESS
    study = Studying(db, user)
    study.minutes(reading, 0.5)
    assert row(db, user, reading).status is ProgressStatus.IN_PROGRESS
    study.beat(reading)
    assert row(db, user, reading).status is ProgressStatus.COMPLETED
    assert completions(db, user, reading) == 1


def test_study_without_opening_the_page_completes_nothing_until_it_is_opened(db, make_user,
                                                                            course):
    user, _ = make_user()
    reading = course.modules[1]
    Studying(db, user).minutes(reading, 2)
    assert row(db, user, reading).status is ProgressStatus.NOT_STARTED
    with unit_of_work(db):
        progress.record_visit(db, user, reading)
    assert row(db, user, reading).status is ProgressStatus.COMPLETED
    assert completions(db, user, reading) == 1


def test_the_course_completes_with_the_beat_that_finishes_its_last_module(app, db, make_user,
                                                                          course):
    user, _ = make_user()
    quiz_module, reading = course.modules
    study = Studying(db, user)
    with unit_of_work(db):
        progress.record_visit(db, user, reading)
    study.minutes(reading, 1)
    pass_quiz(app, db, user, quiz_module)
    enrollment = db.scalar(select(Enrollment).where(Enrollment.user_id == user.id,
                                                    Enrollment.course_id == course.id))
    assert enrollment.completed_at is None
    study.minutes(quiz_module, 2)
    db.expire_all()
    assert enrollment.completed_at is not None
    assert progress.course_outline(db, user, course).completed


def test_the_outline_and_the_page_know_what_is_left(app, db, make_user, course):
    user, _ = make_user()
    quiz_module, reading = course.modules
    study = Studying(db, user)
    study.minutes(quiz_module, 0.5)  # 30 s of 120: 1.5 minutes left, shown as 2
    outline = progress.course_outline(db, user, course)
    assert [m.minutes_left for m in outline.modules] == [2, 1]
    pass_quiz(app, db, user, quiz_module)
    record = row(db, user, quiz_module)
    assert progress.still_needed(db, user, quiz_module, record, with_quiz=True) == (
        progress.StillNeeded(minutes=2, quiz=False))
