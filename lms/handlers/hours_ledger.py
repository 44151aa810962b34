"""A passed test adds to the 学时 of its course's online entry (the ``bands`` rule gives
0.5 for it), in the transaction that passed it; a person's move takes their 学时 to their
new unit's counters (``hours_counters``), in the transaction that moved them."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy.orm import Session

from lms.events import AttemptGraded, AttemptSubmitted, Event, PersonMoved
from lms.services import hours, hours_counters
from lms.subscribers import EventHandler


class HoursLedgerHandler(EventHandler):
    name: ClassVar[str] = "hours_ledger"
    events: ClassVar[tuple[type[Event], ...]] = (AttemptSubmitted, AttemptGraded, PersonMoved)

    def handle(self, event: Event, session: Session) -> None:
        if isinstance(event, PersonMoved):
            hours_counters.count_person(session, event.user_id)
            return
        assert isinstance(event, (AttemptSubmitted, AttemptGraded))
        if event.passed:
            hours.record_test_passed(session, event.user_id, event.course_id,
                                     event.occurred_at)
