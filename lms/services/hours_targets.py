"""Yearly 学时 targets per kind of person (``User.duty``), and where a person stands.

The figures are a setting, ``LMS_HOURS_TARGETS`` (defaults from the party rules: a member
32, a branch secretary or committee member 56, a secretary who is also a leading cadre 90),
checked once at start-up so a typo stops the app, not a page. Hours are compared in quarter
hours, the ledger's unit, so "reached" never depends on floating point.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from flask import current_app, has_app_context

from lms.models import Duty

DEFAULT_TARGETS: dict[str, float] = {Duty.MEMBER.value: 32, Duty.SECRETARY.value: 56,
                                     Duty.CADRE.value: 90}
TARGET_MAX = 1000
#: How the people import and the CLI may write a duty: Chinese first, then the stored value.
DUTY_WORDS: dict[str, Duty] = {
    "党员": Duty.MEMBER, "普通党员": Duty.MEMBER,
    "支部书记": Duty.SECRETARY, "书记": Duty.SECRETARY, "基层党组织书记": Duty.SECRETARY,
    "班子成员": Duty.SECRETARY, "支委": Duty.SECRETARY,
    "领导干部": Duty.CADRE, "书记兼任领导干部": Duty.CADRE,
    **{duty.value: duty for duty in Duty},
}


def resolve_targets(value: object) -> dict[str, float]:
    """The setting as {duty: hours}, every duty present (missing ones keep their default).

    Accepts a mapping or its JSON text (the environment gives text); raises ValueError
    naming what is wrong: an unknown duty, or hours that are not a number from 0 to 1000
    in steps of 0.25."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ValueError(f"LMS_HOURS_TARGETS must be JSON such as {json.dumps(DEFAULT_TARGETS)}, "
                             f"not {value!r}") from None
    if not isinstance(value, Mapping):
        raise ValueError(f"LMS_HOURS_TARGETS must map duties to hours, not {value!r}")
    targets = dict(DEFAULT_TARGETS)
    for duty, hours in value.items():
        if duty not in DEFAULT_TARGETS:
            raise ValueError(f"LMS_HOURS_TARGETS: unknown duty {duty!r} (use "
                             f"{', '.join(DEFAULT_TARGETS)})")
        try:
            amount = Decimal(str(hours))
        except (InvalidOperation, ValueError):
            amount = Decimal("NaN")
        if isinstance(hours, bool) or not amount.is_finite() or not 0 <= amount <= TARGET_MAX \
                or (amount * 4) % 1:
            raise ValueError(f"LMS_HOURS_TARGETS[{duty!r}] must be hours from 0 to {TARGET_MAX} "
                             f"in steps of 0.25, not {hours!r}")
        targets[duty] = float(amount)
    return targets


def configured_targets() -> dict[str, float]:
    raw = current_app.config.get("LMS_HOURS_TARGETS") if has_app_context() else None
    return resolve_targets(raw if raw is not None else DEFAULT_TARGETS)


def target_for(duty: Duty | str, targets: Mapping[str, float] | None = None) -> float:
    return (targets or configured_targets())[Duty(duty).value]


def parse_duty(text: str) -> Duty | None:
    """A duty as people write it (党员, 支部书记, 领导干部 or member, secretary, cadre)."""
    return DUTY_WORDS.get((text or "").strip().casefold())


@dataclass(frozen=True)
class YearStanding:
    """One person's year against their target; shortfall 0 once reached."""

    year: int
    total: float
    target: float

    @property
    def shortfall(self) -> float:
        return max(self.target - self.total, 0.0)

    @property
    def reached(self) -> bool:
        return self.total >= self.target

    @property
    def percent(self) -> int:
        """Of the target, 0–100 (a target of 0 is reached at once)."""
        if self.target <= 0:
            return 100
        return min(100, int(self.total * 100 // self.target))


def standing(duty: Duty | str, year: int, total: float) -> YearStanding:
    return YearStanding(year, total, target_for(duty))
