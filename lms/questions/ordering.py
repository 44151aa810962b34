"""排序题: put the options in the right order; a select per option suits phones better than drag."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from lms.problems import Problem
from lms.questions.base import Grade, QuestionType, SpecError, letters
from lms.questions.choice import _load_options, _read_excel
from lms.questions.excel_form import ExcelCells, ExcelRow
from lms.questions.question_form import FormField, replace_fields


class Ordering(QuestionType):
    name = "ordering"
    label = _l("Ordering")
    template = "lms/questions/ordering.html"
    always_shuffle = True
    excel_labels = ("排序题", "排序")
    excel_example = {
        "prompt": "请按时间先后排列下列事件。",
        "options": ["遵义会议", "中共一大", "七届二中全会", "南昌起义"], "answer": "BDAC",
        "explanation": "正确答案按正确顺序填写选项字母；学员作答时选项顺序会打乱。", "points": 2,
        "difficulty": "medium", "topic": "党史"}

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        spec["options"] = _load_options(raw)
        answer = raw.get("answer")
        if not isinstance(answer, str):
            raise SpecError("answer", "must list every option letter in the right order, "
                                      "such as CABD")
        order = [ord(ch) - ord("A") for ch in answer.upper() if not ch.isspace()
                 and ch not in ",，、>→"]
        if sorted(order) != list(range(len(spec["options"]))):
            raise SpecError("answer", "must use every option letter exactly once")
        spec["answer"] = order
        return spec

    def form_fields(self) -> list[FormField]:
        return replace_fields(
            super().form_fields(),
            FormField("options", "lines", _l("Items to put in order"),
                      _l("One item per line, 2 to 8; the first is A, the next B, and so on. "
                         "Trainees see them shuffled."), required=True),
            FormField("answer", "text", _l("Correct order"),
                      _l("Every letter once, in the right order, such as CABD."),
                      required=True))

    def remap_answer(self, answer: list[int], order: list[int]) -> list[int]:
        return [order.index(i) for i in answer]

    def parse_response(self, values: list[str]) -> list[int] | None:
        """Values are the position (1-based) chosen for each shown option, in shown order."""
        if not values or not all(v.isascii() and v.isdigit() for v in values):
            return None
        positions = [int(v) for v in values]
        if sorted(positions) != list(range(1, len(positions) + 1)):
            return None
        return positions

    def grade(self, spec: dict[str, Any], response: list[int]) -> Grade:
        expected = [0] * len(spec["answer"])
        for rank, option in enumerate(spec["answer"], start=1):
            expected[option] = rank
        return Grade(spec["points"] if response == expected else 0, spec["points"])

    def describe_answer(self, spec: dict[str, Any]) -> str:
        return "→".join(letters([i], keep_order=True) for i in spec["answer"])

    def describe_response(self, spec: dict[str, Any], response: list[int]) -> str:
        by_rank = sorted(range(len(response)), key=lambda i: response[i])
        return "→".join(letters([i], keep_order=True) for i in by_rank)

    # No gift_write: GIFT has no ordering question, so an export notes it and moves on.

    def excel_read(self, row: ExcelRow) -> dict[str, Any]:
        """正确答案 lists every option letter in the right order, e.g. ``CABD`` or ``C→A→B→D``."""
        options, answer = _read_excel(row)
        if options and answer is not None and len(answer) != len(options):
            row.problem(Problem("an ordering answer must list every option (A–%(last)s) in the "
                                "right order; “%(answer)s” was given",
                                last=letters([len(options) - 1]), answer=row.answer))
        return {"options": options, "answer": answer}

    def excel_write(self, spec: dict[str, Any]) -> ExcelCells:
        return ExcelCells(letters(spec["answer"], keep_order=True), spec["options"])

    def file_write(self, spec: dict[str, Any]) -> dict[str, Any]:
        return {**super().file_write(spec), "answer": letters(spec["answer"], keep_order=True)}
