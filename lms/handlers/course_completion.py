"""Complete the course when its last required module is done, or no longer required
(the rules themselves: lms.services.course_completion)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from lms.content.course_rules import course_rules
from lms.db import utcnow
from lms.events import CourseCompleted, CourseVersionCreated, Event, ModuleCompleted
from lms.models import (
    Course,
    Enrollment,
    Module,
    ModuleProgress,
    ProgressStatus,
)
from lms.services.course_completion import (
    complete_if_done,
    counted_modules,
    hours_missing,
    ledger_quarter_hours,
)
from lms.services.locks import lock_people
from lms.subscribers import EventHandler
from lms.unit_of_work import raise_event

#: People per locking slice (bound parameters stay well under SQLite's limit).
CHUNK = 500


class CourseCompletionHandler(EventHandler):
    """Runs in the transaction that completed the module, so the course is never left
    "all modules done" without its completion, nor completed without them."""

    name: ClassVar[str] = "course_completion"
    events: ClassVar[tuple[type[Event], ...]] = (ModuleCompleted, CourseVersionCreated)

    def handle(self, event: Event, session: Session) -> None:
        if isinstance(event, CourseVersionCreated):
            self._complete_after_new_version(session, event)
            return
        assert isinstance(event, ModuleCompleted)
        complete_if_done(session, event.user_id, event.course_id, actor_id=event.actor_id)

    @staticmethod
    def _complete_after_new_version(session: Session, event: CourseVersionCreated) -> None:
        """A version that drops a required module (or lowers the 学时 asked) can leave
        trainees with nothing left to do: complete their course now, since no module
        completion will come to do it."""
        course = session.get(Course, event.course_id)
        rules = course_rules(course)
        unfinished = (
            select(Module.id).where(Module.course_id == event.course_id,
                                    counted_modules(course), Module.is_current)
            .where(~select(ModuleProgress.id).where(
                ModuleProgress.module_id == Module.id,
                ModuleProgress.user_id == Enrollment.user_id,
                ModuleProgress.status == ProgressStatus.COMPLETED).exists()))
        query = select(Enrollment).where(Enrollment.course_id == event.course_id,
                                         Enrollment.completed_at.is_(None),
                                         ~unfinished.exists())
        if rules.min_quarter_hours:
            # A first round reads the ledger here; a later round of a recurring course is
            # checked on its own record below (few people, and only on publish).
            enough = ledger_quarter_hours(Enrollment.user_id, event.course_id).scalar_subquery()
            query = query.where(or_(Enrollment.cycle_started_at.is_not(None),
                                    enough >= rules.min_quarter_hours))
        now = utcnow()
        people = sorted(session.scalars(query.with_only_columns(Enrollment.user_id)))
        for start in range(0, len(people), CHUNK):
            # Their people's rows first (lms.services.locks), then the enrollments, read again.
            chunk = people[start:start + CHUNK]
            lock_people(session, chunk)
            _complete(session, event, course, query.where(Enrollment.user_id.in_(chunk)), now)


def _complete(session: Session, event: CourseVersionCreated, course: Course, query: Select,
              now: datetime) -> None:
    rules = course_rules(course)
    for enrollment in session.scalars(query.order_by(Enrollment.id).with_for_update()):
        if enrollment.cycle_started_at is not None and rules.min_quarter_hours \
                and hours_missing(session, enrollment.user_id, course, enrollment):
            continue
        enrollment.completed_at = now
        raise_event(session, CourseCompleted(actor_id=event.actor_id,
                                             user_id=enrollment.user_id,
                                             course_id=event.course_id, occurred_at=now))
