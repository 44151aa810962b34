"""数值题: a number within a tolerance or a range; several answers, each with its own credit.

Grading follows Moodle's numerical question (``question/type/numerical``) with absolute
tolerances: an answer ``3.14±0.01`` accepts 3.13 to 3.15, a range ``1..5`` accepts 1 to 5,
both ends included, and ``*`` accepts any number (Moodle's catch-all, used for feedback on
wrong answers). When a response matches several answers the best-crediting one wins; Moodle
takes the first match in the listed order, which is the same for files that list the full-
credit answer first and never scores a trainee lower. Numbers are compared as decimals, so
a tolerance edge is not lost to binary rounding.

Units: a question may declare units (``units: [米, m]``), all names of the same unit (no
multipliers such as km → m). A unit is always optional for the trainee, as in Moodle's
default "units are optional" mode: ``3.14``, ``3.14米`` and ``3.14 m`` are all accepted, a
unit the question does not declare gets no credit, and so does any unit when none is
declared. Typing on a phone is forgiving: full-width digits, a Chinese decimal point (。or
．), full-width ＋/－, thousands commas and surrounding spaces are all understood.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.problems import Problem
from lms.questions.base import Grade, QuestionType, SpecError
from lms.questions.excel_form import ExcelCells, ExcelRow
from lms.questions.gift_form import GiftBlock
from lms.questions.numerical_form import (
    gift_answers,
    gift_block,
    parse_line,
    written_line,
)
from lms.questions.question_form import FormField, replace_fields

MAX_LENGTH = 100
OTHER = "其他"  # the analysis label of a response no answer matches
_NUMBER = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(.*)")
_THOUSANDS = re.compile(r"^([+-]?\d{1,3})((?:,\d{3})+)(?=\D|$)")


def fold(text: str) -> str:
    """Full-width forms to ASCII, Chinese decimal points to ``.``, spaces removed."""
    folded = unicodedata.normalize("NFKC", text).replace("。", ".").replace("\u2212", "-")
    return "".join(folded.split())


def read_number(text: str) -> tuple[Decimal, str] | None:
    """(number, unit text after it) from what a trainee typed, or None if it is no number."""
    folded = fold(text)
    folded = _THOUSANDS.sub(lambda m: m.group(1) + m.group(2).replace(",", ""), folded)
    match = _NUMBER.fullmatch(folded)
    if not match:
        return None
    try:
        value = Decimal(match.group(1))
    except InvalidOperation:
        return None
    return (value, match.group(2)) if value.is_finite() else None


class Numerical(QuestionType):
    name = "numerical"
    label = _l("Numerical")
    template = "lms/questions/numerical.html"
    keys = (QuestionType.keys - {"options"}) | {"units"}
    #: The key holds the accepted answers and the units: a question row stores only the
    #: usual columns, and units listed as options would show as A, B… in reviews.
    gift_kinds = frozenset({"numerical"})
    excel_labels = ("数值题", "数值", "计算题")
    excel_example = {
        "prompt": "中国共产党第一次全国代表大会于哪一年召开？",
        "answer": ["1921", "1920..1922 (50%)"],
        "explanation": "几个答案用“；”隔开；3.14±0.01 表示允许误差，1920..1922 表示范围，"
                       "(50%) 表示得一半分；选项列可填单位（学员可不写单位）。",
        "difficulty": "easy", "topic": "党史"}

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        answer = raw.get("answer")
        if isinstance(answer, (str, int, float)) and not isinstance(answer, bool):
            answer = [answer]
        if not isinstance(answer, list) or not answer:
            raise SpecError("answer", "needs at least one accepted number, such as 3.14±0.01")
        key = []
        for number, line in enumerate(answer, start=1):
            if isinstance(line, dict):
                line = written_line(line)
            if isinstance(line, bool) or not isinstance(line, (str, int, float)):
                raise SpecError("answer", "answer %(number)s must be text such as 3.14±0.01",
                                number=number)
            try:
                key.append(parse_line(str(line)))
            except ValueError as error:
                raise SpecError("answer", "answer %(number)s: %(problem)s", number=number,
                                problem=error) from None
        if not any(entry["credit"] == 100 for entry in key):
            raise SpecError("answer", "one answer must give full credit (100%)")
        units = raw.get("units") or []
        if isinstance(units, str):
            units = re.split(r"[|;；,，、]", units)
        if not isinstance(units, list) or not all(isinstance(u, str) for u in units):
            raise SpecError("units", "must be a list of unit names, such as 米 and m")
        spec["answer"] = {"accepted": key,
                          "units": list(dict.fromkeys(u.strip() for u in units if u.strip()))}
        return spec

    def form_fields(self) -> list[FormField]:
        return replace_fields(
            super().form_fields(),
            FormField("answer", "lines", _l("Accepted answers"),
                      _l("One per line: a number with an optional tolerance (3.14±0.01), or a "
                         "range (1..5); add (50%) for partial credit and # then feedback, such "
                         "as 3.1±0.1 (50%) # Close."), required=True),
            FormField("units", "lines", _l("Units"),
                      _l("Optional, one per line, such as 米 and m; trainees may leave the "
                         "unit out.")))

    def file_write(self, spec: dict[str, Any]) -> dict[str, Any]:
        written = super().file_write(spec)
        written["answer"] = [written_line(entry) for entry in spec["answer"]["accepted"]]
        if spec["answer"]["units"]:
            written["units"] = list(spec["answer"]["units"])
        return written

    def public_spec(self, spec: dict[str, Any]) -> dict[str, Any]:
        return {**super().public_spec(spec), "units": spec["answer"]["units"]}

    def parse_response(self, values: list[str]) -> str | None:
        """The text as typed (trimmed); it is read as a number when graded, so a typo is
        shown back to the trainee instead of vanishing."""
        text = " ".join((values[0] if values else "").split())[:MAX_LENGTH]
        return text or None

    def grade(self, spec: dict[str, Any], response: str) -> Grade:
        points = spec["points"]
        read = read_number(response or "")
        if read is None:
            return Grade(0, points, _("That is not a number."))
        value, unit = read
        units = {fold(u) for u in spec["answer"]["units"]}
        if unit and unit not in units:
            return Grade(0, points, _("The unit %(unit)s is not accepted here.", unit=unit))
        entry = best_match(spec["answer"]["accepted"], value)
        if entry is None:
            return Grade(0, points)
        return Grade(round(points * entry["credit"] / 100, 4), points, entry["feedback"])

    def describe_answer(self, spec: dict[str, Any]) -> str:
        entry = next(e for e in spec["answer"]["accepted"] if e["credit"] == 100)
        unit = (spec["answer"]["units"] or [""])[0]
        return written_line({**entry, "feedback": ""}).strip() + (f" {unit}" if unit else "")

    def describe_response(self, spec: dict[str, Any], response: str) -> str:
        return response

    def analysis_labels(self, spec: dict[str, Any], response: str | None):
        accepted = spec["answer"]["accepted"]
        offered = tuple(dict.fromkeys(_label(e) for e in accepted)) + (OTHER,)
        if response is None:
            return (), offered
        read = read_number(response)
        entry = best_match(accepted, read[0]) if read else None
        return ((_label(entry),) if entry else (OTHER,)), offered

    def analysis_key(self, spec: dict[str, Any]) -> tuple[str, ...]:
        """Answers giving full credit; a partly credited one is not the key."""
        return tuple(dict.fromkeys(_label(e) for e in spec["answer"]["accepted"]
                                   if e["credit"] == 100))

    def gift_read(self, block: GiftBlock) -> dict[str, Any]:
        """Per-answer feedback stays with its answer and is shown when that answer matches."""
        return {"prompt": block.prompt(), "answer": gift_answers(block),
                "explanation": block.explanation([])}

    def gift_write(self, spec: dict[str, Any]) -> str:
        return gift_block(spec)

    def excel_read(self, row: ExcelRow) -> dict[str, Any]:
        """正确答案: answers separated by ；or line breaks; 选项A… hold the units, if any."""
        lines = [part.strip() for part in re.split(r"[;；\n]", row.answer) if part.strip()]
        if not lines:
            row.problem(Problem("the answer is missing"))
        for line in lines:
            try:
                parse_line(line)
            except ValueError:
                row.problem(Problem("the numerical answer “%(answer)s” must be a number, such as "
                                    "3.14, 3.14±0.01 or 1..5", answer=line))
        return {"answer": lines, "units": [u for u in row.options if u]}

    def excel_write(self, spec: dict[str, Any]) -> ExcelCells:
        lines = [written_line(entry) for entry in spec["answer"]["accepted"]]
        if any(re.search(r"[;；\n]", line) for line in lines):
            raise ValueError("a numerical answer's feedback contains ; or a line break")
        return ExcelCells("；".join(lines), list(spec["answer"]["units"]))


def best_match(entries: list[dict[str, Any]], value: Decimal) -> dict[str, Any] | None:
    """The accepted answer giving the most credit among those ``value`` falls within."""
    matching = [e for e in entries if _within(e, value)]
    return max(matching, key=lambda e: e["credit"], default=None)


def _within(entry: dict[str, Any], value: Decimal) -> bool:
    if "min" in entry:
        return Decimal(entry["min"]) <= value <= Decimal(entry["max"])
    if entry["value"] == "*":
        return True
    centre, tolerance = Decimal(entry["value"]), Decimal(entry["tolerance"])
    return centre - tolerance <= value <= centre + tolerance


def _label(entry: dict[str, Any]) -> str:
    return written_line({**entry, "credit": 100, "feedback": ""}).strip()
