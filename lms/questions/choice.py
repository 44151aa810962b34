"""单选题 and 多选题, each option with optional feedback (lms.questions.option_feedback)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.problems import Problem
from lms.questions import choice_form, option_feedback
from lms.questions.base import Grade, QuestionType, SpecError, letters
from lms.questions.choice_form import read_cells as _read_excel  # noqa: F401 (ordering's)
from lms.questions.excel_form import ExcelCells, ExcelRow
from lms.questions.gift_form import GiftBlock, percent
from lms.questions.question_form import FormField, replace_fields

if TYPE_CHECKING:
    from lms.quiz_settings import QuizSettings

MAX_OPTIONS = 8


def _load_options(raw: dict[str, Any]) -> list[str]:
    options = raw.get("options")
    if not isinstance(options, list) or len(options) < 2:
        raise SpecError("options", "needs at least two options")
    if len(options) > MAX_OPTIONS:
        raise SpecError("options", "has more than %(n)s options", n=MAX_OPTIONS)
    cleaned = []
    for number, option in enumerate(options, start=1):
        if isinstance(option, bool) or not isinstance(option, (str, int, float)):
            raise SpecError("options", "option %(n)s must be text", n=number)
        text = str(option).strip()
        if not text:
            raise SpecError("options", "option %(n)s is empty", n=number)
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
            raise SpecError("answer", "%(letter)s is not one of the options A–%(last)s",
                            letter=letter, last=chr(64 + count))
        if index in indexes:
            raise SpecError("answer", "%(letter)s is given twice", letter=letter)
        indexes.append(index)
    return sorted(indexes)


def _labels_as_written(spec: dict[str, Any],
                       chosen: list[int]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Option letters as in the course file, whatever order the attempt showed them in."""
    order = spec.get("option_order") or list(range(len(spec["options"])))
    labels = tuple(letters([order[i]]) for i in sorted(chosen, key=lambda i: order[i]))
    return labels, tuple(letters([i]) for i in range(len(order)))


def _choice_fields(fields: list[FormField], answer_help: str) -> list[FormField]:
    return option_feedback.with_field(replace_fields(
        fields,
        FormField("options", "lines", _l("Options"),
                  _l("One option per line, 2 to 8; the first is A, the next B, and so on."),
                  required=True),
        FormField("answer", "text", _l("Correct answer"), answer_help, required=True)),
        _l("Optional: a line per option that has feedback, its letter first, such as "
           "B：党章总纲明确规定……; shown after submission to trainees who chose it."))


def _load_choice(raw: dict[str, Any], spec: dict[str, Any]) -> tuple[list[int], list[str] | None]:
    """The right options' indexes and the feedback per option of a definition."""
    spec["options"] = _load_options(raw)
    indexes = _parse_letters(raw.get("answer"), len(spec["options"]))
    labels = [letters([i]) for i in range(len(spec["options"]))]
    return indexes, option_feedback.read(raw, labels)


def _parse_indexes(values: list[str], count: int) -> list[int] | None:
    picked = set()
    for value in values:
        if not (value.isascii() and value.isdigit()) or int(value) >= count:
            return None
        picked.add(int(value))
    return sorted(picked) or None


