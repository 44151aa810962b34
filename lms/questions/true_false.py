"""判断题: answers written 正确/错误, 对/错 or true/false."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.questions.base import Grade, QuestionType, SpecError

TRUE_WORDS = {"正确", "对", "是", "√", "true", "t", "yes"}
FALSE_WORDS = {"错误", "错", "否", "×", "false", "f", "no"}


class TrueFalse(QuestionType):
    name = "true_false"
    label = _l("True or false")
    template = "lms/questions/true_false.html"

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
