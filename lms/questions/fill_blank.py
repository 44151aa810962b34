"""填空题: one or more blanks written ``____`` in the prompt, several accepted answers each."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.questions.base import Grade, QuestionType, SpecError
from lms.questions.excel_form import ExcelCells, ExcelRow
from lms.questions.gift_form import GiftBlock, GiftSkip, escape, general_feedback, question_text
from lms.questions.question_form import FormField, replace_fields

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

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        spec = super().load_spec(raw)
        blanks = len(BLANK.findall(spec["prompt"]))
        if blanks == 0:
            raise SpecError("prompt", "mark each blank with ____ (four underscores)")
        answer = raw.get("answer")
        if isinstance(answer, str):
            answer = [answer]
        if not isinstance(answer, list) or len(answer) != blanks:
            raise SpecError("answer", f"needs one entry per blank: the prompt has {blanks}")
        key = []
        for number, entry in enumerate(answer, start=1):
            accepted = entry if isinstance(entry, list) else re.split(r"[|;；]", str(entry))
            accepted = [str(a).strip() for a in accepted if str(a).strip()]
            if not accepted or not all(normalise(a) for a in accepted):
                raise SpecError("answer", f"blank {number} has no accepted answer")
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
                         "blank are separated by |, such as 党员|共产党员."), required=True),
            drop=["options"])

    def public_spec(self, spec: dict[str, Any]) -> dict[str, Any]:
        parts = BLANK.split(spec["prompt"])
        return {**super().public_spec(spec), "parts": parts, "blanks": len(parts) - 1}

    def parse_response(self, values: list[str]) -> list[str] | None:
        texts = [v.strip()[:200] for v in values]
        if not texts or not all(texts):
            return None
        return texts

    def grade(self, spec: dict[str, Any], response: list[str]) -> Grade:
        key = spec["answer"]
        if len(response) != len(key):
            return Grade(0, spec["points"])
        wrong = [
            number for number, (given, accepted) in enumerate(zip(response, key, strict=True),
                                                             start=1)
            if normalise(given) not in {normalise(a) for a in accepted}
        ]
        if not wrong:
            return Grade(spec["points"], spec["points"])
        feedback = _("Blank %(numbers)s is not right.", numbers="、".join(map(str, wrong))) \
            if len(key) > 1 else ""
        return Grade(0, spec["points"], feedback)

    def describe_answer(self, spec: dict[str, Any]) -> str:
        return "；".join(accepted[0] for accepted in spec["answer"])

    def describe_response(self, spec: dict[str, Any], response: list[str]) -> str:
        return "；".join(response)

    def gift_read(self, block: GiftBlock) -> dict[str, Any]:
        """A short answer is one blank; only full-credit answers count (no partial credit)."""
        leading, answers = block.answers()
        if leading:
            raise GiftSkip("unparseable: answers must start with = (short answer) or ~ (choice)")
        accepted, notes = [], []
        for answer in answers:
            if answer.weight in (None, 100) and answer.text:
                accepted += [answer.text] if answer.text not in accepted else []
                notes.append((answer.text, answer.feedback))  # partial credit's would mislead
        if not accepted:
            raise GiftSkip("short answer has no full-credit answer "
                           "(partial credit is not supported)")
        # The string form splits on | ; ；, so an answer containing one keeps the list form.
        joined = "".join(accepted)
        key: str | list[str] = accepted if re.search(r"[|;；]", joined) else "|".join(accepted)
        return {"prompt": block.prompt(blank_at_end=True), "answer": [key],
                "explanation": block.explanation(notes)}

    def gift_write(self, spec: dict[str, Any]) -> str:
        """The first blank becomes the answer block; GIFT has no second one, so say so."""
        key, prompt, comments = spec["answer"], spec["prompt"], []
        if len(key) > 1:
            rest = "; ".join(f"blank {n} = {'|'.join(a)}" for n, a in enumerate(key[1:], 2))
            comments.append(f"// {len(key)} blanks: GIFT short answer has one, so the others "
                            f"stay as ____ ({rest})".replace("\n", " "))
        block = "{" + " ".join(f"={escape(a)}" for a in key[0]) + general_feedback(spec) + "}"
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
        if any(re.search(r"[|｜;；]", alt) for alts in spec["answer"] for alt in alts):
            raise ValueError("a fill-in answer contains | or ;")
        return ExcelCells("|".join(";".join(alts) for alts in spec["answer"]))

    def file_write(self, spec: dict[str, Any]) -> dict[str, Any]:
        """A blank's answers as ``甲|乙``, or as a list when one contains | or ;."""
        answer = [alts if any(re.search(r"[|;；]", alt) for alt in alts) else "|".join(alts)
                  for alts in spec["answer"]]
        return {**super().file_write(spec), "answer": answer}


def _blank_answer(prompt: str, row: ExcelRow) -> list[list[str]]:
    blanks = len(BLANK.findall(prompt))
    if blanks == 0:
        row.problem("填空题的题干中没有空：请用____或（  ）标出每个空")
        return []
    if not row.answer:
        row.problem("缺少正确答案")
        return []
    parts = re.split(r"[|｜]", row.answer)
    if len(parts) != blanks:
        row.problem(f"题干有{blanks}个空，正确答案却有{len(parts)}个（空与空之间用“|”分隔）")
        return []
    key = []
    for number, part in enumerate(parts, start=1):
        accepted = [a.strip() for a in re.split(r"[;；]", part) if a.strip()]
        if not accepted:
            row.problem(f"第{number}个空没有填写答案")
        key.append(accepted)
    return key
