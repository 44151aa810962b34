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
from lms.services.stats_counters import Deltas, apply_deltas, refresh_people, shift_subtree
from lms.services.stats_rebuild import recount_courses
from lms.subscribers import EventHandler
from lms.unit_of_work import current_unit

#: Events about one person in one course.
PERSONAL = (CourseEnrolled, ModuleViewed, AttemptSubmitted, AttemptGraded, ModuleCompleted,
            CourseCompleted, CompletionOverridden)
#: Events after which everything a person holds is recounted (their unit may have changed).
WHOLE_PERSON = (PersonCreated, PersonMoved, PersonActivationChanged)
#: People per refresh (bound parameters stay well under SQLite's limit).
CHUNK = 500
#: After the assignment sync (order 10): the counters count what it wrote.
ORDER = 100
ALL = None


class StatsCountersHandler(EventHandler):
    """Notes whom each event concerns; when every handler of the unit of work has run, it
    recounts those people once and writes each changed counter row once, in key order (so
    concurrent units cannot deadlock on counters, and an import of thousands of people
    costs a few set-based statements, not a refresh per event). Assignments to a whole
    unit recount the unit's slice set-based right away."""

    name: ClassVar[str] = "stats_counters"
    events: ClassVar[tuple[type[Event], ...]] = (
        *PERSONAL, *WHOLE_PERSON, CourseAssigned, CourseUnassigned, UnitMoved)

    def handle(self, event: Event, session: Session) -> None:
        if isinstance(event, PERSONAL):
            self._note(session, event.user_id, event.course_id)
        elif isinstance(event, WHOLE_PERSON):
            self._note(session, event.user_id, ALL)
        elif isinstance(event, CourseAssigned | CourseUnassigned):
            if event.user_id is not None:
                self._note(session, event.user_id, event.course_id)
                return
            path = session.scalar(select(OrgUnit.path).where(OrgUnit.id == event.org_unit_id))
            recount_courses(session, course_id=event.course_id, unit_path=path, modules=False)
        elif isinstance(event, UnitMoved):
            # The subtree's own rows stay; its totals leave the old ancestors and join the
            # new ones. Course rows are regrouped anyway (inherited assignments may differ).
            shift_subtree(session, event.unit_id, event.old_path, event.new_path)
            recount_courses(session, unit_path=event.new_path, modules=False)

    def _note(self, session: Session, user_id: int, course_id: int | None) -> None:
        """Remember to recount ``user_id`` in ``course_id`` (ALL: in every course)."""
        unit = current_unit(session)
        assert unit is not None, "handlers run inside a unit of work"
        wanted: dict[int, set[int] | None] = unit.scratch.setdefault(self.name, {})
        if user_id in wanted and wanted[user_id] is ALL:
            pass
        elif course_id is ALL:
            wanted[user_id] = ALL
        else:
            wanted.setdefault(user_id, set()).add(course_id)  # type: ignore[union-attr]
        unit.before_commit(self.name, lambda: self._count(session, wanted), order=ORDER)

    @staticmethod
    def _count(session: Session, wanted: dict[int, set[int] | None]) -> None:
        deltas: Deltas = {}
        everything = sorted(user for user, courses in wanted.items() if courses is ALL)
        for start in range(0, len(everything), CHUNK):
            refresh_people(session, everything[start:start + CHUNK], deltas=deltas)
        by_courses: dict[frozenset[int], list[int]] = {}
        for user, courses in wanted.items():
            if courses is not ALL:
                by_courses.setdefault(frozenset(courses), []).append(user)
        for courses, users in sorted(by_courses.items(), key=lambda item: sorted(item[0])):
            users.sort()
            for start in range(0, len(users), CHUNK):
                refresh_people(session, users[start:start + CHUNK], courses, deltas=deltas)
        apply_deltas(session, deltas)
