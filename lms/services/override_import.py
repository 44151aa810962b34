"""Bulk completion overrides from CSV or XLSX: offline training recorded for many people.

Columns: 用户名, 课程 (the course's slug or its title), 模块 (a module's slug or title; empty
means the whole course) and 理由, the reason the trainee will read. As with people, every
row is checked first and a single bad row stops the file; then a preview, then a one-use
confirm (``import_batches``). A row whose module or course is already complete is left
alone and counted as such, so importing the same file twice records nothing twice.

Each row goes through ``overrides.override_completion``, the same service as the single
override form, in one unit of work for the whole file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from lms.models import Course, Enrollment, ImportBatch, Module, ModuleProgress, User
from lms.models.learning import ProgressStatus
from lms.services import import_batches, overrides
from lms.services.assignments import may_administer
from lms.services.errors import PermissionDenied
from lms.services.import_batches import ImportStale
from lms.services.locks import lock_modules, lock_people
from lms.services.people_import import CHUNK
from lms.services.permissions import Scope, scope_of
from lms.services.tabular import Problem, Table, cell, map_columns, read_table
from lms.unit_of_work import transactional

KIND = "overrides"
TEMPLATE_HEADER = ("用户名", "课程", "模块", "理由")
TITLES = dict(zip(("username", "course", "module", "reason"), TEMPLATE_HEADER, strict=True))
ALIASES = {**{title: key for key, title in TITLES.items()}, **{key: key for key in TITLES}}
REQUIRED = ("username", "course", "reason")


@dataclass(frozen=True)
class PlannedOverride:
    row: dict[str, Any]
    status: str  # new | unchanged (already complete)
    person: User
    course: Course
    module: Module | None


@dataclass
class Preview:
    problems: list[Problem] = field(default_factory=list)
    planned: list[PlannedOverride] = field(default_factory=list)
    token: str | None = None

    @property
    def counts(self) -> dict[str, int]:
        counts = {"new": 0, "unchanged": 0}
        for item in self.planned:
            counts[item.status] += 1
        return counts


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


def normalise(table: Table) -> tuple[list[dict[str, Any]], list[Problem]]:
    columns, problems = map_columns(table.header, ALIASES, TITLES, REQUIRED)
    if problems:
        return [], problems
    rows: list[dict[str, Any]] = []
    first_row: dict[tuple[str, str, str], int] = {}
    for number, cells in table.rows:
        row = {key: cell(cells, columns, key) for key in TITLES}
        row["row"] = number
        for key, code in (("username", "username_required"), ("course", "course_required"),
                          ("reason", "reason_required")):
            if not row[key]:
                problems.append(Problem(number, code))
        if len(row["reason"]) > overrides.REASON_MAX:
            problems.append(Problem(number, "reason_too_long", {"max": overrides.REASON_MAX}))
        key = (row["username"], row["course"], row["module"])
        if key in first_row:
            problems.append(Problem(number, "override_duplicate", {"other": first_row[key]}))
        else:
            first_row[key] = number
        rows.append(row)
    return rows, problems


def check(session: Session, actor: User, rows: list[dict[str, Any]]) -> Preview:
    """Find each row's person, course and module, within what ``actor`` administers."""
    scope = scope_of(session, actor)
    people = _people(session, [row["username"] for row in rows])
    courses = _Courses(session)
    preview = Preview()
    for row in rows:
        found = _person_problem(scope, people.get(row["username"]), row)
        course, module = courses.find(row, found)
        if found:
            preview.problems += found
            continue
        person = people[row["username"]]
        done = _already_complete(session, person, course, module)
        preview.planned.append(PlannedOverride(row, "unchanged" if done else "new", person,
                                               course, module))
    return preview


def _person_problem(scope: Scope, person: User | None, row: dict[str, Any]) -> list[Problem]:
    if person is None:
        return [Problem(row["row"], "person_unknown", {"username": row["username"]})]
    if not may_administer(scope, person):
        return [Problem(row["row"], "person_outside", {"username": row["username"]})]
    return []


def _people(session: Session, usernames: list[str]) -> dict[str, User]:
    wanted = sorted(set(usernames))
    found: dict[str, User] = {}
    for start in range(0, len(wanted), CHUNK):
        found.update((person.username, person) for person in session.scalars(
            select(User).where(User.username.in_(wanted[start:start + CHUNK]))
            .options(selectinload(User.org_unit))))
    return found


class _Courses:
    """Published courses by slug or title, each looked up once per file."""

    def __init__(self, session: Session):
        self.session = session
        self.cache: dict[str, list[Course]] = {}

    def find(self, row: dict[str, Any], found: list[Problem]) -> tuple[Course | None,
                                                                        Module | None]:
        text, number = row["course"], row["row"]
        if text not in self.cache:
            by_slug = list(self.session.scalars(
                select(Course).where(Course.published, Course.slug == text)))
            self.cache[text] = by_slug or list(self.session.scalars(
                select(Course).where(Course.published, Course.title == text)
                .order_by(Course.id)))
        matches = self.cache[text]
        if len(matches) != 1:
            found.append(Problem(number, "course_ambiguous" if matches else "course_unknown",
                                 {"course": text}))
            return None, None
        course = matches[0]
        if not row["module"]:
            return course, None
        modules = [m for m in course.modules if m.slug == row["module"]] or \
            [m for m in course.modules if m.title == row["module"]]
        if len(modules) != 1:
            found.append(Problem(number, "module_ambiguous" if modules else "module_unknown",
                                 {"module": row["module"], "course": course.title}))
            return course, None
        return course, modules[0]


def _already_complete(session: Session, person: User, course: Course,
                      module: Module | None) -> bool:
    if module is None:
        return session.scalar(select(Enrollment.completed_at).where(
            Enrollment.user_id == person.id, Enrollment.course_id == course.id)) is not None
    return session.scalar(select(ModuleProgress.status).where(
        ModuleProgress.user_id == person.id,
        ModuleProgress.module_id == module.id)) is ProgressStatus.COMPLETED


@transactional
def confirm(session: Session, actor: User, token: str) -> ImportBatch:
    """Record the staged overrides behind ``token`` once, all or none.

    Module rows go first: a whole-course row then completes what they left, instead of a
    module row finding its module completed by the course row before it.
    """
    batch = import_batches.claim(session, actor, KIND, token)
    preview = check(session, actor, batch.rows)
    if preview.problems:
        raise ImportStale(preview.problems)
    # The modules, then everyone in id order, before any of their rows (lms.services.locks).
    lock_modules(session, (module.id for item in preview.planned for module in (
        [item.module] if item.module is not None else item.course.modules)))
    lock_people(session, (item.person.id for item in preview.planned))
    for item in sorted(preview.planned, key=lambda item: item.module is None):
        if item.status != "new":
            continue
        try:
            overrides.override_completion(session, actor, item.person, item.course,
                                          module=item.module, reason=item.row["reason"],
                                          source="import")
        except overrides.OverrideRefused as error:
            raise ImportStale([Problem(item.row["row"], error.reason, item.row)]) from None
        except PermissionDenied:
            raise ImportStale([Problem(item.row["row"], "person_outside", item.row)]) from None
    batch.summary = {"counts": preview.counts}
    session.flush()
    return batch
