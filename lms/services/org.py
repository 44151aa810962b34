"""The party organisation tree: 党委 → 党总支 → 党支部 (→ 党小组)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.models import OrgUnit, OrgUnitKind
from lms.services.errors import InvalidInput

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


def ensure_unit_path(session: Session, path: str) -> OrgUnit:
    """Return the unit at ``path``, creating any missing units along it.

    The kind follows the depth (党委, 党总支, 党支部, 党小组); a two-level path such as
    "党委/第一支部" makes the second level a branch, as small organisations have no 总支.
    """
    parts = split_unit_path(path)
    parent: OrgUnit | None = None
    for depth, name in enumerate(parts):
        full_path = "/".join(parts[: depth + 1])
        unit = session.scalar(select(OrgUnit).where(OrgUnit.path == full_path))
        if unit is None:
            is_last = depth == len(parts) - 1
            kind = KINDS_BY_DEPTH[depth]
            if is_last and depth == 1 and len(parts) == 2:
                kind = OrgUnitKind.BRANCH
            unit = OrgUnit(name=name, path=full_path, kind=kind, parent=parent)
            session.add(unit)
            session.flush()
        parent = unit
    assert parent is not None
    return parent
