"""Reading the admin audit log: newest first, a page at a time, within the reader's scope.

An entry is filed under the id path of the unit it is about, so a unit admin's view is a
prefix match on an index. A unit move is filed under the unit's new place; it is also shown
under its old place (``before.path``), so the admins of the subtree it left see it too.
Rows keep ids; ``AuditPage.names`` holds the names of every unit, person, course and module
a page mentions, read in one query per kind whatever the page size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, false, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from lms.models import AdminAction, Course, Module, User
from lms.services.org import ID_PATH, ancestor_ids, in_subtree, name_path_from, unit_names
from lms.services.permissions import Scope

#: What the ids in an entry's before/after point at, by key.
UNIT_KEYS = frozenset({"org_unit_id", "parent_id", "unit_id", "old_unit_id", "new_unit_id"})
USER_KEYS = frozenset({"user_id"})
COURSE_KEYS = frozenset({"course_id"})
MODULE_KEYS = frozenset({"module_id"})
#: What an entry's ``target_id`` points at, by ``target_kind``.
UNIT_TARGETS, USER_TARGETS, COURSE_TARGETS = {"org_unit"}, {"user"}, {"course"}


@dataclass(frozen=True)
class AuditFilters:
    """What the reader narrowed the log to; dates are whole UTC days, both ends included."""

    action: str | None = None
    actor_id: int | None = None
    since: date | None = None
    until: date | None = None
    #: An id path: entries about this unit and its sub-units.
    unit_path: str | None = None


@dataclass
class Names:
    units: dict[int, str] = field(default_factory=dict)
    users: dict[int, tuple[str, str]] = field(default_factory=dict)  # (display name, username)
    courses: dict[int, str] = field(default_factory=dict)
    modules: dict[int, str] = field(default_factory=dict)

    def unit_path(self, id_path: str | None) -> str | None:
        """"党委/第一党总支" for an id path of the page (None for a site-wide entry)."""
        if id_path is None or not ID_PATH.fullmatch(id_path):
            return None
        return name_path_from(id_path, self.units)


@dataclass(frozen=True)
class AuditPage:
    entries: list[tuple[AdminAction, str | None, str | None]]  # with actor's name, username
    names: Names
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


def _about(id_path: str) -> ColumnElement[bool]:
    """Entries about the subtree at ``id_path``, unit moves out of it included."""
    return or_(in_subtree(AdminAction.org_unit_path, id_path),
               and_(AdminAction.action == "unit_moved",
                    in_subtree(AdminAction.before["path"].as_string(), id_path)))


def _visible(scope: Scope) -> ColumnElement[bool]:
    """All entries for site admins; else those about their subtrees (site-wide ones: never)."""
    if scope.everything:
        return true()
    if not scope.unit_paths:
        return false()
    return or_(*(_about(path) for path in sorted(scope.unit_paths)))


def _filters(filters: AuditFilters) -> list[ColumnElement[bool]]:
    where = []
    if filters.action:
        where.append(AdminAction.action == filters.action)
    if filters.actor_id is not None:
        where.append(AdminAction.actor_id == filters.actor_id)
    if filters.since is not None:
        where.append(AdminAction.occurred_at >= datetime.combine(filters.since, time(), UTC))
    if filters.until is not None:
        where.append(AdminAction.occurred_at < datetime.combine(
            filters.until + timedelta(days=1), time(), UTC))
    if filters.unit_path is not None:
        where.append(_about(filters.unit_path))
    return where


def list_actions(session: Session, scope: Scope, filters: AuditFilters = AuditFilters(), *,
                 page: int = 1, page_size: int = 20) -> AuditPage:
    """A page of the entries ``scope`` may read that match ``filters``, with their names."""
    where = [_visible(scope), *_filters(filters)]
    total = session.scalar(select(func.count(AdminAction.id)).where(*where)) or 0
    page = max(1, page)
    actor = aliased(User)
    rows = session.execute(
        select(AdminAction, actor.display_name, actor.username)
        .outerjoin(actor, AdminAction.actor_id == actor.id).where(*where)
        .order_by(AdminAction.occurred_at.desc(), AdminAction.id.desc())
        .limit(page_size).offset((page - 1) * page_size)).all()
    return AuditPage(list(rows), load_names(session, [row[0] for row in rows]), total, page,
                     page_size)


def _ids(entries: list[AdminAction], keys: frozenset[str], targets: set[str]) -> set[int]:
    found = {entry.target_id for entry in entries
             if entry.target_kind in targets and entry.target_id is not None}
    for entry in entries:
        for values in (entry.before or {}, entry.after or {}):
            found.update(value for key, value in values.items()
                         if key in keys and isinstance(value, int))
    return found


def _paths(entries: list[AdminAction]) -> set[str]:
    found = {entry.org_unit_path for entry in entries if entry.org_unit_path}
    for entry in entries:
        for values in (entry.before or {}, entry.after or {}):
            path = values.get("path")
            if isinstance(path, str) and ID_PATH.fullmatch(path):
                found.add(path)
    return found


def load_names(session: Session, entries: list[AdminAction]) -> Names:
    """Every name ``entries`` mention: at most one query each for units, people, courses,
    modules, so a page costs the same with 2 entries or 200."""
    unit_ids = _ids(entries, UNIT_KEYS, UNIT_TARGETS) | {
        unit_id for path in _paths(entries) for unit_id in ancestor_ids(path)}
    names = Names(units=unit_names(session, unit_ids))
    user_ids = _ids(entries, USER_KEYS, USER_TARGETS)
    if user_ids:
        names.users = {row.id: (row.display_name, row.username) for row in session.execute(
            select(User.id, User.display_name, User.username).where(User.id.in_(user_ids)))}
    names.courses = _titles(session, Course, _ids(entries, COURSE_KEYS, COURSE_TARGETS))
    names.modules = _titles(session, Module, _ids(entries, MODULE_KEYS, set()))
    return names


def _titles(session: Session, model: Any, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(
        select(model.id, model.title).where(model.id.in_(sorted(ids)))).all())
