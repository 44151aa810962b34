"""What a trainee (or trainer) sees of a submitted attempt, built from its own snapshot."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from lms.db import fetch
from lms.models import AttemptStatus, Module, QuizAttempt, User
from lms.plugins import QuestionTypeRegistry
from lms.questions.details import prompt_html
from lms.services.cycles import in_current_cycle


@dataclass(frozen=True)
class ReviewedQuestion:
    number: int
    prompt: str
    options: list[str] | None
    type_label: str
    your_answer: str
    correct_answer: str | None
    correct: bool | None
    pending: bool
    earned: float | None
    possible: float
    explanation: str | None
    comment: str
    feedback: str
    #: The passage the question cited when it was asked; shown, like the explanation, only
    #: when the quiz shows answers (it points straight at the answer).
    cite: str | None = None


def answers_visible(attempt: QuizAttempt, passed_before: bool) -> bool:
    """Apply the quiz's show_answers setting (after each attempt / after passing / never)."""
    mode = (attempt.settings or {}).get("show_answers", "after_each")
    if mode == "never":
        return False
    if mode == "after_pass":
        return bool(attempt.passed) or passed_before
    return attempt.status is not AttemptStatus.IN_PROGRESS


def review_attempt(registry: QuestionTypeRegistry, attempt: QuizAttempt,
                   show_answers: bool) -> list[ReviewedQuestion]:
    """Feedback after submission, built from the attempt's own snapshot."""
    reviewed = []
    for number, (spec, response, result) in enumerate(
        zip(attempt.questions, attempt.answers or [], attempt.results or [], strict=True),
        start=1,
    ):
        question_type = registry.get(spec["type"])
        described = (question_type.describe_response(spec, response)
                     if question_type and response is not None else "")
        reviewed.append(ReviewedQuestion(
            number=number, prompt=prompt_html(spec), options=spec.get("options"),
            type_label=str(question_type.label) if question_type else spec["type"],
            your_answer=described,
            correct_answer=(question_type.describe_answer(spec)
                            if question_type and show_answers else None),
            correct=result["correct"], pending=result["pending"], earned=result["earned"],
            possible=result["possible"],
            explanation=spec.get("explanation", "") if show_answers else None,
            comment=result.get("comment", ""),
            # Per-answer feedback can name the right answer: shown as the answers are.
            feedback=result.get("feedback", "") if show_answers else "",
            cite=spec.get("cite") if show_answers else None,
        ))
    return reviewed


def has_passed(session: Session, user: User, module: Module) -> bool:
    """Whether the person passed the quiz in their current cycle (answers may be shown)."""
    return session.scalar(select(func.count()).select_from(QuizAttempt).where(
        in_current_cycle(user.id, module), QuizAttempt.passed.is_(True))) > 0


@dataclass(frozen=True)
class PastAttempt:
    """One handed-in attempt as the module page lists it (no answers: they stay on its page)."""

    id: int
    number: int
    submitted_at: datetime
    status: AttemptStatus
    score: float | None
    passed: bool | None
    #: When a trainer graded its short answers; None when it graded itself (or still waits).
    reviewed_at: datetime | None

    @property
    def waiting(self) -> bool:
        return self.status is AttemptStatus.PENDING_REVIEW


def past_attempts(session: Session, user: User, module: Module) -> list[PastAttempt]:
    """Every attempt the person handed in for ``module``, newest first, in one query.

    All rounds of a recurring course are listed (their grades and comments stay readable);
    an attempt still open is the quiz page's, not a past one.
    """
    rows = fetch(session, _PAST_ATTEMPTS, {"user_id": user.id, "module_id": module.id})
    return [PastAttempt(*row) for row in rows]


_PAST_ATTEMPTS = (  # built once, with its cache key: every quiz module's page runs it
    select(QuizAttempt.id, QuizAttempt.number, QuizAttempt.submitted_at, QuizAttempt.status,
           QuizAttempt.score, QuizAttempt.passed, QuizAttempt.reviewed_at)
    .where(QuizAttempt.user_id == bindparam("user_id"),
           QuizAttempt.module_id == bindparam("module_id"),
           QuizAttempt.status != AttemptStatus.IN_PROGRESS)
    .order_by(QuizAttempt.number.desc()))
