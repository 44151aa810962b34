"""Re-importing a question bank: which questions of a file a module already holds.

A question is "already there" when a current question of the module (of any origin: course
file, earlier import, written in the browser) has the same type and the same normalised
prompt (lms.content.identity.normalise_prompt), so a file imported twice is recognised even
after spacing or full-width/half-width edits. Repeated questions pair up in order: the second
copy in the file matches the second such question in the module, and a copy beyond those
the module holds is new. The trainer then chooses what to do with the known ones
(``EXISTING``): skip them, publish their new definition as a revision of the same question, or
import them again as copies.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.content.identity import normalise_prompt
from lms.models import Module, Question
from lms.plugins import QuestionTypeRegistry
from lms.questions import SpecError
from lms.questions.details import prompt_text

#: What to do with questions the module already holds; "skip" is the default.
EXISTING = ("skip", "update", "copy")


class _Typed(Protocol):
    type: str
    prompt: str
    key: str


@dataclass(frozen=True)
class ImportCounts:
    """What a confirmed import did, for the trainer's message."""

    added: int
    updated: int
    skipped: int


@dataclass(frozen=True)
class PreviewQuestion:
    """One question of the preview: where it is in the file, whether it is known, its key."""

    line: int
    type: str
    prompt: str
    options: list[Any] | None
    known: bool
    answer: str
    topic: str | None = None


def match_existing(current: Iterable[_Typed],
                   specs: list[tuple[str, dict[str, Any]]]) -> list[str | None]:
    """For each (type, spec) in file order, the key of the module question it repeats, or
    None when it is new. Each module question is matched at most once."""
    waiting: dict[tuple[str, str], deque[str]] = defaultdict(deque)
    for question in current:
        waiting[(question.type, normalise_prompt(question.prompt))].append(question.key)
    matches: list[str | None] = []
    for type_name, spec in specs:
        keys = waiting.get((type_name, normalise_prompt(spec["prompt"])))
        matches.append(keys.popleft() if keys else None)
    return matches


def current_questions(session: Session, module: Module) -> list[Question]:
    return list(session.scalars(select(Question).where(
        Question.module_id == module.id, Question.is_current).order_by(Question.position)))


def preview(session: Session, registry: QuestionTypeRegistry, module: Module,
            questions: Iterable[Any]) -> list[PreviewQuestion]:
    """The preview's rows: each question new or already there, with its answer key written
    out by its type so the trainer can check it before confirming."""
    loaded = []
    for question in questions:
        question_type = registry.get(question.type)
        try:
            spec = question_type.load_spec(question.raw) if question_type else None
        except SpecError:
            spec = None
        loaded.append((question, question_type, spec))
    matches = match_existing(current_questions(session, module),
                             [(q.type, spec or q.raw) for q, _, spec in loaded])
    rows = []
    for (question, question_type, spec), match in zip(loaded, matches, strict=True):
        try:
            answer = question_type.describe_answer(spec) if question_type and spec else ""
        except NotImplementedError:
            answer = ""
        rows.append(PreviewQuestion(line=question.line, type=question.type,
                                    prompt=prompt_text(spec or question.raw),
                                    options=(spec or question.raw).get("options"),
                                    known=match is not None, answer=answer,
                                    topic=(spec or question.raw).get("topic")))
    return rows
