"""Quiz sittings for the demo data: real snapshots, real answers, graded by the question types.

Each module gets one snapshot (``quizzes.snapshot_questions``) and, per question, one right and
one wrong response graded once by its type. A sitting picks which questions a person gets
right (more likely the abler they are and the easier the question), so the scores and the item
analysis look like a real cohort's. The JSON of a snapshot and of each answer pattern is
encoded once and inserted as text: encoding it per row would cost more than the insert.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from typing import Any

from lms.models import Module
from lms.plugins import QuestionTypeRegistry
from lms.services.progress import module_pass_mark
from lms.services.quizzes import settings_of, snapshot_questions

#: Tries at most: a person who keeps failing passes at the last one (they asked a colleague).
MAX_TRIES = 4


def _encode(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _responses(spec: dict[str, Any]) -> tuple[Any, Any] | None:
    """A right and a wrong response to a built-in question type; None for any other."""
    kind, answer, options = spec["type"], spec["answer"], spec.get("options") or []
    if kind == "single_choice":
        return answer, (answer + 1) % len(options)
    if kind == "multiple_choice":
        others = [i for i in range(len(options)) if i not in answer]
        return sorted(answer), others[:1] or answer[:1]
    if kind == "true_false":
        return answer, not answer
    if kind == "fill_blank":
        return [accepted[0] for accepted in answer], ["不记得了"] * len(answer)
    if kind == "ordering":
        ranks = [0] * len(answer)
        for rank, option in enumerate(answer, start=1):
            ranks[option] = rank
        return ranks, ranks[1:] + ranks[:1]
    if kind == "short_answer":
        return "结合本支部实际，要点齐全。", "记不清了。"
    return None


@dataclass(frozen=True)
class Sitting:
    answers: str
    results: str
    earned: float
    score: float
    passed: bool


@dataclass
class QuizModel:
    """One module's quiz as the demo data sits it."""

    module_id: int
    pass_mark: int
    settings: str
    snapshot: str
    attempts_allowed: int | None
    time_limit: int | None
    manual: bool
    difficulty: list[float]
    right: list[tuple[Any, dict[str, Any]] | None]
    wrong: list[tuple[Any, dict[str, Any]]]
    possible: float
    cache: dict[tuple[bool, ...], Sitting] = field(default_factory=dict)

    @property
    def passable(self) -> bool:
        return self.sit_pattern(tuple(r is not None for r in self.right)).passed

    def sit_pattern(self, pattern: tuple[bool, ...]) -> Sitting:
        sitting = self.cache.get(pattern)
        if sitting is None:
            picked = [self.right[i] if ok else self.wrong[i] for i, ok in enumerate(pattern)]
            earned = float(sum(result["earned"] for _, result in picked))
            score = round(earned * 100 / self.possible, 1) if self.possible else 0.0
            sitting = Sitting(_encode([response for response, _ in picked]),
                              _encode([result for _, result in picked]), earned, score,
                              score >= self.pass_mark)
            self.cache[pattern] = sitting
        return sitting

    def sit(self, rng: random.Random, ability: float, force: str | None = None) -> Sitting:
        """One sitting; ``force`` "pass" or "fail" turns answers until the outcome is that."""
        pattern = [r is not None and rng.random() < 1 / (1 + math.exp(d - 1.6 - ability))
                   for r, d in zip(self.right, self.difficulty, strict=True)]
        sitting = self.sit_pattern(tuple(pattern))
        if force is None or sitting.passed == (force == "pass"):
            return sitting
        order = list(range(len(pattern)))
        rng.shuffle(order)
        for i in order:
            if force == "pass" and not sitting.passed and not pattern[i] \
                    and self.right[i] is not None:
                pattern[i] = True
            elif force == "fail" and sitting.passed and pattern[i]:
                pattern[i] = False
            else:
                continue
            sitting = self.sit_pattern(tuple(pattern))
        return sitting


def quiz_model(registry: QuestionTypeRegistry, module: Module,
               rng: random.Random) -> QuizModel | None:
    """The module's quiz, or None when it has no questions (it completes when read)."""
    if not module.questions:
        return None
    settings = settings_of(module)
    snapshot = snapshot_questions(registry, module, settings, rng)
    right: list[tuple[Any, dict[str, Any]] | None] = []
    wrong: list[tuple[Any, dict[str, Any]]] = []
    manual = False
    for spec in snapshot:
        question_type = registry.get(spec["type"])
        pair = _responses(spec) if question_type is not None else None
        unanswered = (None, {"earned": 0, "possible": spec["points"], "correct": False,
                             "pending": False})
        if pair is None:
            right.append(None)
            wrong.append(unanswered)
            continue
        if question_type.manual:  # as a trainer graded it
            manual = True
            right.append((pair[0], {"earned": spec["points"], "possible": spec["points"],
                                    "correct": True, "pending": False, "comment": ""}))
            wrong.append((pair[1], {"earned": 0, "possible": spec["points"], "correct": False,
                                    "pending": False, "comment": ""}))
            continue
        graded = [question_type.grade(spec, response) for response in pair]
        if not graded[0].correct or graded[1].correct:
            right.append(None)
            wrong.append(unanswered)
            continue
        for response, grade, into in zip(pair, graded, (right, wrong), strict=True):
            into.append((response, {"earned": grade.earned, "possible": grade.possible,
                                    "correct": grade.correct, "pending": False,
                                    "feedback": grade.feedback}))
    return QuizModel(
        module_id=module.id, pass_mark=module_pass_mark(module),
        settings=_encode(settings.to_json()), snapshot=_encode(snapshot),
        attempts_allowed=settings.attempts, time_limit=settings.time_limit, manual=manual,
        difficulty=[rng.gauss(0, 0.8) for _ in snapshot], right=right, wrong=wrong,
        possible=float(sum(spec["points"] for spec in snapshot)))
