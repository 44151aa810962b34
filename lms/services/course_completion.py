"""Whether a person's course is complete, decided in the transaction that earns it.

A course completes when every required module of its current version is complete, its final
exam module too (``rules.final_exam``, required or not), and, when the course asks for a
minimum of 学时 (``rules.min_hours``), when its online 学时 reach it. Whichever comes last
completes it: the last module (lms.handlers.course_completion) or the heartbeat or passed test
that adds the last 学时 (lms.services.hours).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, bindparam, func, select
from sqlalchemy.orm import Session

from lms.content.course_rules import course_rules
from lms.db import fetch, utcnow
from lms.events import CourseCompleted
from lms.models import (
    Course,
    Enrollment,
    HoursEntry,
    HoursKind,
    Module,
    ModuleProgress,
    ProgressStatus,
    QuizAttempt,
    StudyBeat,
)
from lms.services.hours_rules import configured_rule
from lms.services.locks import find_locked, lock_row
from lms.services.progress import enroll
from lms.unit_of_work import raise_event


def ledger_quarter_hours(user_id: int | ColumnElement[int],
                         course_id: int | ColumnElement[int]) -> Select:
    """The person's online 学时 of the course in the ledger, every year together, in
    quarter hours (``user_id`` may be a column, for one figure per enrollment)."""
    return select(func.coalesce(func.sum(HoursEntry.quarter_hours), 0)).where(
        HoursEntry.user_id == user_id, HoursEntry.course_id == course_id,
        HoursEntry.kind == HoursKind.ONLINE.value)


#: Built once, with its cache key: every course page asks it.
_LEDGER_QUARTER_HOURS = ledger_quarter_hours(bindparam("user_id"), bindparam("course_id"))


def course_quarter_hours(session: Session, user_id: int, course_id: int) -> int:
    """The person's online 学时 of the course, every year together, in quarter hours."""
    return fetch(session, _LEDGER_QUARTER_HOURS,
                 {"user_id": user_id, "course_id": course_id}).scalar() or 0


def counted_modules(course: Course) -> ColumnElement[bool]:
    """The modules a completion asks for: the required ones and the final exam."""
    final_exam = course_rules(course).final_exam
    return Module.required if final_exam is None else (
        Module.required | (Module.slug == final_exam))


def round_quarter_hours(session: Session, user_id: int, course: Course,
                        enrollment: Enrollment | None) -> int:
    """The person's online 学时 of the course in their current round, in quarter hours.

    The first round reads the ledger (every year of it). A later round of a recurring course
    is worked out from its own record, through the configured rule: the study time credited
    since the round opened and a test passed in it (the ledger's entries are per year, and a
    new round may open in a year whose entry the earlier round already filled)."""
    if enrollment is None or enrollment.cycle_started_at is None:
        return course_quarter_hours(session, user_id, course.id)
    modules = select(Module.id).where(Module.course_id == course.id)
    seconds = session.scalar(
        select(func.coalesce(func.sum(StudyBeat.credited), 0))
        .where(StudyBeat.user_id == user_id, StudyBeat.module_id.in_(modules),
               StudyBeat.received_at >= enrollment.cycle_started_at)) or 0
    passed = session.scalar(select(select(QuizAttempt.id).where(
        QuizAttempt.user_id == user_id, QuizAttempt.module_id.in_(modules),
        QuizAttempt.cycle == enrollment.cycle, QuizAttempt.passed.is_(True)).exists()))
    return configured_rule()(int(seconds), bool(passed))


def hours_this_round(session: Session, user_id: int, course: Course,
                     enrollment: Enrollment | None) -> float | None:
    """学时 of the course earned in the person's current round, for a course asking a
    minimum (None otherwise)."""
    if not course_rules(course).min_hours:
        return None
    return round_quarter_hours(session, user_id, course, enrollment) / 4


def modules_missing(session: Session, user_id: int, course: Course) -> int:
    """Required modules (the final exam counts as one) the person has not completed."""
    done = (ModuleProgress.module_id == Module.id) & (ModuleProgress.user_id == user_id) & (
        ModuleProgress.status == ProgressStatus.COMPLETED)
    return session.scalar(
        select(func.count()).select_from(Module).outerjoin(ModuleProgress, done)
        .where(Module.course_id == course.id, counted_modules(course), Module.is_current,
               ModuleProgress.id.is_(None))) or 0


def hours_missing(session: Session, user_id: int, course: Course,
                  enrollment: Enrollment | None) -> int:
    """Quarter hours the course still asks of the person in this round (0 without a
    minimum)."""
    needed = course_rules(course).min_quarter_hours
    if not needed:
        return 0
    return max(0, needed - round_quarter_hours(session, user_id, course, enrollment))


def lock_enrollment(session: Session, user_id: int, course_id: int, *,
                    actor_id: int | None = None) -> Enrollment:
    """The person's enrollment, created if need be (and ``CourseEnrolled`` raised) and
    locked until the unit ends, after the person's row (``lms.services.locks``)."""
    enrollment = find_locked(session, Enrollment, user_id=user_id, course_id=course_id)
    if enrollment is not None:
        return enrollment
    enroll(session, user_id, course_id, actor_id=actor_id)
    return lock_row(session, Enrollment, user_id=user_id, course_id=course_id)


def complete_if_done(session: Session, user_id: int, course_id: int, *,
                     actor_id: int | None, now: datetime | None = None) -> bool:
    """Complete the course once if nothing is missing; True when this call completed it.

    The enrollment is locked before counting: two units completing the last two modules at
    once (a trainer's grade, the trainee's reading) queue here, and the second one sees the
    first one's module."""
    enrollment = lock_enrollment(session, user_id, course_id, actor_id=actor_id)
    if enrollment.completed_at is not None:
        return False
    course = session.get(Course, course_id)
    if modules_missing(session, user_id, course) or hours_missing(
            session, user_id, course, enrollment):
        return False
    enrollment.completed_at = now or utcnow()
    raise_event(session, CourseCompleted(actor_id=actor_id, user_id=user_id,
                                         course_id=course_id,
                                         occurred_at=enrollment.completed_at))
    return True


def complete_if_enough_hours(session: Session, user_id: int, course_id: int, *,
                             now: datetime | None = None) -> None:
    """After 学时 were added: a course asking for a minimum may be complete now."""
    course = session.get(Course, course_id)
    if course is not None and course_rules(course).min_hours:
        complete_if_done(session, user_id, course_id, actor_id=user_id, now=now)
