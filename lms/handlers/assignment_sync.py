"""Give people the courses assigned to the units they join, and take back what they leave."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy.orm import Session

from lms.events import Event, PersonActivationChanged, PersonCreated, PersonMoved, UnitMoved
from lms.services.assignments import sync_enrollments
from lms.subscribers import EventHandler
from lms.unit_of_work import current_unit

#: People per set-based sync statement (bound parameters stay well under SQLite's limit).
CHUNK = 500
#: Runs before the statistics counters' own end-of-unit step (see StatsCountersHandler).
ORDER = 10


class AssignmentSyncHandler(EventHandler):
    """Re-derives who holds which assigned course when people or units move.

    A unit's assignment covers people who join it later, so a new or moved person, or a
    subtree moved under an assigned unit, gets the enrollments; leaving a unit clears the
    ``assigned`` flag but keeps every record; a reactivated person gets what was assigned
    while they were deactivated. The people of one unit of work (a whole import) are synced
    together when its handlers are done, before the counters count them.
    """

    name: ClassVar[str] = "assignment_sync"
    events: ClassVar[tuple[type[Event], ...]] = (
        PersonCreated, PersonMoved, PersonActivationChanged, UnitMoved)

    def handle(self, event: Event, session: Session) -> None:
        if isinstance(event, UnitMoved):
            sync_enrollments(session, unit_path=event.new_path)
            return
        assert isinstance(event, PersonCreated | PersonMoved | PersonActivationChanged)
        unit = current_unit(session)
        assert unit is not None, "handlers run inside a unit of work"
        people: set[int] = unit.scratch.setdefault(self.name, set())
        people.add(event.user_id)

        def sync() -> None:
            ordered = sorted(people)
            for start in range(0, len(ordered), CHUNK):
                sync_enrollments(session, user_ids=ordered[start:start + CHUNK])

        unit.before_commit(self.name, sync, order=ORDER)