class SingleChoice(QuestionType):
    name = "single_choice"
    label = _l("Single choice")
    template = "lms/questions/choice.html"
    keys = QuestionType.keys | {"feedback"}
    gift_kinds = frozenset({"choice"})
    excel_labels = ("单选题", "单选")
    excel_example = {
        "prompt": "党的最高理想和最终目标是（  ）。",
        "options": ["实现共产主义", "全面建成小康社会", "实现社会主义现代化", "实现中华民族伟大复兴"],
        "answer": "A", "explanation": "党章总纲明确：党的最高理想和最终目标是实现共产主义。",
        "difficulty": "easy", "topic": "党章"}

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        indexes, notes = _load_choice(raw, spec)
        if len(indexes) != 1:
            raise SpecError("answer", "a single-choice question has exactly one answer")
        spec["answer"] = option_feedback.join(indexes[0], notes)
        return spec

    def form_fields(self) -> list[FormField]:
        return _choice_fields(super().form_fields(), _l("The letter of the right option, such as B."))

    def form_values(self, written: dict[str, Any]) -> dict[str, str]:
        return choice_form.form_values(self.form_fields(), written)

    def remap_answer(self, answer: Any, order: list[int]) -> Any:
        key, notes = option_feedback.split(answer)
        return option_feedback.join(order.index(key), option_feedback.remap(notes, order))

    def parse_response(self, values: list[str]) -> int | None:
        picked = _parse_indexes(values[:1], 10**6)
        return picked[0] if picked else None

    def grade(self, spec: dict[str, Any], response: int) -> Grade:
        """Full marks for the right option; the chosen option's feedback either way."""
        key, notes = option_feedback.split(spec["answer"])
        return Grade(spec["points"] if response == key else 0, spec["points"],
                     option_feedback.chosen(notes, [response]))

    def describe_answer(self, spec: dict[str, Any]) -> str:
        return letters([option_feedback.key(spec["answer"])])

    def describe_response(self, spec: dict[str, Any], response: int) -> str:
        return letters([response])

    def analysis_labels(self, spec: dict[str, Any], response: int | None):
        return _labels_as_written(spec, [] if response is None else [response])

    def analysis_key(self, spec: dict[str, Any]) -> tuple[str, ...]:
        return _labels_as_written(spec, [option_feedback.key(spec["answer"])])[0]

    def gift_read(self, block: GiftBlock) -> dict[str, Any] | None:
        single, raw = choice_form.read_gift(block)
        return raw if single else None

    def gift_write(self, spec: dict[str, Any]) -> str:
        return choice_form.write_gift(spec, [option_feedback.key(spec["answer"])], "=", "~")

    def excel_read(self, row: ExcelRow) -> dict[str, Any]:
        raw = choice_form.read_excel(row)
        if raw["answer"] is not None and len(raw["answer"]) != 1:
            row.problem(Problem("a single-choice question has exactly one answer; “%(answer)s” "
                                "was given", answer=row.answer))
        return raw

    def excel_write(self, spec: dict[str, Any]) -> ExcelCells:
        return choice_form.excel_cells(spec)

    def file_write(self, spec: dict[str, Any]) -> dict[str, Any]:
        answer = letters([option_feedback.key(spec["answer"])])
        return {**super().file_write(spec), "answer": answer,
                **choice_form.written_feedback(spec)}


