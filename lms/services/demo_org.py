"""The demo organisation: a few 党委, 党总支 under them, 党支部 of 30–100 people, some 党小组.

Planned first as plain data from the seed, then written level by level with bulk inserts:
a unit's id path needs its parent's id and its own, so each level is inserted with a
placeholder path, read back and given its real path in one bulk update.
"""

from __future__ import annotations

import math
import random
import secrets
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from lms.models import OrgUnit, OrgUnitKind
from lms.services.demo_names import COMMITTEES, chinese_number

BRANCH_SIZE = (30, 100)


@dataclass
class PlannedUnit:
    name: str
    kind: OrgUnitKind
    parent: int | None          # index in the plan; parents come before their children
    depth: int
    people: int = 0             # people directly in this unit
    engagement: float = 0.0     # how keen the unit is: moves its completion rate
    id: int | None = None
    path: str | None = None


def branch_sizes(rng: random.Random, trainees: int) -> list[int]:
    """Split the trainees into 支部 of 30–100 (fewer than 30 people make one small 支部)."""
    low, high = BRANCH_SIZE
    if trainees <= high:
        return [trainees] if trainees else []
    count = min(max(round(trainees / 65), math.ceil(trainees / high)), trainees // low)
    weights = [rng.uniform(0.6, 1.4) for _ in range(count)]
    total = sum(weights)
    sizes = [min(high, max(low, int(trainees * w / total))) for w in weights]
    step = 0
    while (gap := trainees - sum(sizes)) != 0:  # settle the rounding within the bounds
        i = step % count
        if gap > 0 and sizes[i] < high:
            sizes[i] += 1
        elif gap < 0 and sizes[i] > low:
            sizes[i] -= 1
        step += 1
    return sizes


def plan_units(rng: random.Random, trainees: int, taken_roots: set[str]) -> list[PlannedUnit]:
    sizes = branch_sizes(rng, trainees)
    count = 1 if len(sizes) < 4 else min(6, max(2, round(math.sqrt(len(sizes)) / 3)))
    names = [n for n in COMMITTEES if n not in taken_roots]
    names += [f"第{chinese_number(i)}党委" for i in range(1, count + 1)
              if f"第{chinese_number(i)}党委" not in taken_roots]
    plan: list[PlannedUnit] = []
    shares = [sizes[i::count] for i in range(count)]
    for committee, branches in zip(names, shares, strict=False):
        root = len(plan)
        plan.append(PlannedUnit(committee, OrgUnitKind.COMMITTEE, None, 0))
        direct = 1 if len(branches) > 3 else len(branches) % 2
        _add_branches(rng, plan, root, 1, branches[:direct])
        rest = branches[direct:]
        number = 0
        while rest:
            take = min(len(rest), rng.randint(3, 10))
            number += 1
            general = len(plan)
            plan.append(PlannedUnit(f"第{chinese_number(number)}党总支",
                                    OrgUnitKind.GENERAL_BRANCH, root, 1))
            _add_branches(rng, plan, general, 2, rest[:take])
            rest = rest[take:]
    return plan


def _add_branches(rng: random.Random, plan: list[PlannedUnit], parent: int, depth: int,
                  sizes: list[int]) -> None:
    for number, size in enumerate(sizes, start=1):
        branch = len(plan)
        engagement = rng.uniform(-0.25, 0.25)
        plan.append(PlannedUnit(f"第{chinese_number(number)}党支部", OrgUnitKind.BRANCH,
                                parent, depth, people=size, engagement=engagement))
        if size < 50 or rng.random() > 0.3 or depth >= 3:
            continue
        groups = rng.randint(2, 3)
        in_groups = size - rng.randint(3, 7)  # the 支委 stay in the branch itself
        plan[branch].people = size - in_groups
        for g in range(groups):
            share = in_groups // groups + (1 if g < in_groups % groups else 0)
            plan.append(PlannedUnit(f"第{chinese_number(g + 1)}党小组", OrgUnitKind.GROUP,
                                    branch, depth + 1, people=share,
                                    engagement=engagement + rng.uniform(-0.05, 0.05)))


def insert_units(session: Session, plan: list[PlannedUnit]) -> None:
    """Write the plan, setting each planned unit's ``id`` and ``path``."""
    table = OrgUnit.__table__
    token = secrets.token_hex(6)
    for depth in sorted({unit.depth for unit in plan}):
        level = [(i, unit) for i, unit in enumerate(plan) if unit.depth == depth]
        session.execute(insert(table), [
            {"name": unit.name, "kind": unit.kind, "active": True,
             "parent_id": plan[unit.parent].id if unit.parent is not None else None,
             "path": f"/pending-{token}-{i}/"} for i, unit in level])
        placeholders = {f"/pending-{token}-{i}/": unit for i, unit in level}
        rows = session.execute(select(table.c.id, table.c.path).where(
            table.c.path.like(f"/pending-{token}-%")))
        for unit_id, path in rows:
            unit = placeholders[path]
            unit.id = unit_id
            unit.path = (plan[unit.parent].path if unit.parent is not None else "/") + \
                f"{unit_id}/"
        session.execute(update(OrgUnit), [{"id": unit.id, "path": unit.path}
                                          for _, unit in level])
