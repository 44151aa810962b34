"""Assign courses to an org unit's whole subtree or to chosen people, with an optional due date.

Who holds a course is derived, never stored per assignment: ``sync_enrollments`` re-derives
``Enrollment.assigned`` / ``due_on`` for a slice of people and courses from the active
assignments, and inserts the missing enrollments, with one INSERT … SELECT and one UPDATE.
Assigning a course to a unit of 100 000 people therefore costs the same few statements as
assigning it to one. Unassigning only sets ``removed_at``: records and progress stay.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import (
    Date,
    Select,
    and_,
    case,
    exists,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from lms.db import UTCDateTime, utcnow
from lms.events import CourseAssigned, CourseUnassigned
from lms.models import NO_DUE_DATE, Assignment, Course, Enrollment, OrgUnit, User
from lms.services.errors import InvalidInput, PermissionDenied
from lms.services.locks import lock_people
from lms.services.org import in_subtree
from lms.services.permissions import Action, Scope, allowed, scope_of
from lms.unit_of_work import raise_event, transactional

#: The latest due date accepted (the forms say so too).
LATEST_DUE_DATE = date(2099, 12, 31)


class AssignmentRefused(InvalidInput):
    """An assignment the rules refuse; ``reason`` is a stable key the web layer words."""

    def __init__(self, reason: str, message: str, field: str | None = None):
        super().__init__(message, field=field)
        self.reason = reason


def today() -> date:
    """The server's calendar day: due dates are days, not instants."""
    return date.today()


def may_administer(scope: Scope, person: User) -> bool:
    """A person is administered through their unit; people without one by site admins only."""
    if person.org_unit is None:
        return scope.everything
    return allowed(scope, Action.ADMIN_UNIT, person.org_unit)


def _check(session: Session, actor: User, course: Course, unit: OrgUnit | None,
           people: Sequence[User], due_on: date | None) -> None:
    if (unit is None) == (not people):
        raise AssignmentRefused("one_target", "assign to a unit or to people, not both",
                                field="target")
    scope = scope_of(session, actor)
    if unit is not None and not allowed(scope, Action.ADMIN_UNIT, unit):
        raise PermissionDenied("not an administrator of this unit")
    if any(not may_administer(scope, person) for person in people):
        raise PermissionDenied("not an administrator of every person chosen")
    if not course.published:
        raise AssignmentRefused("unpublished", "only published courses can be assigned",
                                field="course_id")
    if due_on is not None and due_on < today():
        raise AssignmentRefused("due_in_past", "the due date has already passed",
                                field="due_on")
    if due_on is not None and due_on > LATEST_DUE_DATE:
        # Far-future dates are typos (and 9999-12-31 means "no due date" to the counters).
        raise AssignmentRefused("due_too_late", "the due date is too far in the future",
                                field="due_on")
    if unit is not None and not unit.active:
        raise AssignmentRefused("inactive_unit", "the unit is deactivated", field="target")
    if any(not person.active for person in people):
        raise AssignmentRefused("inactive_person", "a chosen person is deactivated",
                                field="target")


@transactional
def assign_course(session: Session, actor: User, course: Course, *, unit: OrgUnit | None = None,
                  people: Iterable[User] = (), due_on: date | None = None) -> list[Assignment]:
    """Give ``course`` to ``unit``'s subtree or to each of ``people``, due on ``due_on``.

    Assigning again to a target that already holds the course changes the due date of its
    active assignment instead of adding a second one.
    """
    people = list({person.id: person for person in people}.values())
    _check(session, actor, course, unit, people, due_on)
    active = select(Assignment).where(Assignment.course_id == course.id,
                                      Assignment.removed_at.is_(None))
    if unit is not None:
        same = session.scalars(active.where(Assignment.org_unit_id == unit.id)).first()
        existing = {None: same} if same is not None else {}
        targets: list[tuple[int | None, int | None]] = [(unit.id, None)]
    else:
        existing = {a.user_id: a for a in session.scalars(
            active.where(Assignment.user_id.in_([p.id for p in people])))}
        targets = [(None, person.id) for person in people]
    made = []
    for unit_id, user_id in targets:
        assignment = existing.get(user_id)
        if assignment is None:
            assignment = Assignment(course_id=course.id, org_unit_id=unit_id, user_id=user_id,
                                    assigned_by_id=actor.id)
            session.add(assignment)
        assignment.due_on = due_on
        made.append(assignment)
    session.flush()
    _sync_targets(session, course.id, unit, [p.id for p in people])
    for assignment in made:
        raise_event(session, CourseAssigned(
            actor_id=actor.id, assignment_id=assignment.id, course_id=course.id,
            org_unit_id=assignment.org_unit_id, user_id=assignment.user_id,
            due_on=due_on.isoformat() if due_on is not None else None))
    return made


@transactional
def unassign(session: Session, actor: User, assignment: Assignment) -> Assignment:
    """Withdraw ``assignment``; enrollments and progress stay, their flags are re-derived."""
    scope = scope_of(session, actor)
    if assignment.org_unit is not None:
        permitted = allowed(scope, Action.ADMIN_UNIT, assignment.org_unit)
    else:
        assert assignment.user is not None
        permitted = may_administer(scope, assignment.user)
    if not permitted:
        raise PermissionDenied("not an administrator of this assignment's people")
    if assignment.removed_at is not None:
        raise AssignmentRefused("already_removed", "the assignment was already withdrawn")
    assignment.removed_at = utcnow()
    session.flush()
    _sync_targets(session, assignment.course_id, assignment.org_unit,
                  [assignment.user_id] if assignment.user_id is not None else [])
    raise_event(session, CourseUnassigned(
        actor_id=actor.id, assignment_id=assignment.id, course_id=assignment.course_id,
        org_unit_id=assignment.org_unit_id, user_id=assignment.user_id))
    return assignment


