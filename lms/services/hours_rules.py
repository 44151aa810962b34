"""How active study becomes 学时: the crediting rules an organisation may choose.

``per_class_hour`` (default): minutes of active study ÷ 45 (a class hour), rounded down to
0.5. ``bands`` (a provincial rule): a course studied 30 minutes or more counts 1, 15–30
minutes 0.5, less 0.25, and passing its test adds 0.5. Both return quarter hours.
"""

from __future__ import annotations

from collections.abc import Callable

Rule = Callable[[int, bool], int]


def per_class_hour(active_seconds: int, test_passed: bool) -> int:
    halves = active_seconds // (45 * 60 // 2)
    return halves * 2


def bands(active_seconds: int, test_passed: bool) -> int:
    minutes = active_seconds / 60
    if minutes >= 30:
        quarters = 4
    elif minutes >= 15:
        quarters = 2
    elif active_seconds > 0:
        quarters = 1
    else:
        quarters = 0
    return quarters + (2 if test_passed else 0)


RULES: dict[str, Rule] = {"per_class_hour": per_class_hour, "bands": bands}


def configured_rule() -> Rule:
    """The app's ``LMS_HOURS_RULE`` (the default outside an app)."""
    from flask import current_app, has_app_context

    return rule_named(current_app.config["LMS_HOURS_RULE"] if has_app_context()
                      else "per_class_hour")


def rule_named(name: str) -> Rule:
    if name not in RULES:
        raise ValueError(f"LMS_HOURS_RULE must be one of {', '.join(RULES)}, not {name!r}")
    return RULES[name]
