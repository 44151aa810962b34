"""The people behind the dashboard's numbers: who is overdue, who is in a unit and how far
they got, and one person's modules.

The counters answer "how many"; these lists answer "who", from the raw rows. A listing
costs the same few queries whatever its length: one for the people (a page, or a chunk of a
streamed export), then one each for their progress, their overrides and any unit names not
read yet. Totals for paging come from the counters, never from a COUNT(*) over a subtree of
100 000 people. Deactivated people stay in every list, marked, as they stay in the figures.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, and_, case, false, func, or_, select
from sqlalchemy.orm import Session

from lms.models import (
    CompletionOverride,
    Course,
    Enrollment,
    Module,
    ModuleProgress,
    OrgUnit,
    ProgressStatus,
    QuizAttempt,
    User,
)
from lms.services.org import ancestor_ids, in_subtree, name_path_from, unit_names

#: Rows read per query when a whole list is streamed (an export).
CHUNK = 1000


class PersonStatus(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    OVERDUE = "overdue"


def status_of(*, assigned: bool, due_on: date | None, completed_at: datetime | None,
              started: bool, today: date) -> PersonStatus:
    """The rule the counters follow: done wins, then past due, then any module opened."""
    if completed_at is not None:
        return PersonStatus.COMPLETED
    if assigned and due_on is not None and due_on < today:
        return PersonStatus.OVERDUE
    return PersonStatus.IN_PROGRESS if started else PersonStatus.NOT_STARTED


@dataclass(frozen=True)
class PersonLine:
    """One person holding a course, with where they stand in it."""

    user_id: int
    display_name: str
    username: str
    active: bool
    unit_id: int
    unit_path: str          # the name path people read
    status: PersonStatus
    modules_completed: int
    modules_total: int
    average_score: float | None   # mean of their best scores over the quiz modules
    completed_at: datetime | None
    due_on: date | None
    overridden: bool

    def days_overdue(self, today: date) -> int | None:
        if self.status is not PersonStatus.OVERDUE or self.due_on is None:
            return None
        return (today - self.due_on).days


_COLUMNS = (User.id, User.display_name, User.username, User.active, OrgUnit.id, OrgUnit.path,
            Enrollment.assigned, Enrollment.due_on, Enrollment.completed_at)


def _learners(course_id: int, *where) -> Select:
    return (select(*_COLUMNS).join(User, User.id == Enrollment.user_id)
            .join(OrgUnit, OrgUnit.id == User.org_unit_id)
            .where(Enrollment.course_id == course_id, *where))


def _within(paths: list[str]):
    return or_(false(), *(in_subtree(OrgUnit.path, path) for path in paths))


def overdue_query(course_id: int, paths: list[str], today: date) -> Select:
    """Past their due date and not done, in the subtrees at ``paths``: earliest due first,
    then in the order they were given the course. Both come from the index on (course_id,
    completed_at, due_on), so a page reads its rows in order and stops, instead of sorting
    every overdue person of a 党委 first."""
    return (_learners(course_id, Enrollment.assigned, Enrollment.due_on < today,
                      Enrollment.completed_at.is_(None), _within(paths))
            .order_by(Enrollment.due_on, Enrollment.id))


def unit_query(course_id: int, unit_id: int) -> Select:
    """The people directly in one unit who hold the course, by name."""
    # counted_unit_id is the person's unit (the counters keep it so), and its index with
    # the course finds the unit's few rows directly.
    return (_learners(course_id, Enrollment.counted_unit_id == unit_id,
                      User.org_unit_id == unit_id)
            .order_by(User.display_name, User.id))


def subtree_query(course_id: int, paths: list[str]) -> Select:
    """Everyone in the subtrees at ``paths`` who holds the course, unit by unit."""
    return (_learners(course_id, _within(paths))
            .order_by(OrgUnit.path, User.display_name, User.id))


class _Details:
    """Reads what the main query leaves out, for one batch of people at a time."""

    def __init__(self, session: Session, course: Course, today: date):
        self.session, self.course, self.today = session, course, today
        self.total = len(course.modules)
        self.names: dict[int, str] = {}

    def lines(self, rows: list) -> list[PersonLine]:
        ids = [row[0] for row in rows]
        progress = self._progress(ids)
        overridden = self._overridden(ids)
        self._read_names(path for *_, path, _, _, _ in rows)
        lines = []
        for user_id, name, username, active, unit_id, path, assigned, due_on, done_at in rows:
            completed, started, score = progress.get(user_id, (0, False, None))
            lines.append(PersonLine(
                user_id, name, username, active, unit_id, name_path_from(path, self.names),
                status_of(assigned=assigned, due_on=due_on, completed_at=done_at,
                          started=started or done_at is not None, today=self.today),
                completed, self.total, round(score, 1) if score is not None else None,
                done_at, due_on if assigned else None, user_id in overridden))
        return lines

    def _progress(self, ids: list[int]) -> dict[int, tuple[int, bool, float | None]]:
        """Per person: current modules completed, any module of the course opened (as the
        counters count "started"), and the mean best score over current modules."""
        if not ids:
            return {}
        current = Module.position.is_not(None)
        opened = or_(ModuleProgress.first_seen_at.is_not(None),
                     ModuleProgress.status != ProgressStatus.NOT_STARTED)
        rows = self.session.execute(
            select(ModuleProgress.user_id,
                   func.count(case((and_(current, ModuleProgress.status
                                         == ProgressStatus.COMPLETED), 1))),
                   func.max(case((opened, 1), else_=0)),
                   func.avg(case((current, ModuleProgress.best_score))))
            .join(Module, Module.id == ModuleProgress.module_id)
            .where(Module.course_id == self.course.id, ModuleProgress.user_id.in_(ids))
            .group_by(ModuleProgress.user_id))
        return {user_id: (int(done or 0), bool(opened), float(score) if score is not None
                          else None) for user_id, done, opened, score in rows}

    def _overridden(self, ids: list[int]) -> set[int]:
        if not ids:
            return set()
        return set(self.session.scalars(
            select(CompletionOverride.user_id).distinct()
            .where(CompletionOverride.course_id == self.course.id,
                   CompletionOverride.user_id.in_(ids))))

    def _read_names(self, paths: Iterable[str]) -> None:
        wanted = {unit_id for path in paths for unit_id in ancestor_ids(path)} - set(self.names)
        if wanted:
            self.names.update(unit_names(self.session, wanted))


def page(session: Session, course: Course, query: Select, today: date, *, number: int,
         size: int) -> list[PersonLine]:
    """One page (1-based) of a listing: the caller knows the total from the counters."""
    rows = session.execute(query.limit(size).offset((max(number, 1) - 1) * size)).all()
    return _Details(session, course, today).lines(rows)


def stream(session: Session, course: Course, query: Select, today: date) -> Iterator[PersonLine]:
    """Every row of a listing, read ``CHUNK`` at a time from one streamed query (a
    server-side cursor on PostgreSQL), so memory stays flat for any number of people."""
    details = _Details(session, course, today)
    result = session.execute(query.execution_options(yield_per=CHUNK))
    for rows in result.partitions(CHUNK):
        yield from details.lines(list(rows))


@dataclass(frozen=True)
class ModuleLine:
    """Where one person stands in one module of the course."""

    module: Module
    status: ProgressStatus
    best_score: float | None
    attempts: int
    completed_at: datetime | None
    override_reason: str | None


def person_modules(session: Session, course: Course,
                   person: User) -> tuple[list[ModuleLine], str | None]:
    """The person's current modules of the course, in course order, and the reason of a
    whole-course override if any: three queries."""
    modules = list(course.modules)
    ids = [module.id for module in modules]
    progress = {row.module_id: row for row in session.scalars(
        select(ModuleProgress).where(ModuleProgress.user_id == person.id,
                                     ModuleProgress.module_id.in_(ids)))} if ids else {}
    attempts = {module_id: count for module_id, count in session.execute(
        select(QuizAttempt.module_id, func.count(QuizAttempt.id))
        .where(QuizAttempt.user_id == person.id, QuizAttempt.module_id.in_(ids),
               QuizAttempt.submitted_at.is_not(None))
        .group_by(QuizAttempt.module_id))} if ids else {}
    reasons: dict[int | None, str] = {}
    for module_id, reason in session.execute(
            select(CompletionOverride.module_id, CompletionOverride.reason)
            .where(CompletionOverride.user_id == person.id,
                   CompletionOverride.course_id == course.id)
            .order_by(CompletionOverride.id)):
        reasons[module_id] = reason   # the latest one wins
    lines = []
    for module in modules:
        row = progress.get(module.id)
        lines.append(ModuleLine(
            module, row.status if row is not None else ProgressStatus.NOT_STARTED,
            row.best_score if row is not None else None, int(attempts.get(module.id, 0)),
            row.completed_at if row is not None else None, reasons.get(module.id)))
    return lines, reasons.get(None)


def person_line(session: Session, course: Course, person: User,
                today: date) -> PersonLine | None:
    """The person's line as the unit's list shows it (None: they do not hold the course)."""
    rows = session.execute(_learners(course.id, User.id == person.id)).all()
    return _Details(session, course, today).lines(rows)[0] if rows else None
