"""Complete the course when the module just completed was its last required one."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.db import utcnow
from lms.events import CourseCompleted, Event, ModuleCompleted
from lms.models import Module, ModuleProgress, ProgressStatus
from lms.services.progress import enroll
from lms.subscribers import EventHandler
from lms.unit_of_work import raise_event


class CourseCompletionHandler(EventHandler):
    """Runs in the transaction that completed the module, so the course is never left
    "all modules done" without its completion, nor completed without them."""

    name: ClassVar[str] = "course_completion"
    events: ClassVar[tuple[type[Event], ...]] = (ModuleCompleted,)

    def handle(self, event: Event, session: Session) -> None:
        assert isinstance(event, ModuleCompleted)
        done = (ModuleProgress.module_id == Module.id) & (
            ModuleProgress.user_id == event.user_id) & (
            ModuleProgress.status == ProgressStatus.COMPLETED)
        missing = session.scalar(
            select(func.count()).select_from(Module).outerjoin(ModuleProgress, done)
            .where(Module.course_id == event.course_id, Module.required, Module.is_current,
                   ModuleProgress.id.is_(None)))
        if missing:
            return
        enrollment = enroll(session, event.user_id, event.course_id, actor_id=event.actor_id)
        if enrollment.completed_at is not None:
            return
        enrollment.completed_at = utcnow()
        raise_event(session, CourseCompleted(actor_id=event.actor_id, user_id=event.user_id,
                                             course_id=event.course_id))
