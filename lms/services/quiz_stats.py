"""Feed a module's graded attempts to the item analysis, keyed by stable question id.

By default only answers to each question's current revision (wording) count, so the numbers
describe the quiz as it is asked now; ``combine`` adds the earlier revisions under the same
row. Either way the prompt shown is the current one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.models import AttemptStatus, Module, Question, QuizAttempt
from lms.plugins import QuestionTypeRegistry
from lms.questions.details import prompt_text
from lms.services.item_analysis import (
    AttemptRecord,
    ItemResponse,
    ItemStats,
    QuizAnalysis,
    analyse,
)
from lms.services.permissions import EVERYTHING, Scope


def module_analysis(session: Session, registry: QuestionTypeRegistry, module: Module,
                    min_responses: int, scope: Scope = EVERYTHING, *,
                    combine: bool = False) -> QuizAnalysis:
    """Analyse the graded attempts ``scope`` covers (a trainer: their own subtree's trainees)."""
    attempts = list(session.scalars(
        select(QuizAttempt).where(QuizAttempt.module_id == module.id,
                                  QuizAttempt.status == AttemptStatus.GRADED,
                                  scope.attempts_clause())
        .order_by(QuizAttempt.user_id, QuizAttempt.number)
    ))
    asked = {spec.get("question_id") for attempt in attempts for spec in attempt.questions}
    current = {row.id: row for row in session.execute(
        select(Question.id, Question.revision, Question.prompt)
        .where(Question.id.in_([i for i in asked if isinstance(i, int)])))}
    records = []
    for attempt in attempts:
        items = []
        for spec, response, result in zip(attempt.questions, attempt.answers or [],
                                          attempt.results or [], strict=True):
            now = current.get(spec.get("question_id"))
            if not combine and (now is None or spec.get("revision") != now.revision):
                continue
            question_type = registry.get(spec["type"])
            chosen, options = (question_type.analysis_labels(spec, response)
                               if question_type else ((), ()))
            items.append(ItemResponse(
                question_key=str(spec.get("question_id") or spec["prompt"]),
                prompt=prompt_text({**spec, "prompt": now.prompt} if now else spec),
                type=spec["type"],
                earned=float(result["earned"] or 0),
                possible=float(result["possible"]), choices=chosen, options=options,
            ))
        if items:
            records.append(AttemptRecord(user_id=attempt.user_id, number=attempt.number,
                                         items=tuple(items)))
    return analyse(records, min_responses=min_responses)


@dataclass(frozen=True)
class QuestionReview:
    """One question of the quiz page: ``number`` is its place in the quiz, kept when it moves
    up; ``key`` holds the option labels to mark as right (empty when not shown)."""

    number: int
    question: Question
    item: ItemStats | None
    key: tuple[str, ...]


def questions_for_review(registry: QuestionTypeRegistry, module: Module,
                         analysis: QuizAnalysis, *, with_key: bool) -> list[QuestionReview]:
    """The module's questions with their numbers, those flagged for a look first.

    A trainer opens the page to find what to fix; the rest keep the quiz order. The key is
    read only for ``with_key`` (authors), since the answer is theirs to see.
    """
    stats = {item.question_key: item for item in analysis.items}
    rows = []
    for number, question in enumerate(module.questions, start=1):
        question_type = registry.get(question.type) if with_key else None
        rows.append(QuestionReview(
            number=number, question=question, item=stats.get(str(question.id)),
            key=question_type.analysis_key(question.spec()) if question_type else ()))
    return sorted(rows, key=lambda row: not (row.item and row.item.needs_review))
