"""Feed a module's graded attempts to the item analysis, keyed by question id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.models import AttemptStatus, Module, QuizAttempt
from lms.questions.base import letters
from lms.services.item_analysis import AttemptRecord, ItemResponse, QuizAnalysis, analyse

CHOICE_TYPES = {"single_choice", "multiple_choice"}


def _choice_labels(spec: dict[str, Any], response: Any) -> tuple[tuple[str, ...],
                                                                 tuple[str, ...]]:
    """Option letters as written in the course file, whatever order the attempt showed."""
    if spec["type"] == "true_false":
        return (("正确",) if response else ("错误",)) if response is not None else (), \
            ("正确", "错误")
    if spec["type"] not in CHOICE_TYPES or not spec.get("options"):
        return (), ()
    order = spec.get("option_order") or list(range(len(spec["options"])))
    chosen = [] if response is None else ([response] if isinstance(response, int) else response)
    labels = tuple(letters([order[i]]) for i in sorted(chosen, key=lambda i: order[i]))
    return labels, tuple(letters([i]) for i in range(len(order)))


def module_analysis(session: Session, module: Module, min_responses: int) -> QuizAnalysis:
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
            chosen, options = _choice_labels(spec, response)
            items.append(ItemResponse(
                question_key=str(spec.get("question_id") or spec["prompt"]),
                prompt=spec["prompt"], type=spec["type"], earned=float(result["earned"] or 0),
                possible=float(result["possible"]), choices=chosen, options=options,
            ))
        records.append(AttemptRecord(user_id=attempt.user_id, number=attempt.number,
                                     items=tuple(items)))
    return analyse(records, min_responses=min_responses)
