"""The admin dashboard's numbers, read from the rolled-up counters (``lms.models.stats``).

A unit's counter row counts its whole subtree, so every level of the drill-down reads the
rows of a handful of units by primary key: the shown unit and its children, or the admin's
top units. People directly in a unit (not in a sub-unit) are the unit's row minus its
children's. Nothing here grows with the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from lms.models import (
    Course,
    CourseUnitStats,
    Module,
    ModuleUnitStats,
    OrgUnit,
    ScoreBinStats,
    WeeklyCompletionStats,
)
from lms.services.org import ancestor_ids, in_subtree
from lms.services.permissions import Scope


@dataclass
class Totals:
    """One row of figures; ``overdue`` = past their due date and not completed."""

    learners: int = 0
    assigned: int = 0
    started: int = 0
    completed: int = 0
    overdue: int = 0
    scored: int = 0
    score_sum: float = 0.0

    @property
    def completion_percent(self) -> float | None:
        return round(100 * self.completed / self.learners, 1) if self.learners else None

    @property
    def average_score(self) -> float | None:
        return round(self.score_sum / self.scored, 1) if self.scored else None

    def add_course_row(self, due_on: date, learners: int, assigned: int, started: int,
                       completed: int, today: date) -> None:
        self.learners += learners
        self.assigned += assigned
        self.started += started
        self.completed += completed
        if due_on < today:
            self.overdue += learners - completed

    def plus(self, other: Totals, sign: int = 1) -> Totals:
        # Spelled out, not looped over fields(): the least-complete list calls it per unit.
        return Totals(self.learners + sign * other.learners,
                      self.assigned + sign * other.assigned,
                      self.started + sign * other.started,
                      self.completed + sign * other.completed,
                      self.overdue + sign * other.overdue,
                      self.scored + sign * other.scored,
                      self.score_sum + sign * other.score_sum)

    def minus(self, other: Totals) -> Totals:
        return self.plus(other, -1)

    def as_dict(self) -> dict[str, float | int | None]:
        return {"learners": self.learners, "assigned": self.assigned, "started": self.started,
                "completed": self.completed, "overdue": self.overdue,
                "completion_percent": self.completion_percent,
                "average_score": self.average_score}


@dataclass
class UnitRow:
    """A unit of a drill-down level with its subtree's figures; ``own`` marks the row of
    people directly in the shown unit (not in any sub-unit)."""

    unit: OrgUnit
    totals: Totals = field(default_factory=Totals)
    own: bool = False


def root_units(session: Session, scope: Scope) -> list[OrgUnit]:
    """The highest units the scope administers: the dashboard's starting level."""
    if scope.everything:
        query = select(OrgUnit).where(OrgUnit.parent_id.is_(None))
    elif scope.unit_paths:
        paths = sorted(scope.unit_paths)
        tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
        query = select(OrgUnit).where(OrgUnit.path.in_(tops))
    else:
        return []
    return list(session.scalars(query.order_by(OrgUnit.name)))


def _ids(paths: list[str]) -> list[int]:
    """The units at these id paths (each path ends with its unit's id)."""
    return [ancestor_ids(path)[-1] for path in paths]


def _course_rows(session: Session, course_id: int, unit_ids: list[int],
                 today: date) -> dict[int, Totals]:
    """Each unit's (rolled-up) figures in one course, average best score included."""
    totals: dict[int, Totals] = defaultdict(Totals)
    for unit_id, due_on, learners, assigned, started, completed in session.execute(
            select(CourseUnitStats.org_unit_id, CourseUnitStats.due_on,
                   CourseUnitStats.learners, CourseUnitStats.assigned,
                   CourseUnitStats.started, CourseUnitStats.completed)
            .where(CourseUnitStats.course_id == course_id,
                   CourseUnitStats.org_unit_id.in_(unit_ids))):
        totals[unit_id].add_course_row(due_on, learners, assigned, started, completed, today)
    for unit_id, scored, score_sum in session.execute(
            select(ModuleUnitStats.org_unit_id, func.sum(ModuleUnitStats.scored),
                   func.sum(ModuleUnitStats.score_sum))
            .join(Module, Module.id == ModuleUnitStats.module_id)
            .where(Module.course_id == course_id, Module.is_current,
                   ModuleUnitStats.org_unit_id.in_(unit_ids))
            .group_by(ModuleUnitStats.org_unit_id)):
        totals[unit_id].scored += int(scored or 0)
        totals[unit_id].score_sum += float(score_sum or 0)
    return totals


