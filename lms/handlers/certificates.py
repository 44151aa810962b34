"""Issue the certificate a completion earns, in the transaction that completes the course.

A course whose rule is ``final_exam`` may also earn it later: the final exam's quiz passed
after every required module was already done (an elective exam, or one graded by a trainer).
This handler runs after the 学时 ledger's, so the certificate counts the test just passed.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy.orm import Session

from lms.content.course_rules import course_rules
from lms.events import AttemptGraded, CourseCompleted, Event
from lms.models import Course
from lms.services import certificates
from lms.subscribers import EventHandler


class CertificateHandler(EventHandler):
    name: ClassVar[str] = "certificates"
    events: ClassVar[tuple[type[Event], ...]] = (CourseCompleted, AttemptGraded)

    def handle(self, event: Event, session: Session) -> None:
        assert isinstance(event, (CourseCompleted, AttemptGraded))
        if isinstance(event, AttemptGraded):
            if not event.passed:
                return  # before reading the course, which the unit has expired
            course = session.get(Course, event.course_id)
            if course is None or course_rules(course).certificate != "final_exam":
                return
        certificates.issue_if_earned(session, event.user_id, event.course_id,
                                     actor_id=event.actor_id)
