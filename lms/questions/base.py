"""The contract every question type fulfils, built-in or plugin.

Types see parsed values only, never the Flask request, so they can be graded from the CLI,
an import job or a test exactly as from a form.
"""

from __future__ import annotations

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
    earned: float
    possible: float

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

    def parse_response(self, values: list[str]) -> Any | None:
        """Turn submitted form values into a response; None means unanswered."""
        raise NotImplementedError

    def grade(self, spec: dict[str, Any], response: Any) -> Grade:
        raise NotImplementedError

    def describe_answer(self, spec: dict[str, Any]) -> str:
        """Return the correct answer as text for feedback after submission."""
        raise NotImplementedError

    def describe_response(self, spec: dict[str, Any], response: Any) -> str:
        raise NotImplementedError


def letters(indexes: list[int]) -> str:
    return "".join(chr(ord("A") + i) for i in sorted(indexes))