def _sync_targets(session: Session, course_id: int, unit: OrgUnit | None,
                  user_ids: list[int]) -> None:
    if unit is not None:
        sync_enrollments(session, course_id=course_id, unit_path=unit.path)
    else:
        sync_enrollments(session, course_id=course_id, user_ids=user_ids)


def _active_assignments(course_id: int | None):
    """Active assignments (of one course, if given), each with its unit's id path (None for
    a person's own): a unit's covers a person whose unit path starts with it."""
    assigned_unit = aliased(OrgUnit)
    query = (select(Assignment.course_id, Assignment.user_id, Assignment.due_on,
                    assigned_unit.path.label("unit_path"))
             .outerjoin(assigned_unit, Assignment.org_unit_id == assigned_unit.id)
             .where(Assignment.removed_at.is_(None)))
    if course_id is not None:
        query = query.where(Assignment.course_id == course_id)
    return query.subquery("active")


def sync_enrollments(session: Session, *, course_id: int | None = None,
                     unit_path: str | None = None,
                     user_ids: Iterable[int] | None = None) -> None:
    """Re-derive ``assigned`` / ``due_on`` for a slice and insert enrollments for the covered.

    The slice is every enrollment matching all the filters given (a course; people under
    ``unit_path``; people by id). Covered people without an enrollment get one (active people
    only: a deactivated person is not handed new work). Two statements whatever the slice's
    size; rows whose values are already right are not touched.
    """
    ids = sorted(set(user_ids)) if user_ids is not None else None
    if ids == []:
        return
    if ids is not None:  # people first (lms.services.locks); a unit-wide slice needs none
        lock_people(session, ids)

    def in_slice(query: Select, unit: type[OrgUnit]) -> Select:
        if unit_path is not None:
            query = query.where(in_subtree(unit.path, unit_path))
        return query.where(User.id.in_(ids)) if ids is not None else query

    person_unit, assigned_unit = aliased(OrgUnit), aliased(OrgUnit)
    covered = in_slice(
        select(User.id, Assignment.course_id, literal(utcnow(), UTCDateTime),
               literal(True), func.min(Assignment.due_on))
        .select_from(User).outerjoin(person_unit, User.org_unit_id == person_unit.id)
        .join(Assignment, Assignment.removed_at.is_(None))
        .outerjoin(assigned_unit, Assignment.org_unit_id == assigned_unit.id)
        .where(User.active,
               or_(Assignment.user_id == User.id,
                   person_unit.path.startswith(assigned_unit.path)),
               ~exists().where(Enrollment.user_id == User.id,
                               Enrollment.course_id == Assignment.course_id))
        .group_by(User.id, Assignment.course_id), person_unit)
    if course_id is not None:
        covered = covered.where(Assignment.course_id == course_id)
    # A trainee opening the course at this moment may insert the same row: theirs stands, and
    # the UPDATE below gives it the flags.
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(Enrollment).from_select(
        ["user_id", "course_id", "enrolled_at", "assigned", "due_on"], covered)
        .on_conflict_do_nothing(index_elements=["user_id", "course_id"]))

    # Per enrollment in the slice, in one grouped pass: the earliest due date of the
    # assignments covering it (NO_DUE_DATE for "covered, no date"; NULL for "not covered").
    active = _active_assignments(course_id)
    code = func.min(case((active.c.course_id.is_not(None),
                          func.coalesce(active.c.due_on, literal(NO_DUE_DATE, Date)))))
    derived = in_slice(
        select(Enrollment.id.label("id"), code.label("code"))
        .join(User, User.id == Enrollment.user_id)
        .outerjoin(person_unit, User.org_unit_id == person_unit.id)
        .outerjoin(active, and_(active.c.course_id == Enrollment.course_id,
                                or_(active.c.user_id == Enrollment.user_id,
                                    person_unit.path.startswith(active.c.unit_path))))
        .group_by(Enrollment.id), person_unit)
    if course_id is not None:
        derived = derived.where(Enrollment.course_id == course_id)
    derived = derived.subquery("derived")
    now_assigned = derived.c.code.is_not(None)
    # A reopened round of a recurring course is due by its own date (the lapsing completion's
    # expiry), for as long as an assignment covers the person; an assignment's later date wins
    # (an admin extending it).
    assigned_due = func.nullif(derived.c.code, literal(NO_DUE_DATE, Date))
    round_due = Enrollment.cycle_due_on
    now_due = case((~now_assigned, None),
                   (round_due.is_(None), assigned_due),
                   (assigned_due.is_(None) | (round_due > assigned_due), round_due),
                   else_=assigned_due)
    session.execute(
        update(Enrollment)
        .where(Enrollment.id == derived.c.id,
               or_(Enrollment.assigned != now_assigned,
                   Enrollment.due_on.is_distinct_from(now_due)))
        .values(assigned=now_assigned, due_on=now_due)
        .execution_options(synchronize_session=False))
    # Rows already loaded would show the old flags: read them again when next used.
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, Enrollment):
            session.expire(loaded, ["assigned", "due_on"])
