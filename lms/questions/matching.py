"""匹配题 (连线题): match each item to its answer, one select per item, as Moodle's matching
question (``question/type/match``) does.

A definition lists pairs, ``item -> match`` (lms.questions.matching_form), 2 to 10 of them,
plus any distractors (``-> 干扰项``). Several items may share a match, and matches with the
same text are one choice, as in Moodle. The normalised spec keeps the items as ``options``
(letters A, B… in reviews) and puts the matches and the key in ``answer``: the matches
sorted by text, so their stored order says nothing about the pairing, and ``key[i]`` the
index of item ``i``'s match. Each attempt shuffles the matches (always, as Moodle does) and
pins that order (``match_order``) with the key remapped; the items keep their written order.

Scoring is the quiz's ``matching_scoring``, pinned in the attempt as ``scoring``: per_pair
(the default, Moodle's) earns points × right pairs / items; all_or_nothing earns full marks
only when every pair is right. Every item must be matched before submitting, as Moodle asks.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.questions.base import Grade, QuestionType, SpecError, letters
from lms.questions.excel_form import ExcelCells, ExcelRow
from lms.questions.gift_form import GiftBlock
from lms.questions.matching_form import (
    excel_cells,
    excel_lines,
    gift_block,
    gift_lines,
    has_arrow,
    split_line,
    written_lines,
)
from lms.questions.question_form import FormField, replace_fields

if TYPE_CHECKING:
    from lms.quiz_settings import QuizSettings

MAX_PAIRS = 10
MAX_DISTRACTORS = 10


def _pair(line: Any) -> tuple[str, str] | None:
    """(item, match) from ``"item -> match"`` or ``[item, match]`` (``null`` item: distractor)."""
    if isinstance(line, str):
        return split_line(line)
    if isinstance(line, list) and len(line) == 2 and all(
            side is None or isinstance(side, (str, int, float)) and not isinstance(side, bool)
            for side in line):
        item, match = ("" if side is None else " ".join(str(side).split()) for side in line)
        return item, match
    return None


class Matching(QuestionType):
    name = "matching"
    label = _l("Matching")
    template = "lms/questions/matching.html"
    #: The matches are written beside their items; shown in that order they would pair up.
    always_shuffle = True
    keys = QuestionType.keys - {"answer"}
    gift_kinds = frozenset({"matching"})
    excel_labels = ("匹配题", "连线题", "匹配")
    excel_example = {
        "prompt": "请将下列会议与其召开的年份连线。",
        "options": ["中国共产党第一次全国代表大会 -> 1921年", "遵义会议 -> 1935年", "-> 1949年"],
        "explanation": "每个选项列填写一对“题目 -> 答案”；“→ 答案”是没有题目的干扰项。"
                       "学员作答时答案顺序会打乱，每连对一对得相应部分分。",
        "points": 2, "difficulty": "easy", "topic": "党史"}

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        lines = raw.get("options")
        if not isinstance(lines, list) or not lines:
            raise SpecError("options", "must list the pairs, one “item -> match” each")
        items: list[str] = []
        paired: list[str] = []
        distractors: list[str] = []
        for number, line in enumerate(lines, start=1):
            pair = _pair(line)
            if pair is None:
                raise SpecError("options", "line %(number)s must be an item, ->, then its "
                                "match, such as 党的最高领导机关 -> 党的全国代表大会",
                                number=number)
            item, match = pair
            if not match:
                raise SpecError("options", "line %(number)s has no match after the arrow",
                                number=number)
            if has_arrow(item):
                raise SpecError("options", "line %(number)s: an item cannot contain an arrow",
                                number=number)
            if item in items:
                raise SpecError("options", "two items read “%(item)s”", item=item)
            if item:
                items.append(item)
                paired.append(match)
            else:
                distractors.append(match)
        if not 2 <= len(items) <= MAX_PAIRS:
            raise SpecError("options", "needs 2 to %(n)s pairs of an item and its match",
                            n=MAX_PAIRS)
        if len(distractors) > MAX_DISTRACTORS:
            raise SpecError("options", "has more than %(n)s distractors", n=MAX_DISTRACTORS)
        matches = sorted(set(paired) | set(distractors))
        if len(matches) < 2:
            raise SpecError("options", "needs at least two different matches")
        spec["options"] = items
        spec["answer"] = {"matches": matches, "key": [matches.index(m) for m in paired]}
        return spec

    def form_fields(self) -> list[FormField]:
        return replace_fields(
            super().form_fields(),
            FormField("options", "lines", _l("Pairs"),
                      _l("One pair per line: an item, ->, then its match, such as 党的最高领导机关 "
                         "-> 党的全国代表大会; 2 to 10 pairs. A line starting with -> adds a "
                         "wrong match (a distractor). Trainees choose a match for each item "
                         "from the matches, shuffled."), required=True))

    def file_write(self, spec: dict[str, Any]) -> dict[str, Any]:
        written = super().file_write(spec)
        written.pop("answer", None)
        return {**written, "options": written_lines(spec)}

    def public_spec(self, spec: dict[str, Any]) -> dict[str, Any]:
        return {**super().public_spec(spec), "matches": list(spec["answer"]["matches"])}

    def shuffle(self, spec: dict[str, Any], rng: random.Random) -> dict[str, Any]:
        matches, key = spec["answer"]["matches"], spec["answer"]["key"]
        order = list(range(len(matches)))
        rng.shuffle(order)
        return {**spec, "match_order": order,
                "answer": {"matches": [matches[i] for i in order],
                           "key": [order.index(k) for k in key]}}

    def apply_quiz_settings(self, spec: dict[str, Any], settings: QuizSettings) -> dict[str, Any]:
        return {**spec, "scoring": settings.matching_scoring}

    def parse_response(self, values: list[str]) -> list[int] | None:
        """The index of the match chosen for each item, in shown order; None unless every
        item has one."""
        if not values or not all(v.isascii() and v.isdigit() and len(v) < 4 for v in values):
            return None
        return [int(v) for v in values]

    def grade(self, spec: dict[str, Any], response: list[int]) -> Grade:
        points, key = spec["points"], spec["answer"]["key"]
        if len(response) != len(key):
            return Grade(0, points)
        right = sum(given == wanted for given, wanted in zip(response, key, strict=True))
        if right == len(key):
            return Grade(points, points)
        feedback = _("%(right)s of %(count)s pairs are right.", right=right, count=len(key))
        if spec.get("scoring", "per_pair") == "all_or_nothing":
            return Grade(0, points, feedback)
        return Grade(round(points * right / len(key), 2), points, feedback)

    def describe_answer(self, spec: dict[str, Any]) -> str:
        return self.describe_response(spec, spec["answer"]["key"])

    def describe_response(self, spec: dict[str, Any], response: list[int]) -> str:
        return "；".join(_pair_label(spec, i, chosen) for i, chosen in enumerate(response))

    def analysis_labels(self, spec: dict[str, Any], response: list[int] | None):
        """One label per item and match, ``A→match``: how often each item got each match."""
        offered = tuple(_pair_label(spec, i, k) for i, k in enumerate(spec["answer"]["key"]))
        chosen = tuple(_pair_label(spec, i, c) for i, c in enumerate(response or []))
        return chosen, offered

    def analysis_key(self, spec: dict[str, Any]) -> tuple[str, ...]:
        """Every offered label is an item with its right match."""
        return self.analysis_labels(spec, None)[1]

    def gift_read(self, block: GiftBlock) -> dict[str, Any]:
        return {"prompt": block.prompt(), "options": gift_lines(block),
                "explanation": block.explanation([])}

    def gift_write(self, spec: dict[str, Any]) -> str:
        return gift_block(spec)

    def excel_read(self, row: ExcelRow) -> dict[str, Any]:
        """选项A… hold the pairs, ``item -> match`` each (``-> match``: a distractor); 正确答案
        is not read, the pairs are the answer."""
        return {"options": excel_lines(row)}

    def excel_write(self, spec: dict[str, Any]) -> ExcelCells:
        return excel_cells(spec)


def _pair_label(spec: dict[str, Any], item: int, match: int) -> str:
    matches = spec["answer"]["matches"]
    return f"{letters([item])}→{matches[match] if 0 <= match < len(matches) else '?'}"
