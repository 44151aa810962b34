"""Demo assignments: courses given to whole 党委, to some 总支, now and then to one person.

The first course goes to every 党委 and the first one's due date is three weeks past, so the
data always has overdue people; the others vary. Which people an assignment covers, and so
``Enrollment.assigned``/``due_on``, is worked out here from the plan (the earliest due date of
the active assignments above a unit wins), the same rule ``assignments.sync`` applies.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lms.models import OrgUnitKind
from lms.services.demo_org import PlannedUnit

DUE_IN_DAYS = (-42, -28, -14, -7, 7, 14, 30, 45, 60, None)


@dataclass
class PlannedAssignment:
    course: int                 # index into the courses given
    unit: int | None            # index into the unit plan, or None for one person
    due_on: date | None
    assigned_at: datetime
    user_id: int | None = None
    removed_at: datetime | None = None


def _due(rng: random.Random, now: datetime, days: int | None = None) -> tuple[date | None,
                                                                                datetime]:
    """A due date and an assignment time well before it (within the last ~13 weeks)."""
    days = rng.choice(DUE_IN_DAYS) if days is None else days
    assigned = now - timedelta(days=rng.uniform(14, 91))
    if days is None:
        return None, assigned
    due = now.date() + timedelta(days=days)
    latest = datetime.combine(due, datetime.min.time(), tzinfo=now.tzinfo) - timedelta(days=14)
    return due, min(assigned, latest)


def plan_assignments(rng: random.Random, plan: list[PlannedUnit], courses: int,
                     now: datetime) -> list[PlannedAssignment]:
    roots = [i for i, unit in enumerate(plan) if unit.parent is None]
    planned: list[PlannedAssignment] = []
    for course in range(courses):
        for number, root in enumerate(roots):
            first = course == 0 and number == 0
            mode = "committee" if first else rng.choices(
                ("committee", "children", "none"), (5, 3, 0 if course == 0 else 2))[0]
            if mode == "committee":
                whole = PlannedAssignment(course, root, *_due(rng, now, -21 if first else None))
                planned.append(whole)
                branches = [i for i, u in enumerate(plan) if u.kind is OrgUnitKind.BRANCH
                            and _root_of(plan, i) == root]
                if branches and (first or rng.random() < 0.3):
                    # One 支部 asked to finish sooner than the rest: the earlier date wins there.
                    sooner = ((whole.due_on - now.date()).days - 14 if whole.due_on
                              else rng.choice((-7, 7)))
                    planned.append(PlannedAssignment(course, rng.choice(branches),
                                                     *_due(rng, now, sooner)))
            elif mode == "children":
                for child in (i for i, u in enumerate(plan) if u.parent == root):
                    if rng.random() < 0.75:
                        planned.append(PlannedAssignment(course, child, *_due(rng, now)))
            elif rng.random() < 0.5:
                # Assigned once and taken back: the row stays, and covers nobody.
                due, assigned = _due(rng, now)
                planned.append(PlannedAssignment(course, root, due, assigned, removed_at=min(
                    now, assigned + timedelta(days=rng.uniform(1, 10)))))
    return planned


def _root_of(plan: list[PlannedUnit], index: int) -> int:
    while plan[index].parent is not None:
        index = plan[index].parent  # type: ignore[assignment]
    return index


def coverage(plan: list[PlannedUnit], planned: list[PlannedAssignment],
             courses: int) -> list[list[tuple[date | None, datetime] | None]]:
    """Per unit and course: (earliest due date, first assignment time) of the active
    assignments covering it, or None when none does."""
    direct: dict[tuple[int, int], list[PlannedAssignment]] = {}
    for assignment in planned:
        if assignment.unit is not None and assignment.removed_at is None:
            direct.setdefault((assignment.unit, assignment.course), []).append(assignment)
    covers: list[list[tuple[date | None, datetime] | None]] = []
    for index, unit in enumerate(plan):
        row: list[tuple[date | None, datetime] | None] = []
        for course in range(courses):
            above = covers[unit.parent][course] if unit.parent is not None else None
            found = ([] if above is None else [above]) + [
                (a.due_on, a.assigned_at) for a in direct.get((index, course), [])]
            dues = [due for due, _ in found if due is not None]
            row.append((min(dues) if dues else None, min(at for _, at in found))
                       if found else None)
        covers.append(row)
    return covers
