"""Enrollment and progress: what a trainee has visited, passed and completed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.orm import Session

from lms.db import fetch, row_id, utcnow
from lms.events import CourseEnrolled, ModuleCompleted, ModuleViewed
from lms.models import (
    Course,
    Enrollment,
    Module,
    ModuleProgress,
    ProgressStatus,
    Question,
    QuizAttempt,
    User,
)
from lms.services.catalog import loaded_question_counts, question_counts
from lms.services.course_gates import Lock, has_gates, module_locks, unmet_prerequisites
from lms.services.cycles import in_current_cycle
from lms.services.locks import get_or_create, lock_module, lock_person, lock_row
from lms.unit_of_work import raise_event, transactional


@transactional
def enroll(session: Session, user_id: int, course_id: int, *,
           actor_id: int | None = None) -> Enrollment:
    lock_person(session, user_id)  # before the insert, which may wait for a racing one
    enrollment, created = get_or_create(session, Enrollment, user_id=user_id,
                                        course_id=course_id)
    if created:
        raise_event(session, CourseEnrolled(actor_id=actor_id or user_id, user_id=user_id,
                                            course_id=course_id))
    return enrollment


def module_pass_mark(module: Module) -> int:
    return module.pass_mark if module.pass_mark is not None else module.course.pass_mark


def has_quiz(session: Session, module: Module) -> bool:
    return session.scalar(select(func.count()).where(Question.module_id == module.id,
                                                     Question.is_current)) > 0


def study_seconds_left(module: Module, seconds_active: int) -> int:
    """Seconds of active study the module still asks for (0: none, or its minutes are met)."""
    if module.min_minutes is None:
        return 0
    return max(0, module.min_minutes * 60 - seconds_active)


def has_passed_quiz(session: Session, user: User, module: Module) -> bool:
    """Whether a graded attempt of the module's quiz passed, in whichever version, in the
    person's current cycle of the course."""
    return session.scalar(select(
        select(QuizAttempt.id).where(in_current_cycle(user.id, module),
                                     QuizAttempt.passed.is_(True)).exists()))


def record_visit(session: Session, user: User, module: Module) -> ModuleProgress:
    """Mark the module seen; a module without a quiz is complete once seen (and studied for
    its ``min_minutes``, when it asks for some).

    Only the first visit (or one that completes the module) writes; later views read.
    """
    progress = session.scalar(select(ModuleProgress).filter_by(user_id=user.id,
                                                               module_id=module.id))
    return _visit(session, user, module, progress, question_count=None) or progress


def visit_module(session: Session, user: User, course: Course,
                 module: Module) -> tuple[CourseOutline, ModuleProgress | Row]:
    """The module page: record the visit and return the course outline after it. A revisit
    reads the progress rows once, for both; only a visit that writes reads them again."""
    outline = course_outline(session, user, course)
    known = outline.progress_rows.get(module.id)
    started = _visit(session, user, module, known,
                     question_count=outline.question_count(module.id))
    if started is None:
        return outline, known
    return course_outline(session, user, course), started


def _visit(session: Session, user: User, module: Module, progress: ModuleProgress | None, *,
           question_count: int | None) -> ModuleProgress | None:
    """Start (or complete) the module on this visit; None when the visit changes nothing."""
    if progress is not None and (
            progress.status is ProgressStatus.COMPLETED
            or (progress.status is ProgressStatus.IN_PROGRESS
                and progress.first_seen_at is not None
                and not _rules_hold(session, user, module, progress,
                                    question_count=question_count))):
        return None
    return _start_module(session, user, module)


@transactional
def _start_module(session: Session, user: User, module: Module) -> ModuleProgress:
    lock_module(session, module.id)  # then the person (lms.services.locks)
    enroll(session, user.id, module.course_id)
    # Locked, as the heartbeat and the quiz result lock it: with a module's rules met by
    # whichever comes last, two of them at once must not both complete it.
    progress = lock_progress(session, user, module)
    now = utcnow()
    progress.first_seen_at = progress.first_seen_at or now
    progress.last_seen_at = now
    if progress.status is ProgressStatus.NOT_STARTED:
        progress.status = ProgressStatus.IN_PROGRESS
        raise_event(session, ModuleViewed(actor_id=user.id, user_id=user.id,
                                          course_id=module.course_id, module_id=module.id,
                                          occurred_at=now))
    _complete_if_done(session, user, module, progress, actor_id=user.id)
    return progress