def breakdown(session: Session, course_id: int, level: list[OrgUnit],
              parent: OrgUnit | None, today: date) -> tuple[Totals, list[UnitRow]]:
    """Figures for each unit of ``level`` (the children of ``parent``, or the roots), plus a
    row for the people directly in ``parent``; and the total. Two small queries."""
    ids = [unit.id for unit in level] + ([parent.id] if parent is not None else [])
    figures = _course_rows(session, course_id, ids, today)
    rows = [UnitRow(unit, figures.get(unit.id, Totals())) for unit in level]
    if parent is None:
        total = Totals()
        for row in rows:
            total = total.plus(row.totals)
    else:
        total = figures.get(parent.id, Totals())
        own = total
        for row in rows:
            own = own.minus(row.totals)
        rows.append(UnitRow(parent, own, own=True))
    shown = [row for row in rows if not row.own or row.totals.learners]
    shown.sort(key=lambda row: (row.own, row.unit.name))
    return total, shown


def children(session: Session, unit: OrgUnit) -> list[OrgUnit]:
    return list(session.scalars(select(OrgUnit).where(OrgUnit.parent_id == unit.id)
                                .order_by(OrgUnit.name)))


def course_totals(session: Session, paths: list[str], today: date,
                  course_ids: list[int] | None = None) -> dict[int, Totals]:
    """Each course's figures over the subtrees ``paths``: the dashboard's course list."""
    totals: dict[int, Totals] = defaultdict(Totals)
    units = _ids(paths)
    query = (select(CourseUnitStats.course_id, CourseUnitStats.due_on,
                    func.sum(CourseUnitStats.learners), func.sum(CourseUnitStats.assigned),
                    func.sum(CourseUnitStats.started), func.sum(CourseUnitStats.completed))
             .where(CourseUnitStats.org_unit_id.in_(units))
             .group_by(CourseUnitStats.course_id, CourseUnitStats.due_on))
    if course_ids is not None:
        query = query.where(CourseUnitStats.course_id.in_(course_ids))
    for course_id, due_on, *counts in session.execute(query):
        totals[course_id].add_course_row(due_on, *(int(c or 0) for c in counts), today)
    score_query = (select(Module.course_id, func.sum(ModuleUnitStats.scored),
                          func.sum(ModuleUnitStats.score_sum))
                   .join(Module, Module.id == ModuleUnitStats.module_id)
                   .where(Module.is_current, ModuleUnitStats.org_unit_id.in_(units))
                   .group_by(Module.course_id))
    if course_ids is not None:
        score_query = score_query.where(Module.course_id.in_(course_ids))
    for course_id, scored, score_sum in session.execute(score_query):
        totals[course_id].scored += int(scored or 0)
        totals[course_id].score_sum += float(score_sum or 0)
    return totals


@dataclass
class FunnelRow:
    module: Module
    opened: int = 0
    attempted: int = 0
    passed: int = 0
    scored: int = 0
    score_sum: float = 0.0

    @property
    def average_score(self) -> float | None:
        return round(self.score_sum / self.scored, 1) if self.scored else None


def module_funnel(session: Session, course: Course, paths: list[str]) -> list[FunnelRow]:
    """Per current module: opened, quiz attempted, passed, average best score. One query."""
    rows = {module.id: FunnelRow(module) for module in course.modules}
    for module_id, *sums in session.execute(
            select(ModuleUnitStats.module_id, func.sum(ModuleUnitStats.opened),
                   func.sum(ModuleUnitStats.attempted), func.sum(ModuleUnitStats.passed),
                   func.sum(ModuleUnitStats.scored), func.sum(ModuleUnitStats.score_sum))
            .where(ModuleUnitStats.module_id.in_(list(rows)),
                   ModuleUnitStats.org_unit_id.in_(_ids(paths)))
            .group_by(ModuleUnitStats.module_id)):
        row = rows[module_id]
        row.opened, row.attempted, row.passed, row.scored = (int(s or 0) for s in sums[:4])
        row.score_sum = float(sums[4] or 0)
    return list(rows.values())


