"""Trainers' grading: the queue of attempts waiting for a trainer, and recording their scores."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from lms.db import utcnow
from lms.models import AttemptStatus, Module, QuizAttempt, User
from lms.services.errors import InvalidInput, NotFound, Unanswered
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
    return attempt


def get_attempt_for_grading(session: Session, attempt_id: int) -> QuizAttempt:
    attempt = session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.status is AttemptStatus.IN_PROGRESS:
        raise NotFound("no such submitted attempt")
    return attempt


def grading_queue(session: Session, *, page: int = 1, per_page: int = 20,
                  scope: Scope = EVERYTHING) -> tuple[list[QuizAttempt], int]:
    """Attempts waiting for a trainer, oldest first, and how many there are in all.

    Views pass the signed-in user's ``permissions.scope_of``, so the list is what they may grade.
    Each attempt comes with its trainee, module and course (what the queue shows), read in the
    same query rather than one per row.
    """
    rows = session.scalars(
        _waiting(scope).order_by(QuizAttempt.submitted_at, QuizAttempt.id)
        .offset((page - 1) * per_page).limit(per_page)
        .options(joinedload(QuizAttempt.user),
                 joinedload(QuizAttempt.module).joinedload(Module.course))
    ).all()
    return list(rows), waiting_count(session, scope=scope)


def waiting_count(session: Session, *, scope: Scope = EVERYTHING) -> int:
    """How many attempts in ``scope`` wait for a trainer (the queue's length), rows unread."""
    return session.scalar(select(func.count()).select_from(_waiting(scope).subquery())) or 0


def _waiting(scope: Scope) -> Select[tuple[QuizAttempt]]:
    return select(QuizAttempt).where(QuizAttempt.status == AttemptStatus.PENDING_REVIEW,
                                     scope.gradable_clause())
