"""Whether a person's course is complete, decided in the transaction that earns it.

A course completes when every required module of its current version is complete, its final
exam module too (``rules.final_exam``, required or not), and, when the course asks for a
minimum of 学时 (``rules.min_hours``), when its online 学时 reach it. Whichever comes last
completes it: the last module (lms.handlers.course_completion) or the heartbeat or passed test
that adds the last 学时 (lms.services.hours).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.content.course_rules import course_rules
from lms.db import utcnow
from lms.events import CourseCompleted
from lms.models import (
    Course,
    Enrollment,
    HoursEntry,
    HoursKind,
    Module,
    ModuleProgress,
    ProgressStatus,
)
from lms.services.progress import enroll
from lms.unit_of_work import raise_event


def course_quarter_hours(session: Session, user_id: int, course_id: int) -> int:
    """The person's online 学时 of the course, every year together, in quarter hours."""
    return session.scalar(
        select(func.coalesce(func.sum(HoursEntry.quarter_hours), 0))
        .where(HoursEntry.user_id == user_id, HoursEntry.course_id == course_id,
               HoursEntry.kind == HoursKind.ONLINE.value)) or 0


def hours_this_cycle(session: Session, user_id: int, course: Course,
                     enrollment: Enrollment | None) -> float | None:
    """学时 of the course earned in the person's current cycle, for a course asking a
    minimum (None otherwise)."""
    if not course_rules(course).min_hours:
        return None
    base = enrollment.cycle_hours_base if enrollment is not None else 0
    return (course_quarter_hours(session, user_id, course.id) - base) / 4


def modules_missing(session: Session, user_id: int, course: Course) -> int:
    """Required modules (the final exam counts as one) the person has not completed."""
    rules = course_rules(course)
    counted = Module.required if rules.final_exam is None else (
        Module.required | (Module.slug == rules.final_exam))
    done = (ModuleProgress.module_id == Module.id) & (ModuleProgress.user_id == user_id) & (
        ModuleProgress.status == ProgressStatus.COMPLETED)
    return session.scalar(
        select(func.count()).select_from(Module).outerjoin(ModuleProgress, done)
        .where(Module.course_id == course.id, counted, Module.is_current,
               ModuleProgress.id.is_(None))) or 0


def hours_missing(session: Session, user_id: int, course: Course, base: int = 0) -> int:
    """Quarter hours the course still asks of the person (0 without a minimum); ``base``
    is what they had when their current cycle opened (recurring courses)."""
    needed = course_rules(course).min_quarter_hours
    if not needed:
        return 0
    return max(0, needed - (course_quarter_hours(session, user_id, course.id) - base))


def complete_if_done(session: Session, user_id: int, course_id: int, *,
                     actor_id: int | None, now: datetime | None = None) -> bool:
    """Complete the course once if nothing is missing; True when this call completed it.

    The enrollment is locked before counting: two units completing the last two modules at
    once (a trainer's grade, the trainee's reading) queue here, and the second one sees the
    first one's module."""
    enrollment = enroll(session, user_id, course_id, actor_id=actor_id)
    enrollment = session.scalars(
        select(Enrollment).where(Enrollment.id == enrollment.id)
        .with_for_update().execution_options(populate_existing=True)).one()
    if enrollment.completed_at is not None:
        return False
    course = session.get(Course, course_id)
    if modules_missing(session, user_id, course) or hours_missing(
            session, user_id, course, enrollment.cycle_hours_base):
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
