"""Offline 学时 (集中培训, 集体学习) from CSV or XLSX: one session per person and row.

Columns: 用户名, 类型 (集中培训 or 集体学习), 学时 (quarter hours, 0.25 to 100), 培训或学习名称
and 日期 (YYYY-MM-DD, not in the future). The rules are ``hours_entries.record_offline``'s,
checked for every row first; a single bad row stops the file. Then a preview and a one-use
confirm (``import_batches``) that records every row through ``record_offline`` in one unit of
work, so each entry is audited like one recorded by hand. Entries are not matched against
earlier ones (two sessions may share a name and a day): replaying a confirm is what is
refused, not the same rows in a new file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from lms.models import HoursKind, ImportBatch, User
from lms.services import hours_entries, import_batches
from lms.services.assignments import today
from lms.services.errors import PermissionDenied
from lms.services.import_batches import ImportStale
from lms.services.locks import lock_people
from lms.services.override_import import _people
from lms.services.people_admin import may_manage
from lms.services.permissions import scope_of
from lms.services.tabular import Problem, Table, cell, map_columns, read_table
from lms.unit_of_work import transactional

KIND = "offline_hours"
TEMPLATE_HEADER = ("用户名", "类型", "学时", "培训或学习名称", "日期")
TITLES = dict(zip(("username", "kind", "hours", "title", "held_on"), TEMPLATE_HEADER,
                  strict=True))
ALIASES = {**{title: key for key, title in TITLES.items()}, **{key: key for key in TITLES}}
REQUIRED = tuple(TITLES)
KINDS = {"集中培训": HoursKind.CENTRAL.value, "集体学习": HoursKind.GROUP.value,
         HoursKind.CENTRAL.value: HoursKind.CENTRAL.value,
         HoursKind.GROUP.value: HoursKind.GROUP.value}


@dataclass(frozen=True)
class PlannedHours:
    row: dict[str, Any]
    person: User
    status: str = "new"


@dataclass
class Preview:
    problems: list[Problem] = field(default_factory=list)
    planned: list[PlannedHours] = field(default_factory=list)
    token: str | None = None

    @property
    def counts(self) -> dict[str, Any]:
        quarters = sum(hours_entries.quarter_hours(item.row["hours"]) or 0
                       for item in self.planned)
        return {"new": len(self.planned), "hours": quarters / 4}


def prepare(session: Session, actor: User, filename: str, data: bytes) -> Preview:
    """Read and check an upload; a clean file is staged with a confirm token."""
    rows, problems = normalise(read_table(filename, data))
    bad = {problem.row for problem in problems}
    preview = check(session, actor, [row for row in rows if row["row"] not in bad])
    preview.problems = sorted(problems + preview.problems, key=lambda problem: problem.row)
    if not preview.problems and not preview.planned:
        preview.problems.append(Problem(2, "no_rows"))
    if preview.problems:
        preview.planned = []
        return preview
    _, preview.token = import_batches.stage(session, actor, KIND, rows,
                                            {"counts": preview.counts})
    return preview


def _held_on(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def normalise(table: Table) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Each row's cells, its kind as ``central``/``group``; problems with the values."""
    columns, problems = map_columns(table.header, ALIASES, TITLES, REQUIRED)
    if problems:
        return [], problems
    rows: list[dict[str, Any]] = []
    for number, cells in table.rows:
        row = {key: cell(cells, columns, key) for key in TITLES}
        row["row"] = number
        if not row["username"]:
            problems.append(Problem(number, "username_required"))
        kind = KINDS.get(row["kind"])
        if kind is None:
            problems.append(Problem(number, "hours_kind_invalid", {"kind": row["kind"]}))
        row["kind"] = kind or row["kind"]
        if hours_entries.quarter_hours(row["hours"]) is None:
            problems.append(Problem(number, "hours_invalid", {"hours": row["hours"],
                                                              "max": hours_entries.HOURS_MAX}))
        if not row["title"]:
            problems.append(Problem(number, "hours_title_required"))
        elif len(row["title"]) > hours_entries.TITLE_MAX:
            problems.append(Problem(number, "hours_title_too_long",
                                    {"max": hours_entries.TITLE_MAX}))
        held_on = _held_on(row["held_on"])
        if held_on is None:
            problems.append(Problem(number, "held_on_invalid", {"date": row["held_on"]}))
        elif held_on > today():
            problems.append(Problem(number, "held_on_future", {"date": row["held_on"]}))
        rows.append(row)
    return rows, problems


def check(session: Session, actor: User, rows: list[dict[str, Any]]) -> Preview:
    """Find each row's person, among those ``actor`` may record hours for."""
    scope = scope_of(session, actor)
    people = _people(session, [row["username"] for row in rows])
    preview = Preview()
    for row in rows:
        person = people.get(row["username"])
        if person is None:
            preview.problems.append(Problem(row["row"], "person_unknown", row))
        elif not may_manage(session, scope, person):
            preview.problems.append(Problem(row["row"], "person_outside", row))
        else:
            preview.planned.append(PlannedHours(row, person))
    return preview


@transactional
def confirm(session: Session, actor: User, token: str) -> ImportBatch:
    """Record the staged entries behind ``token`` once, all or none."""
    batch = import_batches.claim(session, actor, KIND, token)
    preview = check(session, actor, batch.rows)
    if preview.problems:
        raise ImportStale(preview.problems)
    lock_people(session, (item.person.id for item in preview.planned))  # in id order, first
    for item in preview.planned:
        row = item.row
        try:
            hours_entries.record_offline(session, actor, item.person, row["kind"], row["hours"],
                                         row["title"], date.fromisoformat(row["held_on"]))
        except hours_entries.HoursEntryRefused:
            raise ImportStale([Problem(row["row"], "hours_refused", row)]) from None
        except PermissionDenied:
            raise ImportStale([Problem(row["row"], "person_outside", row)]) from None
    batch.summary = {"counts": preview.counts}
    session.flush()
    return batch
