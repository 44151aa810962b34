"""Quizzes: what the trainee is shown, and grading a submission on the server."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.models import Module, QuizAttempt, User
from lms.plugins import QuestionTypeRegistry
from lms.services.errors import InvalidInput, NotFound, PermissionDenied, Unanswered
from lms.services.events import emit
from lms.services.progress import lock_progress, module_pass_mark, record_quiz_result

TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


@dataclass(frozen=True)
class ShownQuestion:
    """A question as rendered before submission: the public spec only."""

    number: int
    field: str
    template: str
    public: dict[str, Any]


def questions_to_show(registry: QuestionTypeRegistry, module: Module) -> list[ShownQuestion]:
    shown = []
    for number, question in enumerate(module.questions, start=1):
        question_type = registry[question.type]
        shown.append(ShownQuestion(number=number, field=f"q{number}",
                                   template=question_type.template,
                                   public=question_type.public_spec(question.spec())))
    return shown


def submit_quiz(session: Session, registry: QuestionTypeRegistry, user: User, module: Module,
                token: str, values: dict[str, list[str]]) -> tuple[QuizAttempt, bool]:
    """Grade a submission and record it; return (attempt, created).

    The same token submitted again returns the first attempt unchanged. A submission with
    unanswered questions raises ``Unanswered`` before anything is written.
    """
    if not TOKEN.match(token or ""):
        raise InvalidInput("the quiz form is out of date; reload the page", field="token")
    existing = _replayed_attempt(session, token, user, module)
    if existing is not None:
        return existing, False
    questions = list(module.questions)
    if not questions:
        raise NotFound("this module has no quiz")

    responses: list[Any] = []
    missing: list[int] = []
    for number, question in enumerate(questions, start=1):
        response = registry[question.type].parse_response(values.get(f"q{number}", []))
        if response is None:
            missing.append(number)
        responses.append(response)
    if missing:
        raise Unanswered(missing)

    lock_progress(session, user, module)
    existing = _replayed_attempt(session, token, user, module)
    if existing is not None:  # the same submission, graded while we waited for the lock
        return existing, False

    snapshot, results = [], []
    earned = possible = 0.0
    for question, response in zip(questions, responses, strict=True):
        question_type = registry[question.type]
        spec = question.spec()
        grade = question_type.grade(spec, response)
        earned += grade.earned
        possible += grade.possible
        snapshot.append(spec)
        results.append({"earned": grade.earned, "possible": grade.possible,
                         "correct": grade.correct})
    score = round(earned * 100 / possible, 1) if possible else 0.0
    pass_mark = module_pass_mark(module)
    passed = score >= pass_mark

    number = (session.scalar(
        select(func.max(QuizAttempt.number))
        .where(QuizAttempt.user_id == user.id, QuizAttempt.module_id == module.id)
    ) or 0) + 1
    attempt = QuizAttempt(
        user_id=user.id, module_id=module.id, number=number, client_token=token,
        questions=snapshot, answers=responses, results=results, earned=earned,
        possible=possible, score=score, pass_mark=pass_mark, passed=passed,
    )
    try:
        with session.begin_nested():
            session.add(attempt)
    except IntegrityError:
        # A concurrent resubmission of the same token won the race: return its result.
        existing = _attempt_by_token(session, token)
        if existing is None:
            raise
        return existing, False
    record_quiz_result(session, user, module, score, passed)
    emit(session, "quiz_submitted", user_id=user.id, module_id=module.id,
         attempt_id=attempt.id, score=score, passed=passed)
    return attempt, True


def _attempt_by_token(session: Session, token: str) -> QuizAttempt | None:
    return session.scalar(select(QuizAttempt).where(QuizAttempt.client_token == token))


def _replayed_attempt(session: Session, token: str, user: User,
                      module: Module) -> QuizAttempt | None:
    """Return the attempt already graded for this token, refusing someone else's."""
    existing = _attempt_by_token(session, token)
    if existing is not None and (existing.user_id != user.id or existing.module_id != module.id):
        raise PermissionDenied("this attempt belongs to someone else")
    return existing


def get_attempt(session: Session, user: User, attempt_id: int) -> QuizAttempt:
    """Return the user's own attempt; someone else's is reported as missing."""
    attempt = session.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.user_id != user.id:
        raise NotFound("no such attempt")
    return attempt


@dataclass(frozen=True)
class ReviewedQuestion:
    number: int
    prompt: str
    options: list[str] | None
    type_label: str
    your_answer: str
    correct_answer: str
    correct: bool
    earned: float
    possible: float
    explanation: str


def review_attempt(registry: QuestionTypeRegistry, attempt: QuizAttempt) -> list[ReviewedQuestion]:
    """Feedback after submission, built from the attempt's own snapshot."""
    reviewed = []
    for number, (spec, response, result) in enumerate(
        zip(attempt.questions, attempt.answers, attempt.results, strict=True), start=1
    ):
        question_type = registry.get(spec["type"])
        reviewed.append(ReviewedQuestion(
            number=number, prompt=spec["prompt"], options=spec.get("options"),
            type_label=str(question_type.label) if question_type else spec["type"],
            your_answer=question_type.describe_response(spec, response) if question_type else "",
            correct_answer=question_type.describe_answer(spec) if question_type else "",
            correct=result["correct"], earned=result["earned"], possible=result["possible"],
            explanation=spec.get("explanation", ""),
        ))
    return reviewed


def attempts_for(session: Session, user: User, module: Module) -> list[QuizAttempt]:
    return list(session.scalars(
        select(QuizAttempt).where(QuizAttempt.user_id == user.id,
                                  QuizAttempt.module_id == module.id)
        .order_by(QuizAttempt.number.desc())
    ))