def lock_progress(session: Session, user: User, module: Module) -> ModuleProgress:
    """Return the trainee's progress row for the module, locked until the transaction ends.

    Quiz submissions for one trainee and module queue up on this lock (SELECT … FOR UPDATE on
    PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers), so "next attempt
    number" and "has this attempt been graded" are read without a race. The module's row
    and the person's are held before it (``lms.services.locks``).
    """
    lock_module(session, module.id)
    return lock_row(session, ModuleProgress, user_id=row_id(user), module_id=module.id)


def record_quiz_result(session: Session, user: User, module: Module, score: float,
                       passed: bool, *, actor_id: int, version_id: int) -> ModuleProgress:
    """Keep the best score; only a pass completes the module. Runs inside the grading unit.

    The progress row is locked first, so a trainer's late grade and the trainee's own newer
    attempt never overwrite each other's best score or complete the module twice. Whether the
    module has a quiz *now* does not matter: the attempt graded was a quiz.
    """
    progress = lock_progress(session, user, module)
    if progress.status is ProgressStatus.NOT_STARTED:
        progress.status = ProgressStatus.IN_PROGRESS
    if progress.best_score is None or score > progress.best_score:
        progress.best_score = score
    if passed:
        _complete_if_done(session, user, module, progress, actor_id=actor_id, quiz_passed=True,
                          version_id=version_id)
    return progress


def complete_after_study(session: Session, user: User, module: Module,
                         progress: ModuleProgress, *, now: datetime) -> None:
    """Complete a module whose minutes of study were the last thing it waited for, at the
    heartbeat's time; runs in the heartbeat's unit, with ``progress`` locked."""
    if module.min_minutes is not None:
        _complete_if_done(session, user, module, progress, actor_id=user.id, now=now)


def _rules_hold(session: Session, user: User, module: Module, progress: ModuleProgress, *,
                quiz_passed: bool = False, question_count: int | None = None) -> bool:
    """Its minutes of study, and its quiz passed (a module with a quiz) or it was opened
    (one without). The cheap checks go first: a page view should not pay for the others
    (nor count questions the outline it read already counted)."""
    if study_seconds_left(module, progress.seconds_active):
        return False
    if quiz_passed:
        return True
    with_quiz = has_quiz(session, module) if question_count is None else question_count > 0
    if with_quiz:  # a pass always leaves a best score
        return progress.best_score is not None and has_passed_quiz(session, user, module)
    return progress.first_seen_at is not None


def _complete_if_done(session: Session, user: User, module: Module, progress: ModuleProgress,
                      *, actor_id: int, quiz_passed: bool = False,
                      version_id: int | None = None, now: datetime | None = None) -> None:
    """Complete the module once, by whichever of its rules is met last (the visit, the quiz
    pass, the heartbeat reaching its minutes); the course follows in the CourseCompletion
    handler."""
    if progress.status is ProgressStatus.COMPLETED:
        return
    if not _rules_hold(session, user, module, progress, quiz_passed=quiz_passed):
        return
    _mark_completed(session, user, module, progress, actor_id=actor_id, version_id=version_id,
                    now=now)


def complete_module(session: Session, user: User, module: Module, *,
                    actor_id: int) -> ModuleProgress | None:
    """Complete the module whatever it asks (an administrator's override); None if it already
    was. Runs inside the caller's unit; the course follows as for any completion."""
    progress = lock_progress(session, user, module)
    if progress.status is ProgressStatus.COMPLETED:
        return None
    enroll(session, user.id, module.course_id, actor_id=actor_id)
    _mark_completed(session, user, module, progress, actor_id=actor_id)
    return progress


def _mark_completed(session: Session, user: User, module: Module, progress: ModuleProgress,
                    *, actor_id: int, version_id: int | None = None,
                    now: datetime | None = None) -> None:
    progress.status = ProgressStatus.COMPLETED
    progress.completed_at = now or utcnow()
    progress.completed_version_id = version_id or module.course.version_id
    raise_event(session, ModuleCompleted(actor_id=actor_id, user_id=user.id,
                                         course_id=module.course_id, module_id=module.id,
                                         occurred_at=progress.completed_at))


