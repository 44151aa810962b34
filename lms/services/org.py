"""The party organisation tree: 党委 → 党总支 → 党支部 (→ 党小组).

People name a unit by its name path ("党委/第一党总支/第一党支部"); rows keep an id path
("/1/5/12/", see ``OrgUnit``), so a unit is found by (parent, name) one level at a time and
its name path is read back from its ancestors in one query.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from lms.models import OrgUnit, OrgUnitKind
from lms.services.errors import InvalidInput

ID_PATH = re.compile(r"/(?:\d+/)+")
KINDS_BY_DEPTH = (OrgUnitKind.COMMITTEE, OrgUnitKind.GENERAL_BRANCH, OrgUnitKind.BRANCH,
                  OrgUnitKind.GROUP)


def split_unit_path(path: str) -> list[str]:
    parts = [part.strip() for part in path.replace("／", "/").split("/")]
    if not path.strip() or any(not part for part in parts):
        raise InvalidInput("unit path must look like 党委/总支/支部", field="unit")
    if len(parts) > len(KINDS_BY_DEPTH):
        raise InvalidInput(f"unit path has more than {len(KINDS_BY_DEPTH)} levels", field="unit")
    if any(len(part) > 100 for part in parts):
        raise InvalidInput("a unit name is longer than 100 characters", field="unit")
    return parts


def _child(session: Session, parent: OrgUnit | None, name: str) -> OrgUnit | None:
    """Find a unit by (parent, name); a root has no parent, which SQL compares apart."""
    under = OrgUnit.parent_id.is_(None) if parent is None else OrgUnit.parent_id == parent.id
    return session.scalar(select(OrgUnit).where(under, OrgUnit.name == name))


def add_unit(session: Session, parent: OrgUnit | None, name: str, kind: OrgUnitKind) -> OrgUnit:
    """Insert a unit under ``parent``; its id path needs its id, so it is set after the insert."""
    unit = OrgUnit(name=name, kind=kind, parent=parent, path=f"/new-{secrets.token_hex(8)}/")
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent is not None else '/'}{unit.id}/"
    session.flush()
    return unit


def ensure_unit_path(session: Session, path: str) -> OrgUnit:
    """Return the unit at ``path``, creating any missing units along it.

    The kind follows the depth (党委, 党总支, 党支部, 党小组); a two-level path such as
    "党委/第一支部" makes the second level a branch, as small organisations have no 总支.
    """
    parts = split_unit_path(path)
    parent: OrgUnit | None = None
    for depth, name in enumerate(parts):
        unit = _child(session, parent, name)
        if unit is None:
            kind = KINDS_BY_DEPTH[depth]
            if depth == 1 and len(parts) == 2:
                kind = OrgUnitKind.BRANCH
            unit = add_unit(session, parent, name, kind)
        parent = unit
    assert parent is not None
    return parent


def find_unit(session: Session, path: str) -> OrgUnit | None:
    """Return the unit at the name path ``path``, or None; creates nothing."""
    unit: OrgUnit | None = None
    for name in split_unit_path(path):
        unit = _child(session, unit, name)
        if unit is None:
            return None
    return unit


def ancestor_ids(id_path: str) -> list[int]:
    """The ids in an id path, root first, the unit itself last."""
    return [int(part) for part in id_path.strip("/").split("/")]


def name_path(session: Session, unit: OrgUnit) -> str:
    """The path people read, "党委/第一党总支/第一党支部", from one query for the ancestors."""
    ids = ancestor_ids(unit.path)
    names = {row.id: row.name for row in session.execute(
        select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(ids)))}
    return "/".join(names[unit_id] for unit_id in ids)


def unit_names(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """Names of many units from one query, so a page of rows names its units at once."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    return dict(session.execute(
        select(OrgUnit.id, OrgUnit.name).where(OrgUnit.id.in_(wanted))).all())


def name_path_from(id_path: str, names: dict[int, str]) -> str:
    """``name_path`` from names already read with ``unit_names`` (an unknown id shows as #id)."""
    return "/".join(names.get(unit_id, f"#{unit_id}") for unit_id in ancestor_ids(id_path))


def in_subtree(path_column: ColumnElement[str], id_path: str) -> ColumnElement[bool]:
    """Rows whose id path lies in the subtree at ``id_path`` (the unit itself included).

    One LIKE on a prefix, which the path index serves (on PostgreSQL through
    ``varchar_pattern_ops``); an id path holds only digits and slashes, so nothing to escape.
    """
    if not ID_PATH.fullmatch(id_path):
        raise ValueError(f"not an id path: {id_path!r}")
    return path_column.like(f"{id_path}%")


def name_paths(session: Session, units: Iterable[OrgUnit]) -> dict[int, str]:
    """Name paths of many units (by unit id) from one query for all their ancestors.

    For lists and exports, which would otherwise ask ``name_path`` once per row.
    """
    units = list(units)
    names = unit_names(session, (a for unit in units for a in ancestor_ids(unit.path)))
    return {unit.id: name_path_from(unit.path, names) for unit in units}
