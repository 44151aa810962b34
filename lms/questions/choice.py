"""单选题 and 多选题."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.questions.base import Grade, QuestionType, SpecError, letters

MAX_OPTIONS = 8


def _load_options(raw: dict[str, Any]) -> list[str]:
    options = raw.get("options")
    if not isinstance(options, list) or len(options) < 2:
        raise SpecError("options", "needs at least two options")
    if len(options) > MAX_OPTIONS:
        raise SpecError("options", f"has more than {MAX_OPTIONS} options")
    cleaned = []
    for number, option in enumerate(options, start=1):
        if isinstance(option, bool) or not isinstance(option, (str, int, float)):
            raise SpecError("options", f"option {number} must be text")
        text = str(option).strip()
        if not text:
            raise SpecError("options", f"option {number} is empty")
        cleaned.append(text)
    if len(set(cleaned)) != len(cleaned):
        raise SpecError("options", "two options have the same text")
    return cleaned


def _parse_letters(answer: Any, count: int) -> list[int]:
    if not isinstance(answer, str) or not answer.strip():
        raise SpecError("answer", "must be option letters such as A or ABD")
    picked = re.sub(r"[\s,，、]", "", answer.upper())
    indexes = []
    for letter in picked:
        index = ord(letter) - ord("A")
        if not 0 <= index < count:
            raise SpecError("answer", f"{letter} is not one of the options A–{chr(64 + count)}")
        if index in indexes:
            raise SpecError("answer", f"{letter} is given twice")
        indexes.append(index)
    return sorted(indexes)


def _labels_as_written(spec: dict[str, Any],
                       chosen: list[int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Option letters as in the course file, whatever order the attempt showed them in."""
    order = spec.get("option_order") or list(range(len(spec["options"])))
    labels = tuple(letters([order[i]]) for i in sorted(chosen, key=lambda i: order[i]))
    return labels, tuple(letters([i]) for i in range(len(order)))


def _parse_indexes(values: list[str], count: int) -> list[int] | None:
    picked = set()
    for value in values:
        if not value.isdigit() or int(value) >= count:
            return None
        picked.add(int(value))
    return sorted(picked) or None


class SingleChoice(QuestionType):
    name = "single_choice"
    label = _l("Single choice")
    template = "lms/questions/choice.html"

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        spec["options"] = _load_options(raw)
        indexes = _parse_letters(raw.get("answer"), len(spec["options"]))
        if len(indexes) != 1:
            raise SpecError("answer", "a single-choice question has exactly one answer")
        spec["answer"] = indexes[0]
        return spec

    def remap_answer(self, answer: int, order: list[int]) -> int:
        return order.index(answer)

    def parse_response(self, values: list[str]) -> int | None:
        picked = _parse_indexes(values[:1], 10**6)
        return picked[0] if picked else None

    def grade(self, spec: dict[str, Any], response: int) -> Grade:
        return Grade(spec["points"] if response == spec["answer"] else 0, spec["points"])

    def describe_answer(self, spec: dict[str, Any]) -> str:
        return letters([spec["answer"]])

    def describe_response(self, spec: dict[str, Any], response: int) -> str:
        return letters([response])

    def analysis_labels(self, spec: dict[str, Any], response: int | None):
        return _labels_as_written(spec, [] if response is None else [response])


class MultipleChoice(QuestionType):
    """Scored by the quiz's mode, carried in the attempt's snapshot as ``scoring``.

    all_or_nothing (少选不得分, default): full marks only for exactly the right set;
    per_option (少选得部分分): a share per right option chosen; half (少选得一半分): half
    marks for a correct but incomplete choice. Any wrong option scores 0 in every mode.
    """

    name = "multiple_choice"
    label = _l("Multiple choice")
    template = "lms/questions/choice.html"

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        spec["options"] = _load_options(raw)
        indexes = _parse_letters(raw.get("answer"), len(spec["options"]))
        if len(indexes) < 2:
            raise SpecError("answer", "a multiple-choice question needs at least two answers")
        spec["answer"] = indexes
        return spec

    def public_spec(self, spec: dict[str, Any]) -> dict[str, Any]:
        return {**super().public_spec(spec), "multiple": True}

    def remap_answer(self, answer: list[int], order: list[int]) -> list[int]:
        return sorted(order.index(i) for i in answer)

    def parse_response(self, values: list[str]) -> list[int] | None:
        return _parse_indexes(values, 10**6)

    def grade(self, spec: dict[str, Any], response: list[int]) -> Grade:
        points = spec["points"]
        key, chosen = set(spec["answer"]), set(response)
        if not chosen or not chosen <= key:
            return Grade(0, points)
        if chosen == key:
            return Grade(points, points)
        mode = spec.get("scoring", "all_or_nothing")
        missed = _("Not every correct option was chosen.")
        if mode == "per_option":
            return Grade(round(points * len(chosen) / len(key), 2), points, missed)
        if mode == "half":
            return Grade(points / 2, points, missed)
        return Grade(0, points, missed)

    def describe_answer(self, spec: dict[str, Any]) -> str:
        return letters(spec["answer"])

    def describe_response(self, spec: dict[str, Any], response: list[int]) -> str:
        return letters(response)

    def analysis_labels(self, spec: dict[str, Any], response: list[int] | None):
        return _labels_as_written(spec, response or [])
