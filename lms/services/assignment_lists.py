"""What the admin pages show about assignments: a unit's, and one person's courses.

Each read is a fixed number of queries whatever the number of rows, so the pages keep their
cost as a unit grows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from lms.models import Assignment, CompletionOverride, Course, Enrollment, Module, OrgUnit, User
from lms.services.org import ancestor_ids, in_subtree


@dataclass(frozen=True)
class UnitAssignment:
    """An active assignment reaching a unit: made on it, or inherited from a unit above."""

    assignment: Assignment
    course_title: str
    assigned_by: str | None
    assigned_at_unit: str
    inherited: bool
    #: People in the unit's subtree holding the course as assigned (by any assignment).
    covered: int


def unit_assignments(session: Session, unit: OrgUnit) -> list[UnitAssignment]:
    """Active assignments on ``unit`` and its ancestors, the earliest due first: two queries."""
    assigner = User.__table__.alias("assigner")
    rows = session.execute(
        select(Assignment, Course.title, assigner.c.display_name, OrgUnit.name)
        .join(Course, Assignment.course_id == Course.id)
        .join(OrgUnit, Assignment.org_unit_id == OrgUnit.id)
        .outerjoin(assigner, Assignment.assigned_by_id == assigner.c.id)
        .where(Assignment.org_unit_id.in_(ancestor_ids(unit.path)),
               Assignment.removed_at.is_(None))
        .order_by(Assignment.due_on.is_(None), Assignment.due_on, Course.title,
                  Assignment.id)).all()
    course_ids = sorted({row[0].course_id for row in rows})
    covered = dict(session.execute(
        select(Enrollment.course_id, func.count(Enrollment.id))
        .join(User, Enrollment.user_id == User.id)
        .join(OrgUnit, User.org_unit_id == OrgUnit.id)
        .where(in_subtree(OrgUnit.path, unit.path), Enrollment.assigned,
               Enrollment.course_id.in_(course_ids))
        .group_by(Enrollment.course_id)).all()) if course_ids else {}
    return [UnitAssignment(assignment, title, by, at_unit, assignment.org_unit_id != unit.id,
                           covered.get(assignment.course_id, 0))
            for assignment, title, by, at_unit in rows]


@dataclass
class PersonCourse:
    """One course a person holds, with the overrides recorded on it (module title or None)."""

    enrollment: Enrollment
    course: Course
    overrides: list[tuple[str | None, str]] = field(default_factory=list)


@dataclass(frozen=True)
class PersonCourses:
    courses: list[PersonCourse]
    #: The person's own active assignments (not those of their unit), with course titles.
    direct: list[tuple[Assignment, str]]


def person_courses(session: Session, person: User) -> PersonCourses:
    """Everything the person page lists, in three queries."""
    courses = {enrollment.course_id: PersonCourse(enrollment, course)
               for enrollment, course in session.execute(
                   select(Enrollment, Course).join(Course, Enrollment.course_id == Course.id)
                   .where(Enrollment.user_id == person.id)
                   .order_by(Enrollment.assigned.desc(), Enrollment.due_on.is_(None),
                             Enrollment.due_on, Course.title))}
    for course_id, title, reason in session.execute(
            select(CompletionOverride.course_id, Module.title, CompletionOverride.reason)
            .outerjoin(Module, CompletionOverride.module_id == Module.id)
            .where(CompletionOverride.user_id == person.id)
            .order_by(CompletionOverride.id)):
        if course_id in courses:
            courses[course_id].overrides.append((title, reason))
    direct = list(session.execute(
        select(Assignment, Course.title).join(Course, Assignment.course_id == Course.id)
        .where(Assignment.user_id == person.id, Assignment.removed_at.is_(None))
        .order_by(Course.title)))
    return PersonCourses(list(courses.values()), direct)


def assignable_courses(session: Session) -> list[Course]:
    """Published courses with their current modules, for the assign and override forms."""
    return list(session.scalars(
        select(Course).where(Course.published).order_by(Course.title)
        .options(selectinload(Course.modules))))
