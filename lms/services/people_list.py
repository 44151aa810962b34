"""Reading the people an admin may manage: a searchable page of them, with completion counts.

A page costs the same handful of queries whatever its size: the count, the rows, one grouped
count of their enrolments and one read of their units' ancestors for the name paths.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ColumnElement, case, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

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


class holds_text(FunctionElement[bool]):  # noqa: N801 - a SQL function's name
    """``haystack`` holds ``needle`` as plain text: no LIKE pattern to escape, and on SQLite
    ``instr`` scans the people index a quarter faster than ``LIKE '%…%'``."""

    type = Boolean()
    inherit_cache = True


@compiles(holds_text)
def _holds_text(element: holds_text, compiler: SQLCompiler, **kw: Any) -> str:
    haystack, needle = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(strpos({haystack}, {needle}) > 0)"


@compiles(holds_text, "sqlite")
def _holds_text_sqlite(element: holds_text, compiler: SQLCompiler, **kw: Any) -> str:
    haystack, needle = (compiler.process(arg, **kw) for arg in element.clauses)
    return f"(instr({haystack}, {needle}) > 0)"


def search_text(query: str | None) -> str:
    """The search as the key stores text: trimmed, bounded, lower-cased, one line."""
    return " ".join((query or "").split())[:QUERY_MAX].lower()


def _person_filters(query: str, include_inactive: bool) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if query:
        where.append(holds_text(User.search_key, query))
    if not include_inactive:
        where.append(User.active)
    return where


def _units_in_order(session: Session, scope: Scope, unit: OrgUnit | None) -> list[int]:
    """Unit ids in id-path order, sorted here: Python compares code points (the order SQLite
    gives), where PostgreSQL would run its collation over every path."""
    where = [scope_clause(scope, OrgUnit.path)]
    if unit is not None:
        where.append(in_subtree(OrgUnit.path, unit.path))
    # Core, not ORM, execution for the plain per-unit rows: thousands of them per page view.
    rows = session.connection().execute(select(OrgUnit.id, OrgUnit.path).where(*where)).all()
    return [unit_id for unit_id, _ in sorted(rows, key=lambda row: row[1])]


def _span(order: list[int | None], counts: dict[int | None, int], offset: int,
          size: int) -> tuple[list[int | None], int]:
    """The units holding rows ``offset`` … ``offset + size`` and how many rows of the first
    to skip: a page reads only its own units."""
    span: list[int | None] = []
    seen = 0
    skip = 0
    for unit_id in order:
        count = counts.get(unit_id, 0)
        if not count:
            continue
        if seen + count > offset:
            if not span:
                skip = offset - seen
            span.append(unit_id)
        seen += count
        if seen >= offset + size:
            break
    return span, skip


def list_people(session: Session, scope: Scope, *, unit: OrgUnit | None = None,
                query: str | None = None, include_inactive: bool = True, page: int = 1,
                page_size: int = 20) -> PeoplePage:
    """One page of the people ``scope`` administers (in ``unit``'s subtree when given),
    ordered by unit path, then name; a page past the end shows the last page.

    No page sorts the population: one grouped count per unit (a covering index scan, the
    search included) gives the total and the units the page falls in; the rows come from
    those units alone, in name order from their index. People without a unit belong to no
    subtree: only a site admin's unfiltered list has them, first.
    """
    if unit is not None and not allowed(scope, Action.ADMIN_UNIT, unit):
        raise PermissionDenied("not an administrator of this unit")
    filters = _person_filters(search_text(query), include_inactive)
    order: list[int | None] = _units_in_order(session, scope, unit)
    counted = select(User.org_unit_id, func.count()).where(*filters)
    if scope.everything and unit is None:
        order.insert(0, None)
    else:
        counted = counted.where(User.org_unit_id.in_(
            select(OrgUnit.id).where(scope_clause(scope, OrgUnit.path),
                                     *([in_subtree(OrgUnit.path, unit.path)] if unit else []))))
    counts: dict[int | None, int] = {unit_id: count for unit_id, count in
                                      session.connection().execute(
                                          counted.group_by(User.org_unit_id))}
    total = sum(counts.get(unit_id, 0) for unit_id in order)
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    span, skip = _span(order, counts, (page - 1) * page_size, page_size)
    rows: list[tuple[User, OrgUnit | None]] = []
    if span:
        known = [unit_id for unit_id in span if unit_id is not None]
        position = case({unit_id: index for index, unit_id in enumerate(span)},
                        value=User.org_unit_id, else_=-1)
        in_span = or_(User.org_unit_id.in_(known), User.org_unit_id.is_(None)) \
            if None in span else User.org_unit_id.in_(known)
        rows = [(person, unit_row) for person, unit_row in session.execute(
            select(User, OrgUnit).outerjoin(OrgUnit, User.org_unit_id == OrgUnit.id)
            .where(in_span, *filters).order_by(position, User.display_name, User.id)
            .limit(page_size).offset(skip))]
    ids = [person.id for person, _ in rows]
    counts_by_person = {user_id: (completed, enrolled) for user_id, completed, enrolled
                        in session.execute(
        select(Enrollment.user_id, func.count(Enrollment.completed_at), func.count(Enrollment.id))
        .where(Enrollment.user_id.in_(ids)).group_by(Enrollment.user_id))} if ids else {}
    paths = name_paths(session, {u.id: u for _, u in rows if u is not None}.values())
    items = [PersonRow(person, paths.get(unit_row.id, "") if unit_row is not None else "",
                       person.role, person.last_active_at, person.active,
                       *counts_by_person.get(person.id, (0, 0)))
             for person, unit_row in rows]
    return PeoplePage(items, total, page, page_size)


def completion_of(session: Session, person: User) -> tuple[int, int]:
    """(courses completed, courses with a record) for one person's page."""
    completed, enrolled = session.execute(
        select(func.count(Enrollment.completed_at), func.count(Enrollment.id))
        .where(Enrollment.user_id == person.id)).one()
    return completed, enrolled