class MultipleChoice(QuestionType):
    """Scored by the quiz's mode, carried in the attempt's snapshot as ``scoring``.

    all_or_nothing (少选不得分, default): full marks only for exactly the right set;
    per_option (少选得部分分): a share per right option chosen; half (少选得一半分): half
    marks for a correct but incomplete choice. Any wrong option scores 0 in every mode.
    One right option is allowed (Moodle's multiple-response question with a single 100 %
    answer): checkboxes do not tell the trainee how many options are right.
    """

    name = "multiple_choice"
    label = _l("Multiple choice")
    template = "lms/questions/choice.html"
    keys = QuestionType.keys | {"feedback"}
    gift_kinds = frozenset({"choice"})
    excel_labels = ("多选题", "多选")
    excel_example = {
        "prompt": "“三会一课”中的“三会”是指（  ）。",
        "options": ["支部党员大会", "支部委员会", "党小组会", "党员代表大会"], "answer": "ABC",
        "explanation": "“三会”指支部党员大会、支部委员会和党小组会，“一课”指党课。",
        "points": 2, "difficulty": "medium", "topic": "组织生活"}

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        indexes, notes = _load_choice(raw, spec)
        spec["answer"] = option_feedback.join(indexes, notes)
        return spec

    def form_fields(self) -> list[FormField]:
        return _choice_fields(super().form_fields(),
                              _l("The letters of every right option, such as ACD."))

    def form_values(self, written: dict[str, Any]) -> dict[str, str]:
        return choice_form.form_values(self.form_fields(), written)

    def public_spec(self, spec: dict[str, Any]) -> dict[str, Any]:
        return {**super().public_spec(spec), "multiple": True}

    def remap_answer(self, answer: Any, order: list[int]) -> Any:
        key, notes = option_feedback.split(answer)
        return option_feedback.join(sorted(order.index(i) for i in key),
                                    option_feedback.remap(notes, order))

    def parse_response(self, values: list[str]) -> list[int] | None:
        return _parse_indexes(values, 10**6)

    def grade(self, spec: dict[str, Any], response: list[int]) -> Grade:
        """Scored by the mode; the feedback of each chosen option after its letter."""
        points = spec["points"]
        answer, notes = option_feedback.split(spec["answer"])
        key, chosen = set(answer), set(response)
        said = option_feedback.chosen(notes, sorted(chosen),
                                      [letters([i]) for i in range(len(notes or []))])
        if not chosen or not chosen <= key:
            return Grade(0, points, said)
        if chosen == key:
            return Grade(points, points, said)
        mode = spec.get("scoring", "all_or_nothing")
        missed = " ".join(filter(None, [said, _("Not every correct option was chosen.")]))
        if mode == "per_option":
            return Grade(round(points * len(chosen) / len(key), 2), points, missed)
        if mode == "half":
            return Grade(points / 2, points, missed)
        return Grade(0, points, missed)

    def describe_answer(self, spec: dict[str, Any]) -> str:
        return letters(option_feedback.key(spec["answer"]))

    def describe_response(self, spec: dict[str, Any], response: list[int]) -> str:
        return letters(response)

    def analysis_labels(self, spec: dict[str, Any], response: list[int] | None):
        return _labels_as_written(spec, response or [])

    def analysis_key(self, spec: dict[str, Any]) -> tuple[str, ...]:
        return _labels_as_written(spec, list(option_feedback.key(spec["answer"])))[0]

    def apply_quiz_settings(self, spec: dict[str, Any], settings: QuizSettings) -> dict[str, Any]:
        return {**spec, "scoring": settings.multiple_choice_scoring}

    def gift_read(self, block: GiftBlock) -> dict[str, Any] | None:
        single, raw = choice_form.read_gift(block)
        return None if single else raw

    def gift_write(self, spec: dict[str, Any]) -> str:
        """Moodle's checkboxes: the right options share 100 %, each wrong one costs it all
        (no ``=``, so one right option reads back as checkboxes too)."""
        key = option_feedback.key(spec["answer"])
        return choice_form.write_gift(spec, key, f"~%{percent(len(key))}%", "~%-100%")

    def excel_read(self, row: ExcelRow) -> dict[str, Any]:
        """The Chinese exam convention: a 多选题 row has at least two right answers, so a
        single letter is reported as the typing slip it usually is."""
        raw = choice_form.read_excel(row)
        if raw["answer"] is not None and len(raw["answer"]) < 2:
            row.problem(Problem("a multiple-choice question needs at least two answers; "
                                "“%(answer)s” was given", answer=row.answer))
        return raw

    def excel_write(self, spec: dict[str, Any]) -> ExcelCells:
        """Refuses a single right option: the row would be refused on import."""
        if len(option_feedback.key(spec["answer"])) < 2:
            raise ValueError("a 多选题 with one right option cannot be an Excel row "
                             "(the 多选题 rule needs two)")
        return choice_form.excel_cells(spec)

    def file_write(self, spec: dict[str, Any]) -> dict[str, Any]:
        answer = letters(option_feedback.key(spec["answer"]))
        return {**super().file_write(spec), "answer": answer,
                **choice_form.written_feedback(spec)}
