"""Feed a module's graded attempts to the item analysis, keyed by question id."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.models import AttemptStatus, Module, QuizAttempt
from lms.plugins import QuestionTypeRegistry
from lms.services.item_analysis import AttemptRecord, ItemResponse, QuizAnalysis, analyse


def module_analysis(session: Session, registry: QuestionTypeRegistry, module: Module,
                    min_responses: int) -> QuizAnalysis:
    attempts = session.scalars(
        select(QuizAttempt).where(QuizAttempt.module_id == module.id,
                                  QuizAttempt.status == AttemptStatus.GRADED)
        .order_by(QuizAttempt.user_id, QuizAttempt.number)
    )
    records = []
    for attempt in attempts:
        items = []
        for spec, response, result in zip(attempt.questions, attempt.answers or [],
                                          attempt.results or [], strict=True):
            question_type = registry.get(spec["type"])
            chosen, options = (question_type.analysis_labels(spec, response)
                               if question_type else ((), ()))
            items.append(ItemResponse(
                question_key=str(spec.get("question_id") or spec["prompt"]),
                prompt=spec["prompt"], type=spec["type"], earned=float(result["earned"] or 0),
                possible=float(result["possible"]), choices=chosen, options=options,
            ))
        records.append(AttemptRecord(user_id=attempt.user_id, number=attempt.number,
                                     items=tuple(items)))
    return analyse(records, min_responses=min_responses)
