"""The admin room's changes to the org tree: create, rename, move, deactivate; and its reads.

Each change checks ``admin_unit`` on every unit it touches, raises a typed event (the audit
handler writes the log row in the same transaction) and never deletes: a unit that is no
longer used is deactivated, so records and statistics that point at its id keep meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, false, func, literal, or_, select, true, update
from sqlalchemy.orm import Session

from lms.events import UnitCreated, UnitDeactivated, UnitMoved, UnitRenamed
from lms.models import OrgUnit, OrgUnitKind, User
from lms.services.errors import InvalidInput, NotFound, PermissionDenied
from lms.services.org import add_unit, ancestor_ids, in_subtree
from lms.services.permissions import Action, Scope, require, scope_of
from lms.unit_of_work import raise_event, transactional

NAME_MAX = 100


class UnitChangeRefused(InvalidInput):
    """A change the rules forbid; ``reason`` is a stable key the web layer words for people."""

    def __init__(self, reason: str, message: str, field: str | None = None):
        super().__init__(message, field=field)
        self.reason = reason


@dataclass(frozen=True)
class TreeRow:
    """One unit of the tree page: ``depth`` counts its ancestors shown above it, ``people``
    the active people in its whole subtree."""

    unit: OrgUnit
    depth: int
    people: int


def get_unit(session: Session, unit_id: int) -> OrgUnit:
    unit = session.get(OrgUnit, unit_id)
    if unit is None:
        raise NotFound(f"no org unit {unit_id}")
    return unit


def scope_clause(scope: Scope, path_column: ColumnElement[str]) -> ColumnElement[bool]:
    """Rows whose id path lies in a subtree the scope administers."""
    if scope.everything:
        return true()
    if not scope.unit_paths:
        return false()
    return or_(*(in_subtree(path_column, path) for path in sorted(scope.unit_paths)))


def unit_tree(session: Session, scope: Scope) -> list[TreeRow]:
    """The units ``scope`` administers, parents before children: two queries in all."""
    units = list(session.scalars(
        select(OrgUnit).where(scope_clause(scope, OrgUnit.path)).order_by(OrgUnit.path)))
    ids = {unit.id for unit in units}
    paths = {unit.id: unit.path for unit in units}
    people = {unit_id: count for unit_id, count in session.execute(
        select(User.org_unit_id, func.count(User.id))
        .join(OrgUnit, User.org_unit_id == OrgUnit.id)
        .where(User.active, scope_clause(scope, OrgUnit.path))
        .group_by(User.org_unit_id))}
    subtree: dict[int, int] = {}  # a unit's people include its sub-units' people
    for unit_id, count in people.items():
        for ancestor in ancestor_ids(paths[unit_id]) if unit_id in paths else ():
            subtree[ancestor] = subtree.get(ancestor, 0) + count
    return [TreeRow(unit, sum(1 for a in ancestor_ids(unit.path)[:-1] if a in ids),
                    subtree.get(unit.id, 0)) for unit in units]


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise UnitChangeRefused("name_required", "a unit needs a name", field="name")
    if len(name) > NAME_MAX:
        raise UnitChangeRefused("name_too_long", "a unit name is longer than 100 characters",
                                field="name")
    if "/" in name or "／" in name:
        raise UnitChangeRefused("name_has_slash", "a unit name may not contain '/'",
                                field="name")
    return name


def _refuse_sibling_name(session: Session, parent: OrgUnit | None, name: str,
                         unit: OrgUnit | None = None) -> None:
    under = OrgUnit.parent_id.is_(None) if parent is None else OrgUnit.parent_id == parent.id
    query = select(OrgUnit.id).where(under, OrgUnit.name == name)
    if unit is not None:
        query = query.where(OrgUnit.id != unit.id)
    if session.scalar(query) is not None:
        raise UnitChangeRefused("name_taken", f"the parent already has a unit named {name!r}",
                                field="name")


def _require_active(unit: OrgUnit, field: str) -> None:
    if not unit.active:
        raise UnitChangeRefused("inactive", f"unit {unit.id} is deactivated", field=field)


@transactional
def create_unit(session: Session, actor: User, parent: OrgUnit | None, name: str,
                kind: OrgUnitKind | str) -> OrgUnit:
    """Add a unit under ``parent``; a new top-level unit (no parent) is for site admins."""
    if parent is None:
        if not scope_of(session, actor).everything:
            raise PermissionDenied("only site admins add top-level units")
    else:
        require(session, actor, Action.ADMIN_UNIT, parent)
        _require_active(parent, "parent")
    try:
        kind = OrgUnitKind(kind)
    except ValueError:
        raise UnitChangeRefused("bad_kind", f"unknown unit kind {kind!r}", field="kind") from None
    name = _clean_name(name)
    _refuse_sibling_name(session, parent, name)
    unit = add_unit(session, parent, name, kind)
    raise_event(session, UnitCreated(actor_id=actor.id, unit_id=unit.id,
                                     parent_id=parent.id if parent is not None else None,
                                     unit_name=name, kind=kind.value))
    return unit


@transactional
def rename_unit(session: Session, actor: User, unit: OrgUnit, name: str) -> OrgUnit:
    """Give ``unit`` a new name, unique among its siblings; no other row changes."""
    require(session, actor, Action.ADMIN_UNIT, unit)
    name = _clean_name(name)
    if name == unit.name:
        return unit
    _refuse_sibling_name(session, unit.parent, name, unit)
    old = unit.name
    unit.name = name
    raise_event(session, UnitRenamed(actor_id=actor.id, unit_id=unit.id, old_name=old,
                                     new_name=name))
    return unit


@transactional
def move_unit(session: Session, actor: User, unit: OrgUnit, new_parent: OrgUnit) -> OrgUnit:
    """Put ``unit`` and its subtree under ``new_parent``: one UPDATE rewrites every id path.

    Records and statistics point at unit ids, so they follow the unit without a write.
    """
    require(session, actor, Action.ADMIN_UNIT, unit)
    require(session, actor, Action.ADMIN_UNIT, new_parent)
    if new_parent.path.startswith(unit.path):
        raise UnitChangeRefused("into_own_subtree", "a unit cannot move under itself or its "
                                "own sub-units", field="parent")
    if unit.parent_id == new_parent.id:
        raise UnitChangeRefused("same_parent", "the unit is already there", field="parent")
    _require_active(new_parent, "parent")
    _refuse_sibling_name(session, new_parent, unit.name, unit)
    old_path, new_path = unit.path, f"{new_parent.path}{unit.id}/"
    old_parent_id = unit.parent_id
    session.execute(
        update(OrgUnit).where(in_subtree(OrgUnit.path, old_path))
        .values(path=literal(new_path) + func.substr(OrgUnit.path, len(old_path) + 1))
        .execution_options(synchronize_session=False))
    unit.parent_id = new_parent.id
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, OrgUnit) and loaded is not unit:
            session.expire(loaded, ["path"])
    session.expire(unit, ["path", "parent"])
    session.flush()
    raise_event(session, UnitMoved(actor_id=actor.id, unit_id=unit.id,
                                   old_parent_id=old_parent_id, new_parent_id=new_parent.id,
                                   old_path=old_path, new_path=new_path))
    return unit


@transactional
def deactivate_unit(session: Session, actor: User, unit: OrgUnit) -> OrgUnit:
    """Mark ``unit`` inactive; refused while active people or active sub-units remain."""
    require(session, actor, Action.ADMIN_UNIT, unit)
    _require_active(unit, "unit")
    people = session.scalar(
        select(func.count(User.id)).join(OrgUnit, User.org_unit_id == OrgUnit.id)
        .where(User.active, in_subtree(OrgUnit.path, unit.path)))
    if people:
        raise UnitChangeRefused("has_people", f"{people} active people are still in the unit",
                                field="unit")
    children = session.scalar(
        select(func.count(OrgUnit.id))
        .where(in_subtree(OrgUnit.path, unit.path), OrgUnit.id != unit.id, OrgUnit.active))
    if children:
        raise UnitChangeRefused("has_units", f"{children} active sub-units remain",
                                field="unit")
    unit.active = False
    raise_event(session, UnitDeactivated(actor_id=actor.id, unit_id=unit.id))
    return unit
