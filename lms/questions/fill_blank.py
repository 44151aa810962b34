"""填空题: one or more blanks written ``____`` in the prompt, several accepted answers each.

An accepted answer may earn partial credit and carry feedback (lms.questions.fill_blank_form),
graded as Moodle's short answer: a blank earns the best credit among the answers the
response matches (Moodle takes the first match, the same when the full-credit answer comes
first, and never lower), compared ignoring case as Moodle does by default, and here width,
spaces and punctuation too. The question earns the credit of its weakest blank, so a
question without partial credit stays all or nothing.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.problems import Problem
from lms.questions import fill_blank_form as form
from lms.questions.base import Grade, QuestionType, SpecError
from lms.questions.excel_form import ExcelCells, ExcelRow
from lms.questions.gift_form import GiftBlock, escape, general_feedback, question_text
from lms.questions.question_form import FormField, replace_fields, values_from_written

BLANK = re.compile(r"_{3,}")
EMPTY_BRACKETS = re.compile(r"[（(][\s\u3000]*[)）]")  # a blank as a sheet writes it: （  ）


def normalise(text: str) -> str:
    """Compare answers ignoring full/half width, case, spaces and punctuation."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(
        ch for ch in folded
        if not ch.isspace() and not unicodedata.category(ch).startswith(("P", "S"))
    )


