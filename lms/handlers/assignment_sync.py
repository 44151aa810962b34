"""Give people the courses assigned to the units they join, and take back what they leave."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy.orm import Session

from lms.events import Event, PersonActivationChanged, PersonCreated, PersonMoved, UnitMoved
from lms.services.assignments import sync_enrollments
from lms.subscribers import EventHandler


class AssignmentSyncHandler(EventHandler):
    """Re-derives who holds which assigned course when people or units move.

    A unit's assignment covers people who join it later, so a new or moved person, or a
    subtree moved under an assigned unit, gets the enrollments; leaving a unit clears the
    ``assigned`` flag but keeps every record; a reactivated person gets what was assigned
    while they were deactivated. Registered before the statistics counters,
    which count what this wrote.
    """

    name: ClassVar[str] = "assignment_sync"
    events: ClassVar[tuple[type[Event], ...]] = (
        PersonCreated, PersonMoved, PersonActivationChanged, UnitMoved)

    def handle(self, event: Event, session: Session) -> None:
        if isinstance(event, UnitMoved):
            sync_enrollments(session, unit_path=event.new_path)
        else:
            # A reactivated person picks up what was assigned while they were away.
            assert isinstance(event, PersonCreated | PersonMoved | PersonActivationChanged)
            sync_enrollments(session, user_ids=[event.user_id])
