"""A passed test adds to the 学时 of its course's online entry (the ``bands`` rule gives
0.5 for it), in the transaction that passed it."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy.orm import Session

from lms.events import AttemptGraded, AttemptSubmitted, Event
from lms.services import hours
from lms.subscribers import EventHandler


class HoursLedgerHandler(EventHandler):
    name: ClassVar[str] = "hours_ledger"
    events: ClassVar[tuple[type[Event], ...]] = (AttemptSubmitted, AttemptGraded)

    def handle(self, event: Event, session: Session) -> None:
        assert isinstance(event, (AttemptSubmitted, AttemptGraded))
        if event.passed:
            hours.record_test_passed(session, event.user_id, event.course_id,
                                     event.occurred_at)
