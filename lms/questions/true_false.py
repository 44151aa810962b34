"""判断题: answers written 正确/错误, 对/错 or true/false; 正确 and 错误 may each have
feedback for the trainee who chose it (lms.questions.option_feedback)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.problems import Problem
from lms.questions import option_feedback
from lms.questions.base import Grade, QuestionType, SpecError
from lms.questions.excel_form import ExcelCells, ExcelRow
from lms.questions.gift_form import (
    TF_WORDS,
    GiftBlock,
    escape,
    feedback,
    general_feedback,
    question_text,
)
from lms.questions.question_form import FormField, replace_fields, values_from_written

TRUE_WORDS = {"正确", "对", "是", "√", "true", "t", "yes"}
FALSE_WORDS = {"错误", "错", "否", "×", "false", "f", "no"}
#: The feedback labels, in the order the stored feedback lists them.
LABELS = ["正确", "错误"]
ALIASES = {**{w: "正确" for w in TRUE_WORDS}, **{w: "错误" for w in FALSE_WORDS}}


class TrueFalse(QuestionType):
    name = "true_false"
    label = _l("True or false")
    template = "lms/questions/true_false.html"
    gift_kinds = frozenset({"true_false"})
    keys = QuestionType.keys | {"feedback"}
    excel_labels = ("判断题", "判断")
    excel_example = {
        "prompt": "党员每年集中学习培训时间一般不少于32学时。", "answer": "正确",
        "explanation": "见《中国共产党党员教育管理工作条例》。", "difficulty": "easy",
        "topic": "党员教育"}

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        answer = raw.get("answer")
        word = str(answer).strip().lower() if answer is not None else ""
        if answer is True or word in TRUE_WORDS:
            value = True
        elif answer is False or word in FALSE_WORDS:
            value = False
        else:
            raise SpecError("answer", "must be 正确 or 错误 (also 对/错, true/false)")
        spec["answer"] = option_feedback.join(value, option_feedback.read(raw, LABELS, ALIASES))
        return spec

    def form_fields(self) -> list[FormField]:
        answer = FormField("answer", "choice", _l("Correct answer"), required=True,
                           choices=(("正确", _l("True")), ("错误", _l("False"))))
        return option_feedback.with_field(
            replace_fields(super().form_fields(), answer, drop=["options"]),
            _l("Optional: 正确：feedback for trainees who answered true, 错误：feedback for "
               "those who answered false, one per line; shown after submission."))

    def form_values(self, written: dict[str, Any]) -> dict[str, str]:
        lines = option_feedback.as_lines(written.get("feedback"))
        return values_from_written(self.form_fields(), {**written, "feedback": lines or None})

    def parse_response(self, values: list[str]) -> bool | None:
        value = values[0] if values else ""
        return {"true": True, "false": False}.get(value)

    def grade(self, spec: dict[str, Any], response: bool) -> Grade:
        """Full marks for the right value; the feedback of the value chosen either way."""
        key, notes = option_feedback.split(spec["answer"])
        said = option_feedback.chosen(notes, [0 if response else 1])
        return Grade(spec["points"] if response is key else 0, spec["points"], said)

    def describe_answer(self, spec: dict[str, Any]) -> str:
        return _("True") if option_feedback.key(spec["answer"]) else _("False")

    def describe_response(self, spec: dict[str, Any], response: bool) -> str:
        return _("True") if response else _("False")

    def analysis_labels(self, spec: dict[str, Any], response: bool | None):
        chosen = () if response is None else (("正确",) if response else ("错误",))
        return chosen, ("正确", "错误")

    def analysis_key(self, spec: dict[str, Any]) -> tuple[str, ...]:
        return ("正确",) if option_feedback.key(spec["answer"]) else ("错误",)

    def gift_read(self, block: GiftBlock) -> dict[str, Any]:
        """``{TRUE#wrong#right}``: as Moodle's reader, the first feedback is for the wrong
        response (here 错误) and the second for the right one (正确)."""
        word, *notes = block.answer.split("#", 2)
        value = TF_WORDS[word.strip().upper()]
        wrong, right = (feedback(note) for note in (notes + ["", ""])[:2])
        for_true, for_false = (right, wrong) if value else (wrong, right)
        raw = {"prompt": block.prompt(), "answer": "正确" if value else "错误",
               "explanation": block.explanation([])}
        said = {label: text for label, text in zip(LABELS, (for_true, for_false), strict=True)
                if text}
        return {**raw, "feedback": said} if said else raw

    def gift_write(self, spec: dict[str, Any]) -> str:
        """As Moodle writes it: ``{TRUE#wrong#right}``, an empty ``#`` kept before a right
        feedback alone."""
        value, notes = option_feedback.split(spec["answer"])
        for_true, for_false = notes or ["", ""]
        right, wrong = (for_true, for_false) if value else (for_false, for_true)
        word = "TRUE" if value else "FALSE"
        if wrong or right:
            word += f"#{escape(wrong)}"
        if right:
            word += f"#{escape(right)}"
        return f"{question_text(spec['prompt'])} {{{word}{general_feedback(spec)}}}"

    def excel_read(self, row: ExcelRow) -> dict[str, Any]:
        """Feedback, if any, in 选项 cells written ``正确 # 反馈`` / ``错误 # 反馈``; other
        选项 cells are ignored, as before feedback existed."""
        word = row.answer.lower()
        if not row.answer:
            row.problem(Problem("the answer is missing"))
        elif word not in TRUE_WORDS | FALSE_WORDS:
            row.problem(Problem("a true/false answer must be “正确” or “错误” (also “对”/“错”); "
                                "“%(answer)s” was given", answer=row.answer))
        notes = {ALIASES.get(label.lower()): note for label, note in
                 map(option_feedback.split_cell, row.options) if note}
        notes.pop(None, None)
        raw = {"answer": "正确" if word in TRUE_WORDS else "错误"}
        return {**raw, "feedback": notes} if notes else raw

    def excel_write(self, spec: dict[str, Any]) -> ExcelCells:
        value, notes = option_feedback.split(spec["answer"])
        cells = [option_feedback.cell(label, note)
                 for label, note in zip(LABELS, notes or [], strict=False)]
        return ExcelCells("正确" if value else "错误", cells)

    def file_write(self, spec: dict[str, Any]) -> dict[str, Any]:
        value, notes = option_feedback.split(spec["answer"])
        written = {**super().file_write(spec), "answer": "正确" if value else "错误"}
        return {**written, "feedback": option_feedback.written(notes, LABELS)} if notes             else written
