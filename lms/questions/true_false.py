"""判断题: answers written 正确/错误, 对/错 or true/false."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.questions.base import Grade, QuestionType, SpecError
from lms.questions.excel_form import ExcelCells, ExcelRow
from lms.questions.gift_form import TF_WORDS, GiftBlock, feedback, general_feedback, question_text
from lms.questions.question_form import FormField, replace_fields

TRUE_WORDS = {"正确", "对", "是", "√", "true", "t", "yes"}
FALSE_WORDS = {"错误", "错", "否", "×", "false", "f", "no"}


class TrueFalse(QuestionType):
    name = "true_false"
    label = _l("True or false")
    template = "lms/questions/true_false.html"
    gift_kinds = frozenset({"true_false"})
    excel_labels = ("判断题", "判断")

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        answer = raw.get("answer")
        word = str(answer).strip().lower() if answer is not None else ""
        if answer is True or word in TRUE_WORDS:
            spec["answer"] = True
        elif answer is False or word in FALSE_WORDS:
            spec["answer"] = False
        else:
            raise SpecError("answer", "must be 正确 or 错误 (also 对/错, true/false)")
        return spec

    def form_fields(self) -> list[FormField]:
        answer = FormField("answer", "choice", _l("Correct answer"), required=True,
                           choices=(("正确", _l("True")), ("错误", _l("False"))))
        return replace_fields(super().form_fields(), answer, drop=["options"])

    def parse_response(self, values: list[str]) -> bool | None:
        value = values[0] if values else ""
        return {"true": True, "false": False}.get(value)

    def grade(self, spec: dict[str, Any], response: bool) -> Grade:
        return Grade(spec["points"] if response is spec["answer"] else 0, spec["points"])

    def describe_answer(self, spec: dict[str, Any]) -> str:
        return _("True") if spec["answer"] else _("False")

    def describe_response(self, spec: dict[str, Any], response: bool) -> str:
        return _("True") if response else _("False")

    def analysis_labels(self, spec: dict[str, Any], response: bool | None):
        chosen = () if response is None else (("正确",) if response else ("错误",))
        return chosen, ("正确", "错误")

    def gift_read(self, block: GiftBlock) -> dict[str, Any]:
        """``{TRUE#wrong#right}``: Moodle shows the first feedback to a wrong response."""
        word, *notes = block.answer.split("#", 2)
        value = TF_WORDS[word.strip().upper()]
        wrong, right = (notes + ["", ""])[:2]
        for_true, for_false = (right, wrong) if value else (wrong, right)
        explanation = block.explanation([("正确", feedback(for_true)),
                                         ("错误", feedback(for_false))])
        return {"prompt": block.prompt(), "answer": "正确" if value else "错误",
                "explanation": explanation}

    def gift_write(self, spec: dict[str, Any]) -> str:
        word = "TRUE" if spec["answer"] else "FALSE"
        return f"{question_text(spec['prompt'])} {{{word}{general_feedback(spec)}}}"

    def excel_read(self, row: ExcelRow) -> dict[str, Any]:
        word = row.answer.lower()
        if not row.answer:
            row.problem("缺少正确答案")
        elif word not in TRUE_WORDS | FALSE_WORDS:
            row.problem(f"判断题的正确答案应填“正确”或“错误”（也可填“对”/“错”），填写了“{row.answer}”")
        return {"answer": "正确" if word in TRUE_WORDS else "错误"}

    def excel_write(self, spec: dict[str, Any]) -> ExcelCells:
        return ExcelCells("正确" if spec["answer"] else "错误")

    def file_write(self, spec: dict[str, Any]) -> dict[str, Any]:
        return {**super().file_write(spec), "answer": "正确" if spec["answer"] else "错误"}
