"""Per-module quiz settings, written under ``quiz:`` in a module's front matter."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

MULTIPLE_CHOICE_SCORING = ("all_or_nothing", "per_option", "half")
MATCHING_SCORING = ("per_pair", "all_or_nothing")
SHOW_ANSWERS = ("after_each", "after_pass", "never")
KEYS = {"attempts", "shuffle_questions", "shuffle_options", "draw", "time_limit",
        "multiple_choice_scoring", "matching_scoring", "show_answers"}
ADDED_LATER = ("matching_scoring",)


class SettingsError(ValueError):
    """A wrong ``quiz:`` setting; ``message`` is a lazy msgid, so it reads in the language of
    wherever it is shown (the loader puts it in a course-file problem)."""

    def __init__(self, field: str, message: Any):
        super().__init__(field, message)
        self.field = field
        self.message = message

    @property
    def setting(self) -> str:
        """``quiz.attempts``, or ``quiz`` when the whole block is wrong."""
        return "quiz" if self.field == "quiz" else f"quiz.{self.field}"

    def __str__(self) -> str:
        return f"{self.setting}: {self.message}"


@dataclass(frozen=True)
class QuizSettings:
    """How a module's quiz behaves; defaults follow Chinese training practice.

    ``multiple_choice_scoring``: all_or_nothing (少选不得分, the default), per_option
    (少选得部分分) or half (少选得一半分); any wrong option scores 0 in every mode.
    ``matching_scoring``: per_pair (每连对一对得相应部分分, the default, as Moodle grades a
    matching question) or all_or_nothing (全部连对才得分).
    """

    attempts: int | None = None          # None: unlimited
    shuffle_questions: bool = False
    shuffle_options: bool = False
    draw: int | None = None              # ask N questions drawn from the module's pool
    time_limit: int | None = None        # minutes, enforced on the server
    multiple_choice_scoring: str = "all_or_nothing"
    matching_scoring: str = "per_pair"
    show_answers: str = "after_each"

    def to_json(self) -> dict[str, Any]:
        """The settings as stored; a setting added later is left out at its default, so the
        stored settings (part of a module's content hash) of a quiz that does not use it
        stay as they were and reloading an unchanged course makes no new version."""
        data = asdict(self)
        for key in ADDED_LATER:
            if data[key] == getattr(QuizSettings, key):
                del data[key]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> QuizSettings:
        return cls(**{k: v for k, v in (data or {}).items() if k in KEYS})


def _positive(value: Any, field: str, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
        raise SettingsError(field, _l("must be a whole number from 1 to %(high)s", high=high))
    return value


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise SettingsError(field, _l("must be true or false"))
    return value


def _one_of(choices: tuple[str, ...]) -> Any:
    return _l("must be one of %(choices)s", choices=", ".join(choices))


def parse_quiz_settings(raw: Any) -> QuizSettings:
    """Validate the ``quiz:`` mapping of a module's front matter."""
    if raw is None:
        return QuizSettings()
    if not isinstance(raw, dict):
        raise SettingsError("quiz", _l("must be a mapping of settings"))
    for key in raw:
        if key not in KEYS:
            raise SettingsError(str(key), _l("unknown setting"))
    scoring = raw.get("multiple_choice_scoring", "all_or_nothing")
    if scoring not in MULTIPLE_CHOICE_SCORING:
        raise SettingsError("multiple_choice_scoring", _one_of(MULTIPLE_CHOICE_SCORING))
    matching = raw.get("matching_scoring", "per_pair")
    if matching not in MATCHING_SCORING:
        raise SettingsError("matching_scoring", _one_of(MATCHING_SCORING))
    show = raw.get("show_answers", "after_each")
    if show not in SHOW_ANSWERS:
        raise SettingsError("show_answers", _one_of(SHOW_ANSWERS))
    return QuizSettings(
        attempts=_positive(raw.get("attempts"), "attempts", 100),
        shuffle_questions=_flag(raw.get("shuffle_questions", False), "shuffle_questions"),
        shuffle_options=_flag(raw.get("shuffle_options", False), "shuffle_options"),
        draw=_positive(raw.get("draw"), "draw", 500),
        time_limit=_positive(raw.get("time_limit"), "time_limit", 600),
        multiple_choice_scoring=scoring,
        matching_scoring=matching,
        show_answers=show,
    )
