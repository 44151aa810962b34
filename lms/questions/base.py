"""The contract every question type fulfils, built-in or plugin.

Types see parsed values only, never the Flask request, so they can be graded from the CLI,
an import job or a test exactly as from a form.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any, ClassVar


class SpecError(ValueError):
    """A question definition is invalid; ``field`` names the offending key."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Grade:
    """A score between 0 and ``possible``, with optional feedback shown after submission."""

    earned: float
    possible: float
    feedback: str = ""

    @property
    def correct(self) -> bool:
        return self.possible > 0 and self.earned >= self.possible


class QuestionType:
    """Base class; subclasses set ``name``, ``label`` and ``template``."""

    name: ClassVar[str]
    label: ClassVar[str]
    template: ClassVar[str]
    #: Keys a definition may use; a plugin adds its own to catch typos in course files.
    keys: ClassVar[frozenset[str]] = frozenset(
        {"type", "prompt", "options", "answer", "explanation", "points"}
    )
    #: A folder of the plugin's own templates, searched after LMS's; name templates after
    #: the plugin (``"lms_likert/likert.html"``) so they cannot shadow another's.
    template_folder: ClassVar[str | None] = None
    #: Graded by a trainer, not by ``grade``: the attempt waits as 待批阅.
    manual: ClassVar[bool] = False
    #: Options are shuffled even when the quiz does not ask for it (排序: the written
    #: order would give the answer away).
    always_shuffle: ClassVar[bool] = False

    def load_spec(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Validate a definition from a course file and return it normalised.

        The result has ``prompt``, ``options`` (or None), ``answer`` (the key, type specific),
        ``explanation`` and ``points``. Raise ``SpecError`` naming the field on any problem.
        """
        prompt = raw.get("prompt")
        if not isinstance(prompt, str) or not prompt.strip():
            raise SpecError("prompt", "must be non-empty text")
        points = raw.get("points", 1)
        if not isinstance(points, int) or isinstance(points, bool) or points < 1:
            raise SpecError("points", "must be a positive whole number")
        explanation = raw.get("explanation", "")
        if not isinstance(explanation, str):
            raise SpecError("explanation", "must be text")
        return {
            "prompt": prompt.strip(), "options": None, "explanation": explanation.strip(),
            "points": points, "answer": None,
        }

    def public_spec(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Return what the browser may see before submission: never the answer."""
        return {"type": self.name, "prompt": spec["prompt"], "options": spec.get("options"),
                "points": spec["points"]}

    def shuffle(self, spec: dict[str, Any], rng: random.Random) -> dict[str, Any]:
        """Return the spec with its options in a random order and the key to match.

        The order is drawn once when an attempt starts and kept in its snapshot, so a reload
        shows the same order.
        """
        options = spec.get("options")
        if not options:
            return spec
        order = list(range(len(options)))
        rng.shuffle(order)
        return {**spec, "options": [options[i] for i in order],
                "answer": self.remap_answer(spec["answer"], order), "option_order": order}

    def remap_answer(self, answer: Any, order: list[int]) -> Any:
        """Translate the key after options moved: new position ``n`` shows old ``order[n]``."""
        return answer

    def parse_response(self, values: list[str]) -> Any | None:
        """Turn submitted form values into a response; None means unanswered."""
        raise NotImplementedError

    def grade(self, spec: dict[str, Any], response: Any) -> Grade:
        """Score a response between 0 and the question's points (not called for manual types)."""
        raise NotImplementedError

    def describe_answer(self, spec: dict[str, Any]) -> str:
        """Return the correct answer as text for feedback after submission."""
        raise NotImplementedError

    def describe_response(self, spec: dict[str, Any], response: Any) -> str:
        raise NotImplementedError

    def analysis_labels(self, spec: dict[str, Any],
                        response: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Describe a response for the item analysis: (labels chosen, every label offered).

        Types without options return two empty tuples and get no option distribution.
        """
        return (), ()


def letters(indexes: list[int], keep_order: bool = False) -> str:
    return "".join(chr(ord("A") + i) for i in (indexes if keep_order else sorted(indexes)))
