"""Per-module quiz settings, written under ``quiz:`` in a module's front matter."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

MULTIPLE_CHOICE_SCORING = ("all_or_nothing", "per_option", "half")
MATCHING_SCORING = ("per_pair", "all_or_nothing")
SHOW_ANSWERS = ("after_each", "after_pass", "never")
KEYS = {"attempts", "shuffle_questions", "shuffle_options", "draw", "time_limit",
        "multiple_choice_scoring", "matching_scoring", "show_answers"}
ADDED_LATER = ("matching_scoring",)


class SettingsError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"quiz.{field}: {message}")
        self.field = field
        self.message = message


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
        raise SettingsError(field, f"must be a whole number from 1 to {high}")
    return value


def _flag(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise SettingsError(field, "must be true or false")
    return value


def parse_quiz_settings(raw: Any) -> QuizSettings:
    """Validate the ``quiz:`` mapping of a module's front matter."""
    if raw is None:
        return QuizSettings()
    if not isinstance(raw, dict):
        raise SettingsError("quiz", "must be a mapping of settings")
    for key in raw:
        if key not in KEYS:
            raise SettingsError(str(key), "unknown setting")
    scoring = raw.get("multiple_choice_scoring", "all_or_nothing")
    if scoring not in MULTIPLE_CHOICE_SCORING:
        raise SettingsError("multiple_choice_scoring",
                            f"must be one of {', '.join(MULTIPLE_CHOICE_SCORING)}")
    matching = raw.get("matching_scoring", "per_pair")
    if matching not in MATCHING_SCORING:
        raise SettingsError("matching_scoring", f"must be one of {', '.join(MATCHING_SCORING)}")
    show = raw.get("show_answers", "after_each")
    if show not in SHOW_ANSWERS:
        raise SettingsError("show_answers", f"must be one of {', '.join(SHOW_ANSWERS)}")
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
