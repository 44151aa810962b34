"""Complete the course when its last required module is done, or no longer required."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.db import utcnow
from lms.events import CourseCompleted, CourseVersionCreated, Event, ModuleCompleted
from lms.models import Enrollment, Module, ModuleProgress, ProgressStatus
from lms.services.progress import enroll
from lms.subscribers import EventHandler
from lms.unit_of_work import raise_event


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
        # Lock the enrollment before counting: two units completing the last two modules at
        # once (a trainer's grade, the trainee's reading) queue here, and the second one sees
        # the first one's module.
        enrollment = enroll(session, event.user_id, event.course_id, actor_id=event.actor_id)
        enrollment = session.scalars(
            select(Enrollment).where(Enrollment.id == enrollment.id)
            .with_for_update().execution_options(populate_existing=True)).one()
        if enrollment.completed_at is not None:
            return
        done = (ModuleProgress.module_id == Module.id) & (
            ModuleProgress.user_id == event.user_id) & (
            ModuleProgress.status == ProgressStatus.COMPLETED)
        missing = session.scalar(
            select(func.count()).select_from(Module).outerjoin(ModuleProgress, done)
            .where(Module.course_id == event.course_id, Module.required, Module.is_current,
                   ModuleProgress.id.is_(None)))
        if missing:
            return
        enrollment.completed_at = utcnow()
        raise_event(session, CourseCompleted(actor_id=event.actor_id, user_id=event.user_id,
                                             course_id=event.course_id))

    @staticmethod
    def _complete_after_new_version(session: Session, event: CourseVersionCreated) -> None:
        """A version that drops a required module can leave trainees with nothing left to do:
        complete their course now, since no module completion will come to do it."""
        unfinished = (
            select(Module.id).where(Module.course_id == event.course_id, Module.required,
                                    Module.is_current)
            .where(~select(ModuleProgress.id).where(
                ModuleProgress.module_id == Module.id,
                ModuleProgress.user_id == Enrollment.user_id,
                ModuleProgress.status == ProgressStatus.COMPLETED).exists()))
        now = utcnow()
        for enrollment in session.scalars(
                select(Enrollment).where(Enrollment.course_id == event.course_id,
                                         Enrollment.completed_at.is_(None),
                                         ~unfinished.exists())
                .with_for_update()):
            enrollment.completed_at = now
            raise_event(session, CourseCompleted(actor_id=event.actor_id,
                                                 user_id=enrollment.user_id,
                                                 course_id=event.course_id, occurred_at=now))