@dataclass(frozen=True)
class ModuleStatus:
    module: Module
    status: ProgressStatus
    best_score: float | None
    question_count: int
    seconds_active: int = 0

    @property
    def minutes_left(self) -> int:
        """Minutes of study the module still asks for, rounded up (0 once complete)."""
        if self.status is ProgressStatus.COMPLETED:
            return 0
        return -(-study_seconds_left(self.module, self.seconds_active) // 60)


@dataclass(frozen=True)
class StillNeeded:
    """What the module page says is left before the module completes."""

    minutes: int  # of active study, rounded up
    quiz: bool    # its quiz is still to be passed


def still_needed(session: Session, user: User, module: Module, progress: ModuleProgress, *,
                 with_quiz: bool) -> StillNeeded:
    """Minutes and quiz left; asks the attempts only while both may be (a pass leaves a
    best score)."""
    if progress.status is ProgressStatus.COMPLETED:
        return StillNeeded(0, False)
    left = study_seconds_left(module, progress.seconds_active)
    passed = (with_quiz and left > 0 and progress.best_score is not None
              and has_passed_quiz(session, user, module))
    return StillNeeded(-(-left // 60), with_quiz and not passed)


@dataclass(frozen=True)
class CourseOutline:
    course: Course
    #: As read for the page: the row's columns (``Enrollment``'s names), not the mapped object.
    enrollment: Row | None
    modules: list[ModuleStatus]
    #: Prerequisite courses the person has still to complete (lms.services.course_gates).
    unmet_prerequisites: tuple[Course, ...] = ()
    #: The person's progress rows by module id, as read for this outline (their columns).
    progress_rows: dict[int, Row] = field(default_factory=dict, compare=False)

    def question_count(self, module_id: int) -> int:
        return next((m.question_count for m in self.modules if m.module.id == module_id), 0)

    @cached_property
    def locks(self) -> dict[int, Lock]:
        """The person's closed modules by id, and why (none for a course without gates)."""
        if not has_gates(self.course):
            return {}
        return module_locks(self.course, [(m.module, m.status) for m in self.modules],
                            self.unmet_prerequisites)

    @property
    def completed(self) -> bool:
        return self.enrollment is not None and self.enrollment.completed_at is not None

    @property
    def required_total(self) -> int:
        return sum(1 for m in self.modules if m.module.required)

    @property
    def required_done(self) -> int:
        return sum(1 for m in self.modules
                   if m.module.required and m.status is ProgressStatus.COMPLETED)

    @property
    def percent(self) -> int:
        total = self.required_total
        return 100 if total == 0 else int(self.required_done * 100 / total)

    @property
    def next_module(self) -> Module | None:
        """The first unfinished module that is open: where "继续学习" leads."""
        for item in self.modules:
            if item.status is not ProgressStatus.COMPLETED and item.module.id not in self.locks:
                return item.module
        return None

    @property
    def started(self) -> bool:
        return any(m.status is not ProgressStatus.NOT_STARTED for m in self.modules)


#: Built once, with their cache keys: every trainee page reads its outline with them. Rows of
#: plain columns, read through ``fetch``: the page only reads them, and a write re-reads and
#: locks its own row (``lock_progress``).
_PROGRESS_IN_COURSES = (
    select(*ModuleProgress.__table__.columns)
    .join(Module, Module.id == ModuleProgress.module_id)
    .where(ModuleProgress.user_id == bindparam("user_id"),
           Module.course_id.in_(bindparam("course_ids", expanding=True))))
_ENROLLMENTS_IN_COURSES = select(*Enrollment.__table__.columns).where(
    Enrollment.user_id == bindparam("user_id"),
    Enrollment.course_id.in_(bindparam("course_ids", expanding=True)))


def course_outline(session: Session, user: User, course: Course) -> CourseOutline:
    return course_outlines(session, user, [course])[0]


def course_outlines(session: Session, user: User, courses: list[Course]) -> list[CourseOutline]:
    """The trainee's outline of each course, read with the same few queries for any number.

    Load ``Course.modules`` with their question counts (``course_views`` does), or the counts
    are read in a query of their own.
    """
    if not courses:
        return []
    course_ids = sorted({course.id for course in courses})
    asked = {"user_id": user.id, "course_ids": course_ids}
    progress = {row.module_id: row for row in fetch(session, _PROGRESS_IN_COURSES, asked)}
    counts = loaded_question_counts(courses)
    if counts is None:
        counts = question_counts(session, course_ids)
    enrollments = {row.course_id: row for row in fetch(session, _ENROLLMENTS_IN_COURSES, asked)}
    unmet = unmet_prerequisites(session, user, courses)
    return [
        CourseOutline(
            course=course,
            enrollment=enrollments.get(course.id),
            unmet_prerequisites=unmet.get(course.id, ()),
            progress_rows={m.id: progress[m.id] for m in course.modules if m.id in progress},
            modules=[
                ModuleStatus(
                    module=module,
                    status=progress[module.id].status if module.id in progress
                    else ProgressStatus.NOT_STARTED,
                    best_score=progress[module.id].best_score if module.id in progress
                    else None,
                    question_count=counts.get(module.id, 0),
                    seconds_active=progress[module.id].seconds_active if module.id in progress
                    else 0,
                )
                for module in course.modules
            ],
        )
        for course in courses
    ]
