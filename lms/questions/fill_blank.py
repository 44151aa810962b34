"""填空题: one or more blanks written ``____`` in the prompt, several accepted answers each."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.questions.base import Grade, QuestionType, SpecError

BLANK = re.compile(r"_{3,}")


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
