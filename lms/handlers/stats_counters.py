"""Move the completion counters in the transaction of the change that moves them."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.events import (
    AttemptGraded,
    AttemptSubmitted,
    CompletionOverridden,
    CourseAssigned,
    CourseCompleted,
    CourseEnrolled,
    CourseUnassigned,
    Event,
    ModuleCompleted,
    ModuleViewed,
    PersonActivationChanged,
    PersonCreated,
    PersonMoved,
    UnitMoved,
)
from lms.models import OrgUnit
from lms.services.stats_counters import Deltas, apply_deltas, refresh_people
from lms.services.stats_rebuild import recount_courses
from lms.subscribers import EventHandler
from lms.unit_of_work import current_unit

#: Events about one person in one course.
PERSONAL = (CourseEnrolled, ModuleViewed, AttemptSubmitted, AttemptGraded, ModuleCompleted,
            CourseCompleted, CompletionOverridden)


class StatsCountersHandler(EventHandler):
    """Registered after the handlers that change records (course completion, assignment
    sync), so it counts what they wrote. Per-person events refresh that person's rows and
    collect the differences, which are written once when every handler of the unit has run
    (one write per counter row, always in key order: concurrent units cannot deadlock on
    them). Assignments to a unit recount the unit's slice set-based."""

    name: ClassVar[str] = "stats_counters"
    events: ClassVar[tuple[type[Event], ...]] = (
        *PERSONAL, PersonCreated, PersonMoved, PersonActivationChanged, CourseAssigned, CourseUnassigned, UnitMoved)

    def handle(self, event: Event, session: Session) -> None:
        if isinstance(event, PERSONAL):
            refresh_people(session, [event.user_id], [event.course_id],
                           deltas=self._pending(session))
        elif isinstance(event, PersonCreated | PersonMoved | PersonActivationChanged):
            refresh_people(session, [event.user_id], deltas=self._pending(session))
        elif isinstance(event, CourseAssigned | CourseUnassigned):
            if event.user_id is not None:
                refresh_people(session, [event.user_id], [event.course_id],
                               deltas=self._pending(session))
                return
            path = session.scalar(select(OrgUnit.path).where(OrgUnit.id == event.org_unit_id))
            self._recount(session, course_id=event.course_id, unit_path=path)
        elif isinstance(event, UnitMoved):
            # Counters key on the unit itself, so only assignments inherited from the new
            # ancestors can change what the subtree's people hold.
            self._recount(session, unit_path=event.new_path)

    def _pending(self, session: Session) -> Deltas:
        unit = current_unit(session)
        assert unit is not None, "handlers run inside a unit of work"
        deltas = unit.scratch.setdefault(self.name, {})
        unit.before_commit(self.name, lambda: apply_deltas(session, deltas))
        return deltas

    def _recount(self, session: Session, **slice_) -> None:
        apply_deltas(session, self._pending(session))   # a recount starts from written counts
        recount_courses(session, modules=False, **slice_)
