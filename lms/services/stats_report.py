"""Every table of the statistics dashboard as plain data: column keys and rows of values.

The HTML pages, the CSV/XLSX downloads and ``flask lms stats --json`` all render these
tables, so the three agree by construction. Column keys are stable English identifiers; the
web layer words them (and the few coded values: a person's status, a row's membership) in
the reader's language. Numbers stay numbers (percentages and averages rounded to one
decimal, None where there is nothing to average), dates stay dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.models import Course, OrgUnit
from lms.services import stats_queries
from lms.services.errors import NotFound
from lms.services.org import name_paths
from lms.services.permissions import Scope
from lms.services.stats_people import ModuleLine, PersonLine
from lms.services.stats_queries import Totals, UnitRow

FIGURES = ("learners", "assigned", "started", "completed", "overdue", "completion_percent",
           "average_score")
#: The least-complete ranking counts people, not scores.
LEAST_FIGURES = FIGURES[:-1]
PEOPLE_COLUMNS = ("name", "username", "unit", "status", "modules_completed", "modules_total",
                  "average_score", "completed_at", "due_on", "overridden", "deactivated")
OVERDUE_COLUMNS = ("name", "username", "unit", "due_on", "days_overdue", "status",
                   "modules_completed", "modules_total", "deactivated")
MODULE_COLUMNS = ("module", "status", "best_score", "attempts", "completed_at",
                  "override_reason")
#: Score bins of ``stats_queries.score_distribution``: 0–9, 10–19, … 90–100.
SCORE_RANGES = tuple(f"{low}–{low + 9}" for low in range(0, 90, 10)) + ("90–100",)


@dataclass
class Table:
    """``refs[i]`` says what row ``i`` is about (a unit id, a course slug…), for links."""

    name: str
    columns: tuple[str, ...]
    rows: list[list[Any]] = field(default_factory=list)
    refs: list[Any] = field(default_factory=list)

    def add(self, values: Iterable[Any], ref: Any = None) -> None:
        self.rows.append(list(values))
        self.refs.append(ref)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def figures(totals: Totals) -> list[Any]:
    values = totals.as_dict()
    return [values[key] for key in FIGURES]


def get_course(session: Session, slug: str) -> Course:
    """Any course, published or not: a withdrawn course's records are still reported."""
    course = session.scalar(select(Course).where(Course.slug == slug))
    if course is None:
        raise NotFound(f"no course {slug!r}")
    return course


def scope_roots(session: Session, scope: Scope) -> list[OrgUnit]:
    """The units a scope's dashboard starts from (its outermost units)."""
    return stats_queries.root_units(session, scope)


def course_list(session: Session, scope: Scope, today: date) -> Table:
    """Every course with its figures over the scope's units."""
    paths = [unit.path for unit in scope_roots(session, scope)]
    courses = list(session.scalars(select(Course).order_by(Course.title, Course.id)))
    totals = stats_queries.course_totals(session, paths, today)
    table = Table("courses", ("course", "slug", "published", *FIGURES))
    for course in courses:
        table.add([course.title, course.slug, course.published,
                   *figures(totals.get(course.id, Totals()))], course.slug)
    return table


def overdue_total(session: Session, course: Course, paths: list[str], today: date) -> int:
    """How many people of the subtrees are overdue, from the counters (the list's pager)."""
    return stats_queries.course_totals(session, paths, today, [course.id])[course.id].overdue


@dataclass
class Report:
    """The dashboard of one course at one level: ``unit`` None means the scope's roots."""

    course: Course
    unit: OrgUnit | None
    today: date
    start: date
    end: date
    totals: Totals
    level: list[UnitRow]
    tables: dict[str, Table]

    def as_json(self, unit_path: str | None = None) -> dict[str, Any]:
        return {"course": self.course.slug, "title": self.course.title, "unit": unit_path,
                "today": self.today.isoformat(), "from": self.start.isoformat(),
                "to": self.end.isoformat(), "totals": self.totals.as_dict(),
                **{name: [{key: _json(value) for key, value in record.items()}
                          for record in table.records()]
                   for name, table in self.tables.items() if name != "summary"}}


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def report(session: Session, scope: Scope, course: Course, unit: OrgUnit | None, *,
           today: date, start: date, end: date) -> Report:
    """Build every table of the dashboard page; the caller has checked ``unit`` is in scope."""
    if unit is None:
        level, parent = scope_roots(session, scope), None
        paths = [root.path for root in level]
    else:
        level, parent, paths = stats_queries.children(session, unit), unit, [unit.path]
    totals, rows = stats_queries.breakdown(session, course.id, level, parent, today)
    tables = {"summary": Table("summary", FIGURES), "units": Table("units", (
        "unit", "members", *FIGURES)), "funnel": Table("funnel", (
            "module", "opened", "attempted", "passed", "average_score")),
        "scores": Table("scores", ("score_range", "people")),
        "weekly": Table("weekly", ("week_start", "completed")),
        "least_complete": Table("least_complete", ("unit", *LEAST_FIGURES))}
    tables["summary"].add(figures(totals))
    for row in rows:
        tables["units"].add([row.unit.name, "direct" if row.own else "subtree",
                             *figures(row.totals)], row.unit.id)
    for line in stats_queries.module_funnel(session, course, paths):
        tables["funnel"].add([line.module.title, line.opened, line.attempted, line.passed,
                              line.average_score], line.module.id)
    for label, people in zip(SCORE_RANGES, stats_queries.score_distribution(
            session, course, paths), strict=True):
        tables["scores"].add([label, people])
    for week, completed in stats_queries.weekly_completions(session, course.id, paths,
                                                            start, end):
        tables["weekly"].add([week, completed])
    least = stats_queries.least_complete_units(session, course.id, paths, today)
    names = name_paths(session, [row.unit for row in least])
    # Ties read in name order (id paths compare digit by digit: "/10/" before "/9/").
    least.sort(key=lambda row: (row.totals.completed / row.totals.learners,
                                -row.totals.learners, names.get(row.unit.id, "")))
    for row in least:
        tables["least_complete"].add([names.get(row.unit.id, row.unit.name),
                                      *figures(row.totals)[:len(LEAST_FIGURES)]], row.unit.id)
    return Report(course, unit, today, start, end, totals, rows, tables)


def people_row(line: PersonLine) -> list[Any]:
    return [line.display_name, line.username, line.unit_path, line.status.value,
            line.modules_completed, line.modules_total, line.average_score,
            _minute(line.completed_at), line.due_on, line.overridden, not line.active]


def overdue_row(line: PersonLine, today: date) -> list[Any]:
    return [line.display_name, line.username, line.unit_path, line.due_on,
            line.days_overdue(today), line.status.value, line.modules_completed,
            line.modules_total, not line.active]


def module_row(line: ModuleLine) -> list[Any]:
    return [line.module.title, line.status.value, line.best_score, line.attempts,
            _minute(line.completed_at), line.override_reason]


def _minute(moment) -> str | None:
    """A time as people read it in a list (UTC, to the minute), the same in every format."""
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else None
