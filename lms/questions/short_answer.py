"""简答题: a written answer that a trainer grades; the attempt waits as 待批阅 until then.

In GIFT it is Moodle's essay, ``Prompt {}`` (general feedback ``{####…}`` is the
explanation). GIFT has no place for the reference answer, so the export writes it as
``// reference answer:`` comment lines before the question: kept for the reader, not read
back (an import gives a question without one).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from lms.questions.base import Grade, QuestionType, SpecError
from lms.questions.excel_form import ExcelCells, ExcelRow
from lms.questions.gift_form import GiftBlock, general_feedback, question_text
from lms.questions.question_form import FormField, replace_fields

MAX_LENGTH = 5000


class ShortAnswer(QuestionType):
    name = "short_answer"
    label = _l("Short answer")
    template = "lms/questions/short_answer.html"
    manual = True
    gift_kinds = frozenset({"essay"})
    excel_labels = ("简答题", "简答")
    excel_example = {
        "prompt": "简述“三会一课”制度的主要内容。",
        "answer": "“三会”指支部党员大会、支部委员会、党小组会，“一课”指党课。",
        "explanation": "简答题由讲师批阅；正确答案列填写参考答案，可留空。", "points": 5,
        "difficulty": "hard", "topic": "组织生活"}

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

    def gift_read(self, block: GiftBlock) -> dict[str, Any]:
        return {"prompt": block.prompt(), "explanation": block.explanation([])}

    def gift_write(self, spec: dict[str, Any]) -> str:
        lines = spec["answer"].replace("[tag:", "[tag\\:").splitlines()  # not a 知识点 tag
        comments = [("// reference answer (not read back): " if n == 0 else "// | ") + line
                    for n, line in enumerate(lines)]
        body = f"{question_text(spec['prompt'])} {{{general_feedback(spec)}}}"
        return "\n".join(comments + [body])

    def excel_read(self, row: ExcelRow) -> dict[str, Any]:
        """正确答案 holds the reference answer and may be left empty."""
        return {"answer": row.answer} if row.answer else {}

    def excel_write(self, spec: dict[str, Any]) -> ExcelCells:
        return ExcelCells(spec.get("answer") or "")
