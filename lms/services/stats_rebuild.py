"""Recount the completion counters from the raw rows, set-based.

``rebuild`` is ``flask lms stats rebuild`` (and the check that the incremental counters are
right: both must agree). ``recount_courses`` serves changes that touch many people at once,
such as assigning a course to a whole 党委: it refreshes the ``counted_*`` snapshot columns
of the enrollments in a slice with one UPDATE and regroups that slice's counter rows, instead
of one refresh per person.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import (
    Date,
    Integer,
    case,
    cast,
    delete,
    exists,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from lms.models import (
    NO_DUE_DATE,
    Course,
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
from lms.services import hours_counters
from lms.services.org import in_subtree
from lms.services.stats_counters import COUNTERS, apply_deltas, roll_up
from lms.unit_of_work import transactional

Progress = Callable[[int, int], None]


class week_start(FunctionElement):  # noqa: N801  (reads as the SQL function it compiles to)
    """The Monday (UTC) of a timestamp's week, as a date, on either database."""

    type = Date()
    inherit_cache = True


@compiles(week_start, "sqlite")
def _week_start_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, '-6 days', 'weekday 1')"


@compiles(week_start, "postgresql")
def _week_start_postgresql(element, compiler, **kw):
    moment = compiler.process(element.clauses, **kw)
    return f"CAST(date_trunc('week', ({moment}) AT TIME ZONE 'UTC') AS DATE)"


def _opened(progress=ModuleProgress):
    return or_(progress.first_seen_at.is_not(None),
               progress.status != ProgressStatus.NOT_STARTED)


def _score_bin(score):
    return case(*((score >= tenth * 10, tenth) for tenth in range(9, 0, -1)), else_=0)


def _unit_slice(user_id_column, unit_path: str | None):
    if unit_path is None:
        return None
    return user_id_column.in_(
        select(User.id).join(OrgUnit, User.org_unit_id == OrgUnit.id)
        .where(in_subtree(OrgUnit.path, unit_path)))


def _counter_unit_slice(unit_column, unit_path: str | None):
    if unit_path is None:
        return None
    return unit_column.in_(select(OrgUnit.id).where(in_subtree(OrgUnit.path, unit_path)))


def _where(*clauses):
    return [clause for clause in clauses if clause is not None]


def _recount_course_rows(session: Session, course_id: int | None, unit_path: str | None) -> None:
    started = exists().where(
        ModuleProgress.user_id == Enrollment.user_id, Module.id == ModuleProgress.module_id,
        Module.course_id == Enrollment.course_id, _opened())
    session.execute(
        update(Enrollment)
        .where(*_where(Enrollment.course_id == course_id if course_id else None,
                       _unit_slice(Enrollment.user_id, unit_path)))
        .values(counted_unit_id=select(User.org_unit_id).where(User.id == Enrollment.user_id)
                .scalar_subquery(),
                counted_assigned=Enrollment.assigned,
                counted_due_on=case((Enrollment.assigned, Enrollment.due_on)),
                counted_started=or_(Enrollment.completed_at.is_not(None), started),
                counted_completed_week=week_start(Enrollment.completed_at))
        .execution_options(synchronize_session=False))
    counted = _where(Enrollment.counted_unit_id.is_not(None),
                     Enrollment.course_id == course_id if course_id else None)
    due = func.coalesce(Enrollment.counted_due_on, NO_DUE_DATE)
    done = Enrollment.counted_completed_week.is_not(None)
    _replace(session, CourseUnitStats, CourseUnitStats.course_id, course_id, select(
        Enrollment.course_id, Enrollment.counted_unit_id, due, func.count(),
        func.sum(cast(Enrollment.counted_assigned, Integer)),
        func.sum(cast(Enrollment.counted_started, Integer)), func.sum(case((done, 1), else_=0)))
        .where(*counted).group_by(Enrollment.course_id, Enrollment.counted_unit_id, due))
    _replace(session, WeeklyCompletionStats, WeeklyCompletionStats.course_id, course_id, select(
        Enrollment.course_id, Enrollment.counted_unit_id, Enrollment.counted_completed_week,
        func.count())
        .where(*counted, done)
        .group_by(Enrollment.course_id, Enrollment.counted_unit_id,
                  Enrollment.counted_completed_week))


