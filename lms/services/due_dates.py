"""How a due date reads on a given day: overdue, due soon, or later; and the trainee's home order.

Pure functions over rows already loaded, so the trainee's home and the admin's person page
mark due dates the same way without another query.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from lms.models import Enrollment
from lms.services.progress import CourseOutline

#: A due date within this many days (and not past) is shown as "due soon".
DUE_SOON_DAYS = 7


class DueState(enum.StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    DUE = "due"


def due_state(enrollment: Enrollment | None, today: date) -> DueState | None:
    """None when nothing is due: not assigned, no due date, or already completed."""
    if (enrollment is None or not enrollment.assigned or enrollment.due_on is None
            or enrollment.completed_at is not None):
        return None
    if enrollment.due_on < today:
        return DueState.OVERDUE
    if enrollment.due_on <= today + timedelta(days=DUE_SOON_DAYS):
        return DueState.DUE_SOON
    return DueState.DUE


@dataclass(frozen=True)
class AssignedCourse:
    outline: CourseOutline
    state: DueState | None

    @property
    def due_on(self) -> date | None:
        return self.outline.enrollment.due_on if self.outline.enrollment is not None else None


@dataclass(frozen=True)
class HomeSections:
    assigned: list[AssignedCourse]
    mine: list[CourseOutline]        # taken up by the trainee, not assigned
    available: list[CourseOutline]   # not started


def home_sections(outlines: list[CourseOutline], today: date) -> HomeSections:
    """Assigned courses first, the earliest due date first (none last, completed at the end)."""
    assigned = [o for o in outlines if o.enrollment is not None and o.enrollment.assigned]
    assigned.sort(key=lambda o: (o.completed, o.enrollment.due_on is None,
                                 o.enrollment.due_on or date.max, o.course.title))
    return HomeSections(
        assigned=[AssignedCourse(o, due_state(o.enrollment, today)) for o in assigned],
        mine=[o for o in outlines if o.enrollment is not None and not o.enrollment.assigned],
        available=[o for o in outlines if o.enrollment is None])
