"""Reading the people an admin may manage: a searchable page of them, with completion counts.

A page costs the same handful of queries whatever its size: the count, the rows, one grouped
count of their enrolments and one read of their units' ancestors for the name paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from lms.models import Enrollment, OrgUnit, Role, User
from lms.services.errors import PermissionDenied
from lms.services.org import in_subtree, name_paths
from lms.services.org_admin import scope_clause
from lms.services.permissions import Action, Scope, allowed

#: Longest search text taken; a longer one cannot match a 100-character name anyway.
QUERY_MAX = 100


@dataclass(frozen=True)
class PersonRow:
    person: User
    unit_path: str  # the name path people read, "" for a person without a unit
    role: Role
    last_active_at: datetime | None
    active: bool
    completed: int  # courses completed …
    enrolled: int   # … of the courses the person has a record in

    @property
    def completion(self) -> str:
        return f"{self.completed}/{self.enrolled}"


@dataclass(frozen=True)
class PeoplePage:
    items: list[PersonRow]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _search(query: str) -> ColumnElement[bool]:
    return or_(User.display_name.icontains(query, autoescape=True),
               User.username.icontains(query, autoescape=True),
               User.phone.icontains(query, autoescape=True))


def people_clause(scope: Scope, *, unit: OrgUnit | None = None, query: str | None = None,
                  include_inactive: bool = True) -> list[ColumnElement[bool]]:
    """WHERE parts (on User outer-joined to OrgUnit) for the people a list shows.

    People without a unit belong to no subtree: only a site admin's unfiltered list has them.
    """
    if unit is not None and not allowed(scope, Action.ADMIN_UNIT, unit):
        raise PermissionDenied("not an administrator of this unit")
    where = [scope_clause(scope, OrgUnit.path)]
    if unit is not None:
        where.append(in_subtree(OrgUnit.path, unit.path))
    query = (query or "").strip()[:QUERY_MAX]
    if query:
        where.append(_search(query))
    if not include_inactive:
        where.append(User.active)
    return where


def list_people(session: Session, scope: Scope, *, unit: OrgUnit | None = None,
                query: str | None = None, include_inactive: bool = True, page: int = 1,
                page_size: int = 20) -> PeoplePage:
    """One page of the people ``scope`` administers (in ``unit``'s subtree when given),
    ordered by unit path, then name; a page past the end shows the last page."""
    where = people_clause(scope, unit=unit, query=query, include_inactive=include_inactive)
    total = session.scalar(select(func.count(User.id))
                          .outerjoin(OrgUnit, User.org_unit_id == OrgUnit.id)
                          .where(*where)) or 0
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = session.execute(
        select(User, OrgUnit).outerjoin(OrgUnit, User.org_unit_id == OrgUnit.id).where(*where)
        .order_by(OrgUnit.path.is_not(None), OrgUnit.path, User.display_name, User.id)
        .limit(page_size).offset((page - 1) * page_size)).all()
    ids = [person.id for person, _ in rows]
    counts = {user_id: (completed, enrolled) for user_id, completed, enrolled in session.execute(
        select(Enrollment.user_id, func.count(Enrollment.completed_at), func.count(Enrollment.id))
        .where(Enrollment.user_id.in_(ids)).group_by(Enrollment.user_id))} if ids else {}
    paths = name_paths(session, {unit.id: unit for _, unit in rows if unit is not None}.values())
    items = [PersonRow(person, paths.get(unit.id, "") if unit is not None else "", person.role,
                       person.last_active_at, person.active, *counts.get(person.id, (0, 0)))
             for person, unit in rows]
    return PeoplePage(items, total, page, page_size)


def completion_of(session: Session, person: User) -> tuple[int, int]:
    """(courses completed, courses with a record) for one person's page."""
    completed, enrolled = session.execute(
        select(func.count(Enrollment.completed_at), func.count(Enrollment.id))
        .where(Enrollment.user_id == person.id)).one()
    return completed, enrolled
