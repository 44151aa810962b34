"""Trainers' grading: the queue of attempts waiting for a trainer, and recording their scores.

Recording a grade also leaves the trainee a notice (``attempt_graded``) linking to the graded
attempt, so the trainer's comment is found without knowing its URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, joinedload

from lms.db import utcnow
from lms.models import AttemptStatus, Module, Notice, QuizAttempt, User
from lms.services.errors import InvalidInput, NotFound, Unanswered
from lms.services.org import name_paths
from lms.services.permissions import EVERYTHING, Scope
from lms.services.progress import lock_progress
from lms.services.quizzes import AttemptClosed, finish_attempt, locked_attempt
from lms.unit_of_work import transactional


@dataclass(frozen=True)
class ManualGrade:
    earned: float
    comment: str = ""


@transactional
def grade_manually(session: Session, reviewer: User, attempt_id: int,
                   grades: dict[int, ManualGrade], *, now: datetime | None = None,
                   ) -> QuizAttempt:
    """Record a trainer's scores for the questions waiting in an attempt (1-based numbers).

    Locks in the order submissions do (the trainee's progress row, then the attempt), so a
    grade and the trainee's own new attempt queue up instead of overwriting each other.
    """
    probe = session.get(QuizAttempt, attempt_id)
    if probe is None:
        raise NotFound("no such attempt")
    lock_progress(session, probe.user, probe.module)
    attempt = locked_attempt(session, attempt_id)
    if attempt is None:
        raise NotFound("no such attempt")
    if attempt.status is not AttemptStatus.PENDING_REVIEW:
        raise AttemptClosed("this attempt is not waiting for grading")
    results = [dict(r) for r in attempt.results or []]
    waiting = [n for n, r in enumerate(results, start=1) if r["pending"]]
    missing = [n for n in waiting if n not in grades]
    if missing:
        raise Unanswered(missing)
    for number in waiting:
        grade = grades[number]
        possible = results[number - 1]["possible"]
        if not 0 <= grade.earned <= possible:
            raise InvalidInput(f"score for question {number} must be between 0 and {possible}",
                               field=f"score{number}")
        if len(grade.comment) > 2000:
            raise InvalidInput(f"comment on question {number} is too long",
                               field=f"comment{number}")
        results[number - 1].update(earned=grade.earned, correct=grade.earned >= possible,
                                   pending=False, comment=grade.comment.strip())
    attempt.results = results
    attempt.reviewed_by_id = reviewer.id
    attempt.reviewed_at = now or utcnow()
    finish_attempt(session, attempt.user, attempt.module, attempt, actor_id=reviewer.id, manual=True)
    _notify_trainee(session, attempt)
    return attempt


#: The notice kind a graded short answer leaves its trainee (worded in lms.notice_wording).
GRADED_NOTICE = "attempt_graded"


def _notify_trainee(session: Session, attempt: QuizAttempt) -> None:
    """Tell the trainee their answer was graded, in the grade's transaction (an attempt
    leaves the queue once, so one notice per attempt)."""
    module = attempt.module
    session.add(Notice(
        user_id=attempt.user_id, kind=GRADED_NOTICE, course_id=module.course_id,
        dedupe_key=f"{GRADED_NOTICE}:{attempt.id}", created_at=attempt.reviewed_at,
        params={"attempt_id": attempt.id, "attempt_number": attempt.number,
                "module_slug": module.slug, "module_title": module.title,
                "score": attempt.score, "passed": attempt.passed}))


def get_attempt_for_grading(session: Session, attempt_id: int) -> QuizAttempt:
    attempt = session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.status is AttemptStatus.IN_PROGRESS:
        raise NotFound("no such submitted attempt")
    return attempt


def grading_queue(session: Session, *, page: int = 1, per_page: int = 20,
                  scope: Scope = EVERYTHING) -> tuple[list[QuizAttempt], int]:
    """Attempts waiting for a trainer, oldest first, and how many there are in all.

    Views pass the signed-in user's ``permissions.scope_of``, so the list is what they may grade.
    Each attempt comes with its trainee and their unit, module and course (what the queue
    shows), read in the same query rather than one per row.
    """
    rows = session.scalars(
        _waiting(scope).order_by(QuizAttempt.submitted_at, QuizAttempt.id)
        .offset((page - 1) * per_page).limit(per_page)
        .options(joinedload(QuizAttempt.user).joinedload(User.org_unit),
                 joinedload(QuizAttempt.module).joinedload(Module.course))
    ).all()
    return list(rows), waiting_count(session, scope=scope)


def waiting_count(session: Session, *, scope: Scope = EVERYTHING) -> int:
    """How many attempts in ``scope`` wait for a trainer (the queue's length), rows unread."""
    return session.scalar(select(func.count()).select_from(_waiting(scope).subquery())) or 0


def _waiting(scope: Scope) -> Select[tuple[QuizAttempt]]:
    return select(QuizAttempt).where(_waiting_clause(scope))


def _waiting_clause(scope: Scope) -> ColumnElement[bool]:
    return and_(QuizAttempt.status == AttemptStatus.PENDING_REVIEW, scope.gradable_clause())


def unit_paths(session: Session, attempts: list[QuizAttempt]) -> dict[int, str]:
    """The name path of each listed trainee's unit (by unit id), from one query for all."""
    return name_paths(session, {a.user.org_unit.id: a.user.org_unit
                                for a in attempts if a.user.org_unit is not None}.values())


@dataclass(frozen=True)
class QueuePlace:
    """Where an attempt stands in its grader's queue (ids of neighbours, None when none)."""

    previous_id: int | None
    next_id: int | None
    #: The first waiting attempt other than this one: where "save and next" goes when
    #: nothing waits after this one (attempts skipped earlier).
    first_id: int | None
    #: 1-based place of this attempt while it waits; of the next one once it is graded.
    position: int
    total: int

    @property
    def after_this(self) -> int | None:
        """The attempt to grade next: the next one in the queue, else the oldest left."""
        return self.next_id or self.first_id


def queue_place(session: Session, attempt: QuizAttempt, *, scope: Scope = EVERYTHING
                ) -> QueuePlace:
    """Neighbours, place and length of the queue around ``attempt``, in one query.

    The order is the queue's (oldest submission first); a graded attempt keeps its place
    in that order, so the next one is found after it too.
    """
    ids = _waiting(scope).with_only_columns(QuizAttempt.id)
    forward = (QuizAttempt.submitted_at, QuizAttempt.id)
    backward = (QuizAttempt.submitted_at.desc(), QuizAttempt.id.desc())
    before = _before(attempt)
    after = ~before & (QuizAttempt.id != attempt.id)
    count = select(func.count()).select_from(QuizAttempt)
    row = session.execute(select(
        ids.where(before).order_by(*backward).limit(1).scalar_subquery(),
        ids.where(after).order_by(*forward).limit(1).scalar_subquery(),
        ids.where(QuizAttempt.id != attempt.id).order_by(*forward).limit(1).scalar_subquery(),
        count.where(_waiting_clause(scope), before).scalar_subquery(),
        count.where(_waiting_clause(scope)).scalar_subquery(),
    )).one()
    return QueuePlace(row[0], row[1], row[2], row[3] + 1, row[4])


def _before(attempt: QuizAttempt) -> ColumnElement[bool]:
    """Attempts ahead of ``attempt`` in the queue's order (submission time, then id)."""
    return or_(QuizAttempt.submitted_at < attempt.submitted_at,
               and_(QuizAttempt.submitted_at == attempt.submitted_at,
                    QuizAttempt.id < attempt.id))
