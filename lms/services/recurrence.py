"""Recurring training: a course with ``rules.recur_months`` reopens for the people assigned
it when their completion is about to lapse.

A completion stays valid for ``recur_months`` months. ``notice_days`` before it lapses, the
job (``flask lms open-cycles``, meant for cron) closes the person's cycle into
``CourseCycle``, starts the next one with the lapse date as its due date, and sets the
course's module progress back to the start. Attempts, 学时 entries and certificates of
earlier cycles stay where they are; attempts and passes count per cycle (lms.services.cycles),
and a course's ``min_hours`` counts the 学时 earned since the cycle opened.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import case, func, or_, select, update
from sqlalchemy.orm import Session

from lms.content.course_rules import course_rules
from lms.db import utcnow
from lms.events import CourseCycleOpened
from lms.models import (
    Course,
    CourseCycle,
    Enrollment,
    Module,
    ModuleProgress,
    OrgUnit,
    ProgressStatus,
    User,
)
from lms.services.locks import lock_people
from lms.services.org import in_subtree
from lms.services.stats_counters import refresh_people
from lms.unit_of_work import raise_event, unit_of_work

BATCH = 200


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def recurring_courses(session: Session) -> list[tuple[Course, int]]:
    """Published, unarchived courses that recur, with their months (course rules live in JSON: the
    courses are few, so they are filtered here)."""
    courses = session.scalars(select(Course).where(Course.rules.is_not(None), Course.published,
                                                   Course.archived_at.is_(None)))
    return [(c, course_rules(c).recur_months) for c in courses if course_rules(c).recur_months]


def _lapsing(course: Course, months: int, today: date, notice_days: int):
    """Assigned completions of ``course`` that lapse within ``notice_days`` of ``today``:
    completed on or before (today + notice) − months."""
    last_day = add_months(today + timedelta(days=notice_days), -months)
    cutoff = datetime.combine(last_day + timedelta(days=1), time(), UTC)
    return (select(Enrollment.id).join(User, User.id == Enrollment.user_id)
            .where(Enrollment.course_id == course.id, Enrollment.assigned,
                   Enrollment.completed_at < cutoff, User.active)
            .order_by(Enrollment.id))


def open_due_cycles(session: Session, *, today: date, notice_days: int,
                    progress: Callable[[int], None] | None = None) -> int:
    """Open the next cycle for every lapsing completion; one unit of work per batch of
    people. Returns how many cycles were opened."""
    opened = 0
    for course, months in recurring_courses(session):
        while True:
            with unit_of_work(session):
                ids = list(session.scalars(_lapsing(course, months, today, notice_days)
                                           .limit(BATCH)))
                if not ids:
                    break
                _open(session, course, months, ids)
            opened += len(ids)
            if progress is not None:
                progress(len(ids))
    return opened


def _open(session: Session, course: Course, months: int, enrollment_ids: list[int]) -> None:
    now = utcnow()
    lock_people(session, session.scalars(select(Enrollment.user_id)
                                         .where(Enrollment.id.in_(enrollment_ids))))
    rows = list(session.scalars(select(Enrollment).where(Enrollment.id.in_(enrollment_ids))
                                .order_by(Enrollment.id).with_for_update()
                                .execution_options(populate_existing=True)))
    rows = [row for row in rows if row.completed_at is not None]
    module_ids = select(Module.id).where(Module.course_id == course.id).scalar_subquery()
    for row in rows:
        session.add(CourseCycle(user_id=row.user_id, course_id=course.id, cycle=row.cycle,
                                started_at=row.cycle_started_at or row.enrolled_at,
                                completed_at=row.completed_at, due_on=row.due_on,
                                closed_at=now))
        lapses = add_months(row.completed_at.date(), months)
        row.cycle += 1
        row.cycle_started_at, row.completed_at = now, None
        row.cycle_due_on = row.due_on = lapses
        raise_event(session, CourseCycleOpened(actor_id=None, user_id=row.user_id,
                                               course_id=course.id, cycle=row.cycle,
                                               due_on=lapses.isoformat(), occurred_at=now))
    user_ids = [row.user_id for row in rows]
    session.execute(
        update(ModuleProgress)
        .where(ModuleProgress.user_id.in_(user_ids), ModuleProgress.module_id.in_(module_ids))
        .values(status=ProgressStatus.NOT_STARTED, completed_at=None,
                completed_version_id=None, best_score=None, seconds_active=0,
                first_seen_at=None, last_seen_at=None, read_position=None)
        .execution_options(synchronize_session=False))
    session.expire_all()
    refresh_people(session, user_ids, [course.id])


def round_status(session: Session, course_id: int, paths: list[str],
                 today: date) -> dict[str, int]:
    """Assigned people of a recurring course under ``paths``, by where their round stands:
    ``current`` (completed this round), ``due`` (reopened, the earlier completion still valid
    until its lapse date), ``expired`` (reopened and the lapse date passed) and ``first``
    (never completed a round yet). One grouped query over the course's enrollments."""
    if not paths:
        return {"current": 0, "due": 0, "expired": 0, "first": 0}
    open_round = Enrollment.completed_at.is_(None)
    reopened = Enrollment.cycle > 1
    lapsed = Enrollment.due_on < today

    def count(condition):
        return func.count(case((condition, 1)))

    row = session.execute(
        select(count(~open_round), count(open_round & reopened & ~lapsed),
               count(open_round & reopened & lapsed), count(open_round & ~reopened))
        .select_from(Enrollment).join(User, User.id == Enrollment.user_id)
        .join(OrgUnit, OrgUnit.id == User.org_unit_id)
        .where(Enrollment.course_id == course_id, Enrollment.assigned,
               or_(*(in_subtree(OrgUnit.path, path) for path in paths)))).one()
    return dict(zip(("current", "due", "expired", "first"), row, strict=True))
