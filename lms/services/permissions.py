"""One permission question for every view and command acting for a person.

``can(session, user, action, resource)`` answers it from what the user holds: the grant
rows in ``lms_grants`` plus the default their role gives (see ``docs/permissions.md``):

- role ADMIN: unit admin of their own unit's subtree (site admin when they have no unit);
- role TRAINER: grades and sees item analysis of their own subtree's trainees, on published
  courses; edits nothing unless also a course author;
- role TRAINEE: studies, nothing more.

Grants reach the site, an org unit's subtree (by id path prefix) or one course. ``scope_of``
says which submitted attempts that covers, in Python (``Scope.covers``) for one attempt and
in SQL (``Scope.attempts_clause``) for lists, so a page shows exactly what the check allows.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import Session

from lms.models import Course, Grant, GrantKind, Module, OrgUnit, QuizAttempt, Role, User
from lms.services.course_views import CourseView
from lms.services.errors import PermissionDenied
from lms.services.org import in_subtree

Resource = Course | OrgUnit | QuizAttempt | None


class Action(enum.StrEnum):
    STUDY_COURSE = "study_course"              # a Course
    AUTHOR_COURSE = "author_course"            # a Course; None: "authors some course"
    CREATE_COURSE = "create_course"            # None: start a new course (and author it)
    VIEW_ITEM_ANALYSIS = "view_item_analysis"  # a Course (the numbers follow the scope)
    GRADE_ATTEMPT = "grade_attempt"            # a QuizAttempt
    VIEW_GRADING_QUEUE = "view_grading_queue"  # None (the list follows the scope)
    ADMIN_UNIT = "admin_unit"                  # an OrgUnit
    MANAGE_GRANTS = "manage_grants"            # an OrgUnit, a Course, or None for site admins


@dataclass(frozen=True)
class Scope:
    """What one user's grants reach, their role's default included.

    ``unit_paths`` are id paths of subtrees whose trainees' attempts are covered on any
    course (unit admins); ``published_unit_paths`` the same on published courses only
    (trainers); ``course_ids`` courses whose every attempt is covered (authors).
    """

    everything: bool = False
    unit_paths: frozenset[str] = frozenset()
    published_unit_paths: frozenset[str] = frozenset()
    course_ids: frozenset[int] = frozenset()
    #: Holds any grant or a trainer/admin role: may open the teaching pages at all.
    staff: bool = False
    #: Whose scope this is: nobody grades their own attempt (site admins excepted).
    holder_id: int | None = None

    def covers(self, attempt: QuizAttempt) -> bool:
        """Whether this scope covers one attempt (grading it, counting it in analysis)."""
        course = attempt.module.course
        unit = attempt.user.org_unit
        path = unit.path if unit is not None else None
        return (self.everything or course.id in self.course_ids
                or _under(path, self.unit_paths)
                or (course.published and _under(path, self.published_unit_paths)))

    def attempts_clause(self) -> ColumnElement[bool]:
        """The same rule as ``covers``, as a WHERE clause on ``QuizAttempt`` (no joins needed)."""
        if self.everything:
            return true()
        parts: list[ColumnElement[bool]] = []
        if self.course_ids:
            parts.append(QuizAttempt.module_id.in_(
                select(Module.id).where(Module.course_id.in_(sorted(self.course_ids)))))
        if self.unit_paths:
            parts.append(QuizAttempt.user_id.in_(_users_under(self.unit_paths)))
        if self.published_unit_paths:
            parts.append(and_(
                QuizAttempt.user_id.in_(_users_under(self.published_unit_paths)),
                QuizAttempt.module_id.in_(
                    select(Module.id).join(Course, Module.course_id == Course.id)
                    .where(Course.published))))
        return or_(*parts) if parts else false()

    def may_grade(self, attempt: QuizAttempt) -> bool:
        """``covers``, except one's own attempts (a site admin may, being the last resort)."""
        return self.covers(attempt) and (self.everything or attempt.user_id != self.holder_id)

    def gradable_clause(self) -> ColumnElement[bool]:
        """``may_grade`` as a WHERE clause: the grading queue."""
        if self.everything or self.holder_id is None:
            return self.attempts_clause()
        return and_(self.attempts_clause(), QuizAttempt.user_id != self.holder_id)

    @property
    def admins_units(self) -> bool:
        """Whether any part of the org tree is this scope's to administer (the admin room)."""
        return self.everything or bool(self.unit_paths)

    def reaches_course(self, course: Course) -> bool:
        """Whether any attempt of ``course`` could be in scope (so its analysis may show)."""
        return (self.everything or course.id in self.course_ids or bool(self.unit_paths)
                or (course.published and bool(self.published_unit_paths)))


#: The scope of the operator (CLI, reports): every attempt.
EVERYTHING = Scope(everything=True, staff=True)


def _under(path: str | None, prefixes: Iterable[str]) -> bool:
    return path is not None and any(path.startswith(prefix) for prefix in prefixes)


