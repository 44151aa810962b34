"""Keep the completion counters exact, in the transaction that changes a person's record.

Counter rows are rolled up: a unit's row counts everyone in its subtree, so a dashboard
level is a handful of primary-key reads. A change to one person moves the rows of their
unit and of each of its ancestors (``roll_up``).

Every ``Enrollment`` and ``ModuleProgress`` row remembers, in its ``counted_*`` columns, what
it currently adds to the counter tables (``lms.models.stats``). ``refresh_people`` locks a
person's rows, works out what they should add now from the raw columns (their unit, the
enrollment's assignment, completion and progress, their submitted attempts), and applies the
difference as upserts. Re-running it changes nothing, so any event that may have moved a
number can simply ask for a refresh. Set-based recounts live in ``stats_rebuild``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lms.models import (
    NO_DUE_DATE,
    CourseUnitStats,
    Enrollment,
    Module,
    ModuleProgress,
    ModuleUnitStats,
    OrgUnit,
    ProgressStatus,
    QuizAttempt,
    ScoreBinStats,
    User,
    WeeklyCompletionStats,
)
from lms.services.org import ancestor_ids

#: Counter table → (key columns, value columns).
COUNTERS: dict[Table, tuple[tuple[str, ...], tuple[str, ...]]] = {
    CourseUnitStats.__table__: (("course_id", "org_unit_id", "due_on"),
                                ("learners", "assigned", "started", "completed")),
    WeeklyCompletionStats.__table__: (("course_id", "org_unit_id", "week_start"),
                                      ("completed",)),
    ModuleUnitStats.__table__: (("module_id", "org_unit_id"),
                                ("opened", "attempted", "passed", "scored", "score_sum")),
    ScoreBinStats.__table__: (("module_id", "org_unit_id", "bin"), ("people",)),
}
Deltas = dict[tuple[Table, tuple[Any, ...]], list[float]]


def week_start(moment: datetime) -> date:
    """The Monday (UTC) of the week ``moment`` falls in."""
    day = moment.date()
    return day - timedelta(days=day.weekday())


def score_bin(score: float) -> int:
    """Tenths of 0–100; a full 100 shares the top bin with the 90s."""
    return min(max(int(score // 10), 0), 9)


def _enrollment_counts(row: Enrollment) -> Iterable[tuple[Table, tuple[Any, ...], list[float]]]:
    if row.counted_unit_id is None:
        return
    completed = row.counted_completed_week is not None
    yield (CourseUnitStats.__table__,
           (row.course_id, row.counted_unit_id, row.counted_due_on or NO_DUE_DATE),
           [1, int(row.counted_assigned), int(row.counted_started), int(completed)])
    if completed:
        yield (WeeklyCompletionStats.__table__,
               (row.course_id, row.counted_unit_id, row.counted_completed_week), [1])


def _progress_counts(row: ModuleProgress) -> Iterable[tuple[Table, tuple[Any, ...], list[float]]]:
    if row.counted_unit_id is None:
        return
    score = row.counted_score
    yield (ModuleUnitStats.__table__, (row.module_id, row.counted_unit_id),
           [int(row.counted_opened), int(row.counted_attempted), int(row.counted_passed),
            int(score is not None), score or 0.0])
    if score is not None:
        yield (ScoreBinStats.__table__, (row.module_id, row.counted_unit_id, score_bin(score)),
               [1])


def _add(deltas: Deltas, counts, sign: int) -> None:
    for table, key, values in counts:
        total = deltas.setdefault((table, key), [0] * len(values))
        for index, value in enumerate(values):
            total[index] += sign * value


def _recount_enrollment(row: Enrollment, unit_id: int | None, started: bool,
                        deltas: Deltas) -> None:
    _add(deltas, list(_enrollment_counts(row)), -1)
    row.counted_unit_id = unit_id
    row.counted_assigned = row.assigned
    row.counted_due_on = row.due_on if row.assigned else None
    row.counted_started = started or row.completed_at is not None
    row.counted_completed_week = (week_start(row.completed_at)
                                  if row.completed_at is not None else None)
    _add(deltas, list(_enrollment_counts(row)), +1)


def _recount_progress(row: ModuleProgress, unit_id: int | None, attempted: bool,
                      deltas: Deltas) -> None:
    _add(deltas, list(_progress_counts(row)), -1)
    row.counted_unit_id = unit_id
    row.counted_opened = is_opened(row)
    row.counted_attempted = attempted
    row.counted_passed = row.status is ProgressStatus.COMPLETED
    row.counted_score = row.best_score
    _add(deltas, list(_progress_counts(row)), +1)


def is_opened(row: ModuleProgress) -> bool:
    return row.first_seen_at is not None or row.status is not ProgressStatus.NOT_STARTED


def refresh_people(session: Session, user_ids: Iterable[int],
                   course_ids: Iterable[int] | None = None, *,
                   deltas: Deltas | None = None) -> None:
    """Bring the counters in line with these people's records (in ``course_ids``, or all).

    Locks the rows first (``FOR UPDATE``; SQLite's write transaction already serialises), so
    two transactions touching one person cannot both apply the same difference. Given
    ``deltas``, the differences are added there for the caller to apply later (once per unit
    of work); otherwise they are applied now.
    """
    users = sorted(set(user_ids))
    if not users:
        return
    courses = None if course_ids is None else sorted(set(course_ids))
    # The person rows are locked first: a move (which updates the row) and a count of the
    # same person queue here, so a count never files someone under the unit they just left.
    # FOR NO KEY UPDATE (what the move's UPDATE takes): a transaction inserting a row that
    # references the person (KEY SHARE) is not waited for, or the two would deadlock.
    unit_of = {user_id: unit_id for user_id, unit_id in session.execute(
        select(User.id, User.org_unit_id).where(User.id.in_(users)).order_by(User.id)
        .with_for_update(key_share=True))}
    enrollments = select(Enrollment).where(Enrollment.user_id.in_(users))
    progress = (select(ModuleProgress).join(Module, Module.id == ModuleProgress.module_id)
                .where(ModuleProgress.user_id.in_(users)))
    attempted = (select(QuizAttempt.user_id, QuizAttempt.module_id).distinct()
                 .join(Module, Module.id == QuizAttempt.module_id)
                 .where(QuizAttempt.user_id.in_(users), QuizAttempt.submitted_at.is_not(None)))
    if courses is not None:
        enrollments = enrollments.where(Enrollment.course_id.in_(courses))
        progress = progress.where(Module.course_id.in_(courses))
        attempted = attempted.where(Module.course_id.in_(courses))
    locked = {"populate_existing": True}
    enrollment_rows = list(session.scalars(
        enrollments.order_by(Enrollment.id).with_for_update().execution_options(**locked)))
    progress_rows = list(session.execute(
        progress.add_columns(Module.course_id).order_by(ModuleProgress.id)
        .with_for_update(of=ModuleProgress).execution_options(**locked)))
    tried = {(user_id, module_id) for user_id, module_id in session.execute(attempted)}

    pending: Deltas = {} if deltas is None else deltas
    started: dict[tuple[int, int], bool] = defaultdict(bool)
    for row, course_id in progress_rows:
        _recount_progress(row, unit_of.get(row.user_id), (row.user_id, row.module_id) in tried,
                          pending)
        started[row.user_id, course_id] |= is_opened(row)
    for row in enrollment_rows:
        _recount_enrollment(row, unit_of.get(row.user_id), started[row.user_id, row.course_id],
                            pending)
    if deltas is None:
        apply_deltas(session, pending)


def roll_up(session: Session, deltas: Deltas) -> Deltas:
    """The same differences for every ancestor of each key's unit (the unit included): a
    counter row counts its unit's whole subtree. Opposite changes under a common ancestor
    (a person moving between two 支部 of one 总支) cancel out there."""
    unit_ids = {key[1] for _table, key in deltas}
    paths = {unit_id: path for unit_id, path in session.execute(
        select(OrgUnit.id, OrgUnit.path).where(OrgUnit.id.in_(sorted(unit_ids))))}
    rolled: Deltas = {}
    for (table, key), values in deltas.items():
        for ancestor in ancestor_ids(paths[key[1]]):
            total = rolled.setdefault((table, (key[0], ancestor, *key[2:])), [0] * len(values))
            for index, value in enumerate(values):
                total[index] += value
    return rolled


def apply_deltas(session: Session, deltas: Deltas, *, rolled: bool = False) -> None:
    """Upsert each changed counter row, in key order (concurrent units never deadlock).

    ``deltas`` are keyed by the people's own units and rolled up here, unless ``rolled``."""
    session.flush()
    changes = deltas if rolled else roll_up(session, deltas)
    by_table: dict[Table, list[dict[str, Any]]] = defaultdict(list)
    for (table, key), values in sorted(changes.items(), key=lambda item: (
            item[0][0].name, tuple(str(part) for part in item[0][1]))):
        if not any(values):
            continue
        key_names, value_names = COUNTERS[table]
        by_table[table].append({**dict(zip(key_names, key, strict=True)),
                                **dict(zip(value_names, values, strict=True))})
    deltas.clear()
    if not by_table:
        return
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    for table, rows in by_table.items():
        key_names, value_names = COUNTERS[table]
        statement = insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=list(key_names),
            set_={name: table.c[name] + statement.excluded[name] for name in value_names})
        session.execute(statement, rows)


def shift_subtree(session: Session, unit_id: int, old_path: str, new_path: str) -> None:
    """A moved unit's rows (its whole subtree's totals) leave the ancestors it left and are
    added to the ones it joined; common ancestors and the subtree itself do not change."""
    old = set(ancestor_ids(old_path)[:-1])
    new = set(ancestor_ids(new_path)[:-1])
    deltas: Deltas = {}
    for table, (keys, values) in COUNTERS.items():
        rows = session.execute(select(*(table.c[k] for k in keys), *(table.c[v] for v in values))
                               .where(table.c.org_unit_id == unit_id))
        for row in rows:
            key, counts = tuple(row[:len(keys)]), list(row[len(keys):])
            for ancestor, sign in [(a, -1) for a in old - new] + [(a, +1) for a in new - old]:
                moved = (table, (key[0], ancestor, *key[2:]))
                total = deltas.setdefault(moved, [0] * len(counts))
                for index, value in enumerate(counts):
                    total[index] += sign * value
    apply_deltas(session, deltas, rolled=True)
