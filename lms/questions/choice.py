"""单选题 and 多选题."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.questions.base import Grade, QuestionType, SpecError, letters
from lms.questions.excel_form import ExcelCells, ExcelRow, read_letters, read_options
from lms.questions.gift_form import (
    GiftBlock,
    GiftSkip,
    escape,
    general_feedback,
    percent,
    question_text,
)
from lms.questions.question_form import FormField, replace_fields

if TYPE_CHECKING:
    from lms.quiz_settings import QuizSettings

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


def _read_gift(block: GiftBlock) -> tuple[list[int], dict[str, Any]]:
    """``=`` anywhere means one right option (Moodle's radio buttons), else weights > 0 count.

    A ``~%50%`` option beside an ``=`` one is partial credit in Moodle, not a right answer,
    and this LMS grades all or nothing, so it is imported as a wrong option.
    """
    leading, answers = block.answers()
    if leading:
        raise GiftSkip("unparseable: text before the first ~ or = answer")
    if any(a.marker == "=" for a in answers):
        right = [i for i, a in enumerate(answers) if a.marker == "=" and a.weight in (None, 100)]
        if len(right) > 1:
            raise GiftSkip("unsupported: several full-credit options in a single-answer question")
    else:
        right = [i for i, a in enumerate(answers) if (a.weight or 0) > 0]
    if not right:
        raise GiftSkip("unparseable: no option is marked right (= or a positive %weight%)")
    notes = [(letters([i]), a.feedback) for i, a in enumerate(answers)]
    return right, {"prompt": block.prompt(), "options": [a.text for a in answers],
                   "answer": letters(right), "explanation": block.explanation(notes)}


def _write_gift(spec: dict[str, Any], right: list[int], mark: str, wrong: str) -> str:
    lines = [f"\t{mark if i in right else wrong}{escape(option)}"
             for i, option in enumerate(spec["options"])]
    general = general_feedback(spec)
    lines += [f"\t{general}"] if general else []
    return question_text(spec["prompt"]) + " {\n" + "\n".join(lines) + "\n}"


def _read_excel(row: ExcelRow) -> tuple[list[str] | None, str | None]:
    """选项A… and 正确答案 as letters; None where a problem was reported."""
    options = read_options(row)
    return options, read_letters(row, len(options)) if options else None


def _choice_fields(fields: list[FormField], answer_help: str) -> list[FormField]:
    return replace_fields(
        fields,
        FormField("options", "lines", _l("Options"),
                  _l("One option per line, 2 to 8; the first is A, the next B, and so on."),
                  required=True),
        FormField("answer", "text", _l("Correct answer"), answer_help, required=True))


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
    gift_kinds = frozenset({"choice"})
    excel_labels = ("单选题", "单选")

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        spec["options"] = _load_options(raw)
        indexes = _parse_letters(raw.get("answer"), len(spec["options"]))
        if len(indexes) != 1:
            raise SpecError("answer", "a single-choice question has exactly one answer")
        spec["answer"] = indexes[0]
        return spec

    def form_fields(self) -> list[FormField]:
        return _choice_fields(super().form_fields(), _l("The letter of the right option, such as B."))

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

    def gift_read(self, block: GiftBlock) -> dict[str, Any] | None:
        right, raw = _read_gift(block)
        return raw if len(right) == 1 else None

    def gift_write(self, spec: dict[str, Any]) -> str:
        return _write_gift(spec, [spec["answer"]], "=", "~")

    def excel_read(self, row: ExcelRow) -> dict[str, Any]:
        options, answer = _read_excel(row)
        if answer is not None and len(answer) != 1:
            row.problem(f"单选题只能有一个正确答案，填写了“{row.answer}”")
        return {"options": options, "answer": answer}

    def excel_write(self, spec: dict[str, Any]) -> ExcelCells:
        return ExcelCells(letters([spec["answer"]]), spec["options"])

    def file_write(self, spec: dict[str, Any]) -> dict[str, Any]:
        return {**super().file_write(spec), "answer": letters([spec["answer"]])}


class MultipleChoice(QuestionType):
    """Scored by the quiz's mode, carried in the attempt's snapshot as ``scoring``.

    all_or_nothing (少选不得分, default): full marks only for exactly the right set;
    per_option (少选得部分分): a share per right option chosen; half (少选得一半分): half
    marks for a correct but incomplete choice. Any wrong option scores 0 in every mode.
    """

    name = "multiple_choice"
    label = _l("Multiple choice")
    template = "lms/questions/choice.html"
    gift_kinds = frozenset({"choice"})
    excel_labels = ("多选题", "多选")

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        spec["options"] = _load_options(raw)
        indexes = _parse_letters(raw.get("answer"), len(spec["options"]))
        if len(indexes) < 2:
            raise SpecError("answer", "a multiple-choice question needs at least two answers")
        spec["answer"] = indexes
        return spec

    def form_fields(self) -> list[FormField]:
        return _choice_fields(super().form_fields(),
                              _l("The letters of every right option, at least two, such as ACD."))

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

    def apply_quiz_settings(self, spec: dict[str, Any], settings: QuizSettings) -> dict[str, Any]:
        return {**spec, "scoring": settings.multiple_choice_scoring}

    def gift_read(self, block: GiftBlock) -> dict[str, Any] | None:
        right, raw = _read_gift(block)
        return raw if len(right) > 1 else None

    def gift_write(self, spec: dict[str, Any]) -> str:
        """Moodle's checkboxes: the right options share 100 %, each wrong one costs it all."""
        return _write_gift(spec, spec["answer"], f"~%{percent(len(spec['answer']))}%", "~%-100%")

    def excel_read(self, row: ExcelRow) -> dict[str, Any]:
        options, answer = _read_excel(row)
        if answer is not None and len(answer) < 2:
            row.problem(f"多选题至少需要两个正确答案，填写了“{row.answer}”")
        return {"options": options, "answer": answer}

    def excel_write(self, spec: dict[str, Any]) -> ExcelCells:
        return ExcelCells(letters(spec["answer"]), spec["options"])

    def file_write(self, spec: dict[str, Any]) -> dict[str, Any]:
        return {**super().file_write(spec), "answer": letters(spec["answer"])}