def _users_under(paths: Iterable[str]):
    return (select(User.id).join(OrgUnit, User.org_unit_id == OrgUnit.id)
            .where(or_(*(in_subtree(OrgUnit.path, path) for path in sorted(paths)))))


def _outermost(paths: set[str], covered: Iterable[str] = ()) -> frozenset[str]:
    """Drop subtrees that lie inside another one listed (or in ``covered``)."""
    outer = list(covered)
    return frozenset(p for p in paths
                     if not any(p != q and p.startswith(q) for q in [*paths, *outer]))


def scope_of(session: Session, user: User | None) -> Scope:
    """Everything ``user`` holds, from one query for their grant rows (none for the many
    people whose row says they hold none) plus their role."""
    if user is None or not user.active:
        return Scope()
    rows = session.execute(
        select(Grant.kind, Grant.course_id, OrgUnit.path)
        .outerjoin(OrgUnit, Grant.org_unit_id == OrgUnit.id)
        .where(Grant.user_id == user.id)).all() if user.has_grants else []
    everything = any(kind is GrantKind.SITE_ADMIN for kind, _, _ in rows)
    units = {path for kind, _, path in rows if kind is GrantKind.UNIT_ADMIN}
    courses = {course_id for kind, course_id, _ in rows if kind is GrantKind.COURSE_AUTHOR}
    taught: set[str] = set()
    own = user.org_unit.path if user.org_unit is not None else None
    if user.role is Role.ADMIN:
        if own is None:
            everything = True
        else:
            units.add(own)
    elif user.role is Role.TRAINER and own is not None:
        taught.add(own)
    units_outer = _outermost(units)
    return Scope(everything=everything, unit_paths=units_outer,
                 published_unit_paths=_outermost(taught, covered=units_outer),
                 course_ids=frozenset(courses),
                 staff=bool(rows) or user.role in (Role.TRAINER, Role.ADMIN),
                 holder_id=user.id)


def _study(scope: Scope, course: Course | CourseView) -> bool:
    """Any active user studies a published course; authors and site admins preview others."""
    return course.published or scope.everything or course.id in scope.course_ids


def _author(scope: Scope, course: Course | None) -> bool:
    if course is None:
        return scope.everything or bool(scope.course_ids)
    return scope.everything or course.id in scope.course_ids


def _admin_unit(scope: Scope, unit: OrgUnit) -> bool:
    return scope.everything or _under(unit.path, scope.unit_paths)


def _manage_grants(scope: Scope, target: OrgUnit | Course | None) -> bool:
    """Unit admins may grant within their subtree; courses and the site are for site admins."""
    if isinstance(target, OrgUnit):
        return _admin_unit(scope, target)
    return scope.everything


Rule = Callable[[Scope, Any], bool]
RULES: dict[Action, tuple[tuple[type, ...], Rule]] = {
    Action.STUDY_COURSE: ((Course, CourseView), _study),
    Action.AUTHOR_COURSE: ((Course, type(None)), _author),
    # Trainers, admins and anyone holding a grant start courses; the creator becomes author.
    Action.CREATE_COURSE: ((type(None),), lambda scope, _: scope.everything or scope.staff),
    Action.VIEW_ITEM_ANALYSIS: ((Course,), lambda scope, course: scope.reaches_course(course)),
    Action.GRADE_ATTEMPT: ((QuizAttempt,), lambda scope, attempt: scope.may_grade(attempt)),
    Action.VIEW_GRADING_QUEUE: ((type(None),), lambda scope, _: scope.staff),
    Action.ADMIN_UNIT: ((OrgUnit,), _admin_unit),
    Action.MANAGE_GRANTS: ((OrgUnit, Course, type(None)), _manage_grants),
}


def allowed(scope: Scope, action: Action | str, resource: Resource = None) -> bool:
    """The rule itself, for a scope already read (a page checking many courses at once).

    A resource of the wrong kind for the action is a programming error and raises TypeError.
    """
    kinds, rule = RULES[Action(action)]
    if not isinstance(resource, kinds):
        raise TypeError(f"{action} takes {' or '.join(k.__name__ for k in kinds)}, "
                        f"not {type(resource).__name__}")
    return rule(scope, resource)


def can(session: Session, user: User | None, action: Action | str,
        resource: Resource = None) -> bool:
    """Whether ``user`` (None: nobody signed in, never allowed) may do ``action``."""
    if user is None or not user.active:
        allowed(Scope(), action, resource)  # still refuse a resource of the wrong kind
        return False
    return allowed(scope_of(session, user), action, resource)


def require(session: Session, user: User | None, action: Action | str,
            resource: Resource = None) -> None:
    """Raise PermissionDenied (403) unless ``can(...)``."""
    if not can(session, user, action, resource):
        raise PermissionDenied(f"not allowed to {Action(action).value}")