def _replace(session: Session, table, parent_column, parent_id: int | None, direct) -> None:
    """Replace a counter table's rows (of one course or module set) with ``direct`` — sums
    per person's own unit, grouped in SQL — rolled up to every ancestor in Python."""
    keys, _values = COUNTERS[table.__table__]
    deltas = {(table.__table__, tuple(row[:len(keys)])): list(row[len(keys):])
              for row in session.execute(direct)}
    if parent_id is None:
        session.execute(delete(table))
    elif parent_column is not None:
        session.execute(delete(table).where(parent_column == parent_id))
    apply_deltas(session, roll_up(session, deltas), rolled=True)


def _recount_module_rows(session: Session, course_id: int | None, unit_path: str | None) -> None:
    in_course = (ModuleProgress.module_id.in_(select(Module.id).where(Module.course_id ==
                                                                      course_id))
                 if course_id else None)
    attempted = exists().where(QuizAttempt.user_id == ModuleProgress.user_id,
                               QuizAttempt.module_id == ModuleProgress.module_id,
                               QuizAttempt.submitted_at.is_not(None))
    session.execute(
        update(ModuleProgress)
        .where(*_where(in_course, _unit_slice(ModuleProgress.user_id, unit_path)))
        .values(counted_unit_id=select(User.org_unit_id)
                .where(User.id == ModuleProgress.user_id).scalar_subquery(),
                counted_opened=_opened(),
                counted_attempted=attempted,
                counted_passed=ModuleProgress.status == ProgressStatus.COMPLETED,
                counted_score=ModuleProgress.best_score)
        .execution_options(synchronize_session=False))
    in_course_modules = (select(Module.id).where(Module.course_id == course_id)
                         if course_id else None)
    if in_course_modules is not None:
        session.execute(delete(ModuleUnitStats)
                        .where(ModuleUnitStats.module_id.in_(in_course_modules)))
        session.execute(delete(ScoreBinStats).where(ScoreBinStats.module_id.in_(in_course_modules)))
    counted = _where(ModuleProgress.counted_unit_id.is_not(None), in_course)
    scored = ModuleProgress.counted_score.is_not(None)

    def flag(column):
        return func.sum(cast(column, Integer))

    _replace(session, ModuleUnitStats, None, course_id, select(
        ModuleProgress.module_id, ModuleProgress.counted_unit_id,
        flag(ModuleProgress.counted_opened), flag(ModuleProgress.counted_attempted),
        flag(ModuleProgress.counted_passed), func.sum(case((scored, 1), else_=0)),
        func.coalesce(func.sum(ModuleProgress.counted_score), 0.0))
        .where(*counted).group_by(ModuleProgress.module_id, ModuleProgress.counted_unit_id))
    score_bin = _score_bin(ModuleProgress.counted_score)
    _replace(session, ScoreBinStats, None, course_id, select(
        ModuleProgress.module_id, ModuleProgress.counted_unit_id, score_bin, func.count())
        .where(*counted, scored)
        .group_by(ModuleProgress.module_id, ModuleProgress.counted_unit_id, score_bin))


def recount_courses(session: Session, *, course_id: int | None = None,
                    unit_path: str | None = None, modules: bool = True) -> None:
    """Refresh the snapshots of one course (or all) for the people of one subtree (or
    everyone), then regroup that course's counters from all its snapshots (small: one row
    per unit and due date before rolling up)."""
    session.flush()
    _recount_course_rows(session, course_id, unit_path)
    if modules:
        _recount_module_rows(session, course_id, unit_path)
    session.expire_all()


@transactional
def rebuild(session: Session, *, course_id: int | None = None,
            progress: Progress | None = None) -> None:
    """Recount every counter (of one course) from the raw rows, course by course; the 学时
    counters too when no course is named."""
    if session.get_bind().dialect.name == "sqlite":
        # Without table statistics SQLite answers "was the quiz attempted" by scanning a
        # module's attempts for every progress row (minutes at 10 000 people) instead of
        # the (user, module) key; one table at a time, as PostgreSQL's autovacuum would.
        for table in ("lms_quiz_attempts", "lms_module_progress", "lms_enrollments"):
            session.execute(text(f"ANALYZE {table}"))
    courses = ([course_id] if course_id is not None else
               list(session.scalars(select(Course.id).order_by(Course.id))))
    if course_id is None:   # rows of deleted courses' leftovers, and of no course at all
        for table in (CourseUnitStats, WeeklyCompletionStats, ModuleUnitStats, ScoreBinStats):
            session.execute(delete(table))
        hours_counters.rebuild(session)   # 学时 are per person, not per course
    for done, course in enumerate(courses, start=1):
        recount_courses(session, course_id=course)
        if progress is not None:
            progress(done, len(courses))
    if not courses and progress is not None:
        progress(0, 0)

