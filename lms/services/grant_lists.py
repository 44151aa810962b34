"""Reading grants for the admin room: a unit's admins, and every grant an admin may manage.

A page of grants names its people, units and courses from a constant number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select, true
from sqlalchemy.orm import Session, contains_eager

from lms.models import Course, Grant, GrantKind, OrgUnit, User
from lms.services.org import ancestor_ids, name_path_from, unit_names
from lms.services.org_admin import scope_clause
from lms.services.permissions import Scope


@dataclass(frozen=True)
class GrantRow:
    grant: Grant
    #: "党委/第一党总支" for a unit admin grant, else None.
    unit_path: str | None


@dataclass(frozen=True)
class GrantPage:
    rows: list[GrantRow]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def unit_admins(session: Session, unit: OrgUnit) -> list[Grant]:
    """The unit admin grants on exactly this unit, each with its person loaded (one query)."""
    return list(session.scalars(
        select(Grant).join(User, Grant.user_id == User.id).options(contains_eager(Grant.user))
        .where(Grant.kind == GrantKind.UNIT_ADMIN, Grant.org_unit_id == unit.id)
        .order_by(User.username)))


def _managed(scope: Scope) -> ColumnElement[bool]:
    """Grants ``scope`` may change: all for site admins, else unit admin grants in its subtrees.

    Course author and site admin grants are changed by site admins only (``manage_grants``).
    """
    if scope.everything:
        return true()
    return (Grant.kind == GrantKind.UNIT_ADMIN) & scope_clause(scope, OrgUnit.path)


def grants_in_scope(session: Session, scope: Scope, *, page: int = 1,
                    page_size: int = 20) -> GrantPage:
    """A page of the grants ``scope`` may change, newest first: three queries in all."""
    where = _managed(scope)
    total = session.scalar(
        select(func.count(Grant.id)).outerjoin(OrgUnit, Grant.org_unit_id == OrgUnit.id)
        .where(where)) or 0
    page = max(1, min(page, -(-total // page_size) or 1))
    grants = list(session.scalars(
        select(Grant).join(User, Grant.user_id == User.id)
        .outerjoin(OrgUnit, Grant.org_unit_id == OrgUnit.id)
        .outerjoin(Course, Grant.course_id == Course.id)
        .options(contains_eager(Grant.user), contains_eager(Grant.org_unit),
                 contains_eager(Grant.course))
        .where(where).order_by(Grant.granted_at.desc(), Grant.id.desc())
        .limit(page_size).offset((page - 1) * page_size)))
    names = unit_names(session, (unit_id for row in grants if row.org_unit is not None
                                 for unit_id in ancestor_ids(row.org_unit.path)))
    return GrantPage([GrantRow(row, name_path_from(row.org_unit.path, names)
                               if row.org_unit is not None else None) for row in grants],
                     total, page, page_size)


def courses_for_authors(session: Session) -> list[Course]:
    """Every course, by title: an author may be named before a course is published."""
    return list(session.scalars(select(Course).order_by(Course.title, Course.id)))
