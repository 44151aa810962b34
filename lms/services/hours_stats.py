"""学时 in the statistics: a subtree's year by kind and per person, and who is below target.

The figures come from the hours counters (``UnitHoursStats``: one row per unit, year and
kind, people directly in the unit), summed by id-path prefix: the cost grows with the
number of units in the subtree, never with its people or entries. People are counted from
the users' (unit, role, active) index. The population is the people on the roll (active);
hours stay in the totals even when their person was deactivated later in the year.

The list of people below their yearly target is the one place that reads people: everyone
active in the subtree (the users' unit index), each with their year's sum from the entries'
(year, user_id) index, kept when the sum is under their duty's target, largest shortfall
first. A page with its total, or an export, costs one statement plus one for unit names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from sqlalchemy import Select, case, false, func, or_, select
from sqlalchemy.orm import Session

from lms.models import Duty, HoursEntry, HoursKind, OrgUnit, UnitHoursStats, User
from lms.services.org import ancestor_ids, in_subtree, name_path_from, unit_names

KINDS = tuple(kind.value for kind in HoursKind)
CHUNK = 1000


@dataclass
class Figures:
    """One subtree's (or one unit's own) year: quarter hours by kind and people counted."""

    people: int = 0
    quarters: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))

    def hours(self, kind: str | None = None) -> float:
        return (sum(self.quarters.values()) if kind is None else self.quarters[kind]) / 4

    def average(self, kind: str | None = None) -> float | None:
        return round(self.hours(kind) / self.people, 2) if self.people else None

    def add(self, other: Figures) -> None:
        self.people += other.people
        for kind, quarters in other.quarters.items():
            self.quarters[kind] += quarters


@dataclass
class UnitFigures:
    unit: OrgUnit
    figures: Figures
    own: bool = False   # the people directly in the shown unit, not in a sub-unit


def _within(paths: list[str]):
    return or_(false(), *(in_subtree(OrgUnit.path, path) for path in paths))


def _per_unit(session: Session, paths: list[str], year: int) -> dict[str, Figures]:
    """Each unit's own figures in the subtrees, keyed by its id path. Two queries."""
    per_unit: dict[str, Figures] = defaultdict(Figures)
    for path, kind, quarters in session.execute(
            select(OrgUnit.path, UnitHoursStats.kind, UnitHoursStats.quarter_hours)
            .join(OrgUnit, OrgUnit.id == UnitHoursStats.org_unit_id)
            .where(UnitHoursStats.year == year, _within(paths))):
        if kind in per_unit[path].quarters:
            per_unit[path].quarters[kind] += int(quarters or 0)
    for path, people in session.execute(
            select(OrgUnit.path, func.count(User.id))
            .join(OrgUnit, OrgUnit.id == User.org_unit_id)
            .where(User.active.is_(True), _within(paths))
            .group_by(OrgUnit.path)):
        per_unit[path].people += int(people)
    return per_unit


def breakdown(session: Session, level: list[OrgUnit], parent: OrgUnit | None,
              year: int) -> tuple[Figures, list[UnitFigures]]:
    """The total and one row per unit of ``level`` (the children of ``parent``, or the
    roots), plus a row for the people directly in ``parent`` when it has any."""
    paths = [parent.path] if parent is not None else [unit.path for unit in level]
    per_unit = _per_unit(session, paths, year)
    rows = [UnitFigures(unit, Figures()) for unit in level]
    own = UnitFigures(parent, Figures(), own=True) if parent is not None else None
    total = Figures()
    for path, figures in per_unit.items():
        total.add(figures)
        if own is not None and path == own.unit.path:
            own.figures.add(figures)
            continue
        for row in rows:
            if path.startswith(row.unit.path):
                row.figures.add(figures)
                break
    rows.sort(key=lambda row: row.unit.name)
    if own is not None and (own.figures.people or own.figures.hours()):
        rows.append(own)
    return total, rows


@dataclass(frozen=True)
class BelowTarget:
    """A person on the roll whose year is under their duty's target."""

    user_id: int
    display_name: str
    username: str
    duty: Duty
    unit_id: int
    unit_path: str       # the name path people read
    total: float
    target: float

    @property
    def shortfall(self) -> float:
        return self.target - self.total


def _quarters(targets: Mapping[str, float]) -> dict[str, int]:
    return {duty.value: int(round(targets[duty.value] * 4)) for duty in Duty}


def below_target_query(paths: list[str], year: int, targets: Mapping[str, float]) -> Select:
    """Everyone active in the subtrees whose ``year`` is under target, largest shortfall
    first (then by name)."""
    year_sum = (select(func.coalesce(func.sum(HoursEntry.quarter_hours), 0))
                .where(HoursEntry.year == year, HoursEntry.user_id == User.id)
                .correlate(User).scalar_subquery())
    target = case(_quarters(targets), value=User.duty, else_=0)
    people = (select(User.id.label("user_id"), User.display_name, User.username, User.duty,
                     OrgUnit.id.label("unit_id"), OrgUnit.path, year_sum.label("quarters"),
                     target.label("target"))
              .join(OrgUnit, OrgUnit.id == User.org_unit_id)
              .where(User.active.is_(True), _within(paths))
              # OFFSET 0 keeps both databases from inlining this subquery, which would sum
              # each person's entries three times (select, filter, sort) instead of once.
              .offset(0)
              .subquery("people"))
    shortfall = (people.c.target - people.c.quarters).label("shortfall")
    return (select(people.c.user_id, people.c.display_name, people.c.username, people.c.duty,
                   people.c.unit_id, people.c.path, people.c.quarters, people.c.target)
            .where(people.c.target > people.c.quarters)
            .order_by(shortfall.desc(), people.c.display_name, people.c.user_id))


def below_target_total(session: Session, query: Select) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def _lines(session: Session, rows: Iterable, names: dict[int, str]) -> list[BelowTarget]:
    rows = list(rows)
    wanted = {unit for row in rows for unit in ancestor_ids(row[5])} - set(names)
    if wanted:
        names.update(unit_names(session, wanted))
    return [BelowTarget(user_id, name, username, Duty(duty), unit_id,
                        name_path_from(path, names), quarters / 4, target / 4)
            for user_id, name, username, duty, unit_id, path, quarters, target in rows]


def below_target_page(session: Session, query: Select, *, number: int,
                      size: int) -> tuple[list[BelowTarget], int]:
    """Page ``number`` (1-based, clamped to the last) and the list's length: one statement
    (a window count rides along with the page), two for a page past the end."""
    counted = query.add_columns(func.count().over())
    rows = session.execute(counted.limit(size).offset((max(number, 1) - 1) * size)).all()
    if rows:
        return _lines(session, [row[:-1] for row in rows], {}), rows[0][-1]
    total = below_target_total(session, query)
    last = max(1, -(-total // size))
    if total and number > last:
        return below_target_page(session, query, number=last, size=size)
    return [], total


def below_target_stream(session: Session, query: Select) -> Iterator[BelowTarget]:
    """Every line, ``CHUNK`` at a time from one streamed query (flat memory)."""
    names: dict[int, str] = {}
    result = session.execute(query.execution_options(yield_per=CHUNK))
    for rows in result.partitions(CHUNK):
        yield from _lines(session, rows, names)