class FillBlank(QuestionType):
    name = "fill_blank"
    label = _l("Fill in the blank")
    template = "lms/questions/fill_blank.html"
    gift_kinds = frozenset({"short_answer"})
    excel_labels = ("填空题", "填空")
    excel_example = {
        "prompt": "“三会一课”中的“一课”是指____；主题党日一般每____开展一次。",
        "answer": [["党课"], ["月", "个月"]],
        "explanation": "两个空的答案用“|”隔开；一个空有多种写法时用“;”隔开。", "points": 2,
        "difficulty": "medium", "topic": "组织生活"}

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        blanks = len(BLANK.findall(spec["prompt"]))
        if blanks == 0:
            raise SpecError("prompt", "mark each blank with ____ (four underscores)")
        answer = raw.get("answer")
        if isinstance(answer, str):
            answer = [answer]
        if not isinstance(answer, list) or len(answer) != blanks:
            raise SpecError("answer", "needs one entry per blank: the prompt has %(n)s",
                            n=blanks)
        key = []
        for number, entry in enumerate(answer, start=1):
            try:
                accepted = form.read_blank(entry)
            except Problem as problem:
                raise SpecError("answer", "blank %(number)s: %(problem)s", number=number,
                                problem=problem) from None
            texts = [form.text_of(a) for a in accepted]
            if not accepted or not all(t == form.ANY or normalise(t) for t in texts):
                raise SpecError("answer", "blank %(number)s has no accepted answer",
                                number=number)
            if not any(form.credit_of(a) == 100 for a in accepted):
                raise SpecError("answer", "blank %(number)s needs an answer with full credit",
                                number=number)
            key.append(accepted)
        spec["answer"] = key
        return spec

    def form_fields(self) -> list[FormField]:
        return replace_fields(
            super().form_fields(),
            FormField("prompt", "textarea", _l("Question"),
                      _l("Mark each blank with ____ (four underscores)."), required=True),
            FormField("answer", "lines", _l("Accepted answers"),
                      _l("One line per blank, in order; several answers accepted for the same "
                         "blank are separated by |, such as 党员|共产党员. Optional: (50%) "
                         "after an answer for half credit, and a space, # and feedback shown "
                         "to trainees who give it, such as 党员|群众 (0%) # 群众不是党员."),
                      required=True),
            drop=["options"])

    def form_values(self, written: dict[str, Any]) -> dict[str, str]:
        """One line per blank, partial credit and feedback written out (an answer holding
        ``|`` cannot be told apart in a line: the form shows it as written)."""
        blanks = written.get("answer") or []
        lines = [form.written_line(form.read_blank(blank)) for blank in
                 (blanks if isinstance(blanks, list) else [blanks])]
        return values_from_written(self.form_fields(), {**written, "answer": lines or None})

    def public_spec(self, spec: dict[str, Any]) -> dict[str, Any]:
        parts = BLANK.split(spec["prompt"])
        return {**super().public_spec(spec), "parts": parts, "blanks": len(parts) - 1}

    def parse_response(self, values: list[str]) -> list[str] | None:
        texts = [v.strip()[:200] for v in values]
        if not texts or not all(texts):
            return None
        return texts

    def grade(self, spec: dict[str, Any], response: list[str]) -> Grade:
        key, points = spec["answer"], spec["points"]
        if len(response) != len(key):
            return Grade(0, points)
        matched = [_best_match(accepted, given)
                   for given, accepted in zip(response, key, strict=True)]
        credits = [form.credit_of(m) if m is not None else 0 for m in matched]
        notes = [form.feedback_of(m) if m is not None else "" for m in matched]
        wrong = [str(number) for number, credit in enumerate(credits, start=1) if not credit]
        said = [_("Blank %(numbers)s is not right.", numbers="、".join(wrong))] \
            if wrong and len(key) > 1 else []
        if len(key) == 1:
            said += notes
        else:
            said += [_("Blank %(number)s: %(feedback)s", number=n, feedback=note)
                     for n, note in enumerate(notes, start=1) if note]
        worst = min(credits)
        earned = points if worst == 100 else round(points * worst / 100, 4) if worst else 0
        return Grade(earned, points, " ".join(text for text in said if text))

    def describe_answer(self, spec: dict[str, Any]) -> str:
        return "；".join(next(form.text_of(a) for a in accepted if form.credit_of(a) == 100)
                        for accepted in spec["answer"])

    def describe_response(self, spec: dict[str, Any], response: list[str]) -> str:
        return "；".join(response)

    def gift_read(self, block: GiftBlock) -> dict[str, Any]:
        """A short answer is one blank; each answer keeps its credit and feedback."""
        entries = form.gift_entries(block)
        return {"prompt": block.prompt(blank_at_end=True), "answer": [form.written_blank(entries)],
                "explanation": block.explanation([])}

    def gift_write(self, spec: dict[str, Any]) -> str:
        """The first blank becomes the answer block; GIFT has no second one, so say so."""
        key, prompt, comments = spec["answer"], spec["prompt"], []
        if len(key) > 1:
            rest = "; ".join(f"blank {n} = {form.written_line(a)}"
                             for n, a in enumerate(key[1:], 2))
            comments.append(f"// {len(key)} blanks: GIFT short answer has one, so the others "
                            f"stay as ____ ({rest})".replace("\n", " "))
        block = "{" + form.gift_answers(key[0]) + general_feedback(spec) + "}"
        match = BLANK.search(prompt)
        before, after = (prompt[:match.start()], prompt[match.end():]) if match else (prompt, "")
        if not after.strip():
            body = f"{question_text(before.rstrip())} {block}"
        else:
            body = question_text(before) + block + escape(after)
        return "\n".join(comments + [body])

    def excel_read(self, row: ExcelRow) -> dict[str, Any]:
        """``|`` separates blanks, ``;``/``；`` answers of one blank; ``（  ）`` is a blank too."""
        prompt = EMPTY_BRACKETS.sub("____", row.prompt)
        return {"prompt": prompt, "answer": _blank_answer(prompt, row)}

    def excel_write(self, spec: dict[str, Any]) -> ExcelCells:
        """Blanks separated by ``|``, a blank's answers by ``;``, as written in a line."""
        cells = [form.written_line(alts, ";") for alts in spec["answer"]]
        if any(re.search(r"[|｜\n]", cell) or not form.reads_back(cell, alts)
               for cell, alts in zip(cells, spec["answer"], strict=True)):
            raise ValueError("a fill-in answer contains | or ; (or reads differently in a cell)")
        return ExcelCells("|".join(cells))

    def file_write(self, spec: dict[str, Any]) -> dict[str, Any]:
        """A blank's answers as the line ``甲|乙 (50%)``, or as a list when the line would
        read differently (an answer containing | or ;)."""
        answer = [form.written_blank(alts) for alts in spec["answer"]]
        return {**super().file_write(spec), "answer": answer}


def _best_match(accepted: list[form.Item], given: str) -> form.Item | None:
    """The answer giving the most credit among those ``given`` matches (``*`` matches any)."""
    folded = normalise(given)
    matching = [a for a in accepted
                if form.text_of(a) == form.ANY or normalise(form.text_of(a)) == folded]
    return max(matching, key=form.credit_of, default=None)


def _blank_answer(prompt: str, row: ExcelRow) -> list[str]:
    blanks = len(BLANK.findall(prompt))
    if blanks == 0:
        row.problem(Problem("the question text has no blank: mark each blank with ____ or (  )"))
        return []
    if not row.answer:
        row.problem(Problem("the answer is missing"))
        return []
    parts = re.split(r"[|｜]", row.answer)
    if len(parts) != blanks:
        row.problem(Problem("the question text has %(blanks)s blanks but the answer has "
                            "%(answers)s (separate blanks with “|”)", blanks=blanks,
                            answers=len(parts)))
        return []
    key = []
    for number, part in enumerate(parts, start=1):
        if not part.strip(" \t;；"):
            row.problem(Problem("blank %(number)s has no answer", number=number))
        key.append(part)  # a line, as a course file writes a blank: (50%) and # feedback too
    return key