def score_distribution(session: Session, course: Course, paths: list[str]) -> list[int]:
    """How many best scores (person × current quiz module) fall in each tenth, 0–9."""
    bins = [0] * 10
    module_ids = [module.id for module in course.modules]
    for score_bin, people in session.execute(
            select(ScoreBinStats.bin, func.sum(ScoreBinStats.people))
            .where(ScoreBinStats.module_id.in_(module_ids),
                   ScoreBinStats.org_unit_id.in_(_ids(paths)))
            .group_by(ScoreBinStats.bin)):
        bins[score_bin] = int(people or 0)
    return bins


def weekly_completions(session: Session, course_id: int, paths: list[str], start: date,
                       end: date) -> list[tuple[date, int]]:
    """Completions per week (Mondays from ``start``'s week to ``end``'s), zeros included."""
    first = start - timedelta(days=start.weekday())
    counts = dict(session.execute(
        select(WeeklyCompletionStats.week_start, func.sum(WeeklyCompletionStats.completed))
        .where(WeeklyCompletionStats.course_id == course_id,
               WeeklyCompletionStats.week_start.between(first, end),
               WeeklyCompletionStats.org_unit_id.in_(_ids(paths)))
        .group_by(WeeklyCompletionStats.week_start)).all())
    weeks, week = [], first
    while week <= end:
        weeks.append((week, int(counts.get(week, 0) or 0)))
        week += timedelta(days=7)
    return weeks


def least_complete_units(session: Session, course_id: int, paths: list[str], today: date,
                         limit: int = 50) -> list[UnitRow]:
    """Units with people of their own, lowest completion first (ties: more people first).

    A unit's own people are its row minus its children's rows, so this reads the rows of
    every unit in the subtrees (one per unit and due date: thousands, not people)."""
    parent_of: dict[int, int | None] = {}
    rolled: dict[int, Totals] = defaultdict(Totals)
    clauses = [in_subtree(OrgUnit.path, path) for path in paths]
    if not clauses:
        return []
    rows = (select(OrgUnit.id, OrgUnit.parent_id, CourseUnitStats.due_on,
                   CourseUnitStats.learners, CourseUnitStats.assigned,
                   CourseUnitStats.started, CourseUnitStats.completed)
            .join(OrgUnit, OrgUnit.id == CourseUnitStats.org_unit_id)
            .where(CourseUnitStats.course_id == course_id, or_(*clauses)))
    # Core execution: thousands of plain rows, no ORM entities among them.
    for unit_id, parent_id, due_on, learners, assigned, started, completed in \
            session.connection().execute(rows):
        parent_of[unit_id] = parent_id
        rolled[unit_id].add_course_row(due_on, learners, assigned, started, completed, today)
    own = dict(rolled)
    for unit_id, parent_id in parent_of.items():
        if parent_id in own:
            own[parent_id] = own[parent_id].minus(rolled[unit_id])
    ranked = sorted(((totals.completed / totals.learners, -totals.learners, unit_id)
                     for unit_id, totals in own.items() if totals.learners > 0))
    # Ties beyond the cut are decided by name, as people read them: take the tied rows too.
    cut = {key[:2] for key in ranked[:limit]}
    chosen = [unit_id for *key, unit_id in ranked if tuple(key) in cut]
    units = {unit.id: unit for unit in session.scalars(
        select(OrgUnit).where(OrgUnit.id.in_(chosen)))}
    rows = [UnitRow(units[unit_id], own[unit_id], own=True) for unit_id in chosen]
    rows.sort(key=lambda row: (row.totals.completed / row.totals.learners,
                               -row.totals.learners, row.unit.name, row.unit.id))
    return rows[:limit]
