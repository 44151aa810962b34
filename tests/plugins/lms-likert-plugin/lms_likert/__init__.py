"""量表题 (Likert scale): an example question-type plugin for 党建培训学堂.

It imports only the public contract in ``lms.questions.base`` and ships its own template
(``templates/lms_likert/likert.html``), found through ``template_folder``: a scale reads
left to right, so it is drawn as one row of buttons rather than a list of choices.

Course-file syntax::

    - type: likert
      prompt: 我能够熟练使用“学习强国”平台。
      answer: E          # optional: the expected option
      points: 2
      # options: [...]   # optional: 3–8 labels; default 非常不同意 … 非常同意

Grading: the expected option earns full points, a neighbouring option half, anything else
nothing. Without ``answer`` the question is an opinion poll and every answer earns full
points.

In an Excel question bank a row with 题型 ``量表题`` takes its scale from 选项A… (all empty: the
default scale) and the expected letter from 正确答案 (empty: a poll). The type has no GIFT
form, so a GIFT export lists it as skipped.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from lms.questions.base import ExcelCells, ExcelRow, Grade, QuestionType, SpecError, letters

DEFAULT_SCALE = ("非常不同意", "不同意", "中立", "同意", "非常同意")
MIN_OPTIONS = 3
MAX_OPTIONS = 8


class Likert(QuestionType):
    name = "likert"
    label = "量表题"
    template = "lms_likert/likert.html"
    template_folder = str(Path(__file__).resolve().parent / "templates")
    excel_labels = ("量表题", "量表")

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        spec["options"] = _load_options(raw.get("options"))
        spec["answer"] = _load_expected(raw.get("answer"), len(spec["options"]))
        return spec

    # public_spec is inherited: type, prompt, options and points — never the answer.

    def shuffle(self, spec: dict[str, Any], rng: random.Random) -> dict[str, Any]:
        """A scale is ordered; shuffling it would make "adjacent" meaningless."""
        return spec

    def parse_response(self, values: list[str]) -> int | None:
        value = values[0].strip() if values else ""
        return int(value) if value.isdigit() else None

    def grade(self, spec: dict[str, Any], response: int) -> Grade:
        points = spec["points"]
        if not 0 <= response < len(spec["options"]):
            return Grade(0, points)
        expected = spec["answer"]
        if expected is None:
            return Grade(points, points)
        distance = abs(response - expected)
        if distance == 0:
            return Grade(points, points)
        if distance == 1:
            return Grade(points / 2, points)
        return Grade(0, points)

    def describe_answer(self, spec: dict[str, Any]) -> str:
        expected = spec["answer"]
        if expected is None:
            return "任一选项 (any option)"
        return _describe(spec["options"], expected)

    def describe_response(self, spec: dict[str, Any], response: int) -> str:
        return _describe(spec["options"], response)

    def excel_read(self, row: ExcelRow) -> dict[str, Any]:
        """Hand the cells to load_spec, whose SpecError the bank reports with the row number."""
        return {"options": row.options or None, "answer": row.answer or None}

    def excel_write(self, spec: dict[str, Any]) -> ExcelCells:
        expected = spec["answer"]
        return ExcelCells("" if expected is None else letters([expected]), spec["options"])


def _load_options(options: Any) -> list[str]:
    if options is None:
        return list(DEFAULT_SCALE)
    if not isinstance(options, list) or not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise SpecError("options", f"a scale needs {MIN_OPTIONS}–{MAX_OPTIONS} options")
    cleaned = []
    for number, option in enumerate(options, start=1):
        text = option.strip() if isinstance(option, str) else ""
        if not text:
            raise SpecError("options", f"option {number} must be non-empty text")
        cleaned.append(text)
    if len(set(cleaned)) != len(cleaned):
        raise SpecError("options", "two options have the same text")
    return cleaned


def _load_expected(answer: Any, count: int) -> int | None:
    if answer is None:
        return None
    letter = answer.strip().upper() if isinstance(answer, str) else ""
    if len(letter) != 1 or not 0 <= ord(letter) - ord("A") < count:
        raise SpecError("answer", f"must be one letter A–{chr(ord('A') + count - 1)}")
    return ord(letter) - ord("A")


def _describe(options: list[str], index: int) -> str:
    if not 0 <= index < len(options):
        return "—"
    return f"{letters([index])} {options[index]}"
