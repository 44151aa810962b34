"""简答题: a written answer that a trainer grades; the attempt waits as 待批阅 until then."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from lms.questions.base import Grade, QuestionType, SpecError
from lms.questions.excel_form import ExcelCells, ExcelRow
from lms.questions.question_form import FormField, replace_fields

MAX_LENGTH = 5000


class ShortAnswer(QuestionType):
    name = "short_answer"
    label = _l("Short answer")
    template = "lms/questions/short_answer.html"
    manual = True
    excel_labels = ("简答题", "简答")

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        reference = raw.get("answer", "")
        if reference is None:
            reference = ""
        if not isinstance(reference, str):
            raise SpecError("answer", "the reference answer must be text")
        spec["answer"] = reference.strip()
        return spec

    def form_fields(self) -> list[FormField]:
        reference = FormField("answer", "textarea", _l("Reference answer"),
                              _l("What a good answer says, for the trainer who grades it and "
                                 "for trainees after grading; may be left empty."))
        return replace_fields(super().form_fields(), reference, drop=["options"])

    def parse_response(self, values: list[str]) -> str | None:
        text = (values[0] if values else "").strip()
        return text[:MAX_LENGTH] or None

    def grade(self, spec: dict[str, Any], response: str) -> Grade:
        raise TypeError("short answers are graded by a trainer")

    def describe_answer(self, spec: dict[str, Any]) -> str:
        return spec["answer"]

    def describe_response(self, spec: dict[str, Any], response: str) -> str:
        return response

    # No GIFT form: imports skip Moodle's essay ({}) and exports note the question as skipped.

    def excel_read(self, row: ExcelRow) -> dict[str, Any]:
        """正确答案 holds the reference answer and may be left empty."""
        return {"answer": row.answer} if row.answer else {}

    def excel_write(self, spec: dict[str, Any]) -> ExcelCells:
        return ExcelCells(spec.get("answer") or "")
