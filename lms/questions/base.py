"""The contract every question type fulfils, built-in or plugin.

Types see parsed values only, never the Flask request, so they can be graded from the CLI,
an import job or a test exactly as from a form.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from lms.problems import SpecError
from lms.questions.details import KEYS as DETAIL_KEYS
from lms.questions.details import read_details
from lms.questions.excel_form import ExcelCells, ExcelRow
from lms.questions.gift_form import GiftBlock, GiftSkip
from lms.questions.question_form import (
    FormField,
    FormValueError,
    default_fields,
    replace_fields,
    values_from_written,
    written_from_values,
)

if TYPE_CHECKING:
    from lms.quiz_settings import QuizSettings




class NoFormat(ValueError):
    """The type has no form in a file format (GIFT, Excel); the exporter says so and moves on."""


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
        {"type", "prompt", "options", "answer", "explanation", "points", *DETAIL_KEYS}
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
        ``explanation`` and ``points``, and the details it gives (lms.questions.details).
        Raise ``SpecError`` naming the field on any problem.
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
        details = read_details(raw)
        return {
            "prompt": prompt.strip(), "options": None, "explanation": explanation.strip(),
            "points": points, "answer": None, **details,
        }

    def public_spec(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Return what the browser may see before submission: never the answer."""
        shown = {"type": self.name, "prompt": spec["prompt"], "options": spec.get("options"),
                 "points": spec["points"]}
        return {**shown, "format": spec["format"]} if spec.get("format") else shown

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

    def analysis_key(self, spec: dict[str, Any]) -> tuple[str, ...]:
        """Return the labels ``analysis_labels`` gives the right response, so the trainer's
        option distribution can mark the key. Default: none, nothing is marked."""
        return ()

    def apply_quiz_settings(self, spec: dict[str, Any], settings: QuizSettings) -> dict[str, Any]:
        """Return the spec to pin in a new attempt, with any quiz setting the type grades by."""
        return spec

    # File formats: a type reads and writes its own GIFT and Excel form, or has none.

    #: GIFT constructs (``gift_form.KINDS``) this type may read, e.g. ``{"choice"}``.
    gift_kinds: ClassVar[frozenset[str]] = frozenset()
    #: Texts of the 题型 cell that mean this type in an Excel bank; the first is written.
    #: Empty: the type has no Excel layout.
    excel_labels: ClassVar[tuple[str, ...]] = ()
    #: A definition as a course file writes it (prompt, options, answer, explanation, points,
    #: difficulty, topic), shown as this type's example row in the Excel template, marked
    #: 【示例】 so that it is never imported. None: no example row.
    excel_example: ClassVar[dict[str, Any] | None] = None

    def gift_read(self, block: GiftBlock) -> dict[str, Any] | None:
        """Return the definition (without ``type`` and ``points``) for a block of one of
        ``gift_kinds``, or None when the block is another type's (单选 and 多选 share
        ``choice``). Raise ``GiftSkip(reason)`` for one of yours that cannot be imported."""
        return None

    def gift_write(self, spec: dict[str, Any]) -> str:
        """Return the question as GIFT text, ``//`` comment lines first if anything is lost."""
        raise NoFormat(f"question type {self.name!r} has no GIFT form")

    def excel_read(self, row: ExcelRow) -> dict[str, Any]:
        """Return the definition's ``options``/``answer`` (and ``prompt`` if it changes) from a
        row; report problems with ``row.problem``. Called only when ``excel_labels`` is set."""
        raise NoFormat(f"question type {self.name!r} has no Excel layout")

    def excel_write(self, spec: dict[str, Any]) -> ExcelCells:
        """Return the 正确答案 and 选项 cells; raise ``ValueError`` if they cannot hold the
        spec losslessly."""
        raise NoFormat(f"question type {self.name!r} has no Excel layout")

    def file_write(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Return the definition as a course file's ```quiz block writes it, without ``type``
        and ``id``; ``load_spec`` of it must give ``spec`` back (the course exporter checks,
        and falls back to the Excel form). The default writes the stored values, leaving out
        empty ones and 1 point."""
        written: dict[str, Any] = {"prompt": spec["prompt"]}
        for key in ("options", "answer", "explanation", *DETAIL_KEYS):
            if spec.get(key) not in (None, ""):
                written[key] = spec[key]
        if spec.get("points", 1) != 1:
            written["points"] = spec["points"]
        return written

    # The browser form (lms.questions.question_form): fields described as data.

    def form_fields(self) -> list[FormField]:
        """The fields a trainer fills in, one per key the definition may write. The default
        derives them from ``keys``: prompt and explanation are several lines, options one per
        line, points a whole number, any other key one line of text."""
        return default_fields(self.keys)

    def form_values(self, written: dict[str, Any]) -> dict[str, str]:
        """The text each field shows for a definition as ``file_write`` writes it."""
        return values_from_written(self.form_fields(), written)

    def form_raw(self, values: dict[str, str]) -> dict[str, Any]:
        """The definition (without ``type``) typed into the form, for ``load_spec``; empty
        fields are left out. Raise ``SpecError`` naming the field a value cannot fill."""
        try:
            return written_from_values(self.form_fields(), values)
        except FormValueError as error:
            raise SpecError(error.field, error.message) from None


def letters(indexes: list[int], keep_order: bool = False) -> str:
    return "".join(chr(ord("A") + i) for i in (indexes if keep_order else sorted(indexes)))


__all__ = ["ExcelCells", "ExcelRow", "FormField", "GiftBlock", "GiftSkip", "Grade", "NoFormat",
           "QuestionType", "SpecError", "letters", "replace_fields"]
