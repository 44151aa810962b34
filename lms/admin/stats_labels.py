"""How the dashboard's column keys and coded values read, on the page and in downloads.

``stats_report`` hands out keys ("completion_percent", status "overdue"); this is the one
place that words them, so a page and its CSV/XLSX say the same thing in the same language.
On the page numbers are formatted (37.5%, "—" for nothing); in a file they stay numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.duty_labels import DUTY_LABELS

COLUMNS = {
    "course": _l("Course"), "slug": _l("Short name"), "published": _l("Published"),
    "learners": _l("Learners"), "assigned": _l("Assigned"), "started": _l("Started"),
    "completed": _l("Completed"), "overdue": _l("Overdue"),
    "completion_percent": _l("Completion %"), "average_score": _l("Average best score"),
    "unit": _l("Unit"), "members": _l("Counted"), "module": _l("Module"),
    "opened": _l("Opened"), "attempted": _l("Quiz attempted"), "passed": _l("Passed"),
    "score_range": _l("Best score range"), "people": _l("Best scores (person × quiz)"),
    "week_start": _l("Week starting"), "name": _l("Name"), "username": _l("Username"),
    "status": _l("Status"), "modules_completed": _l("Modules completed"),
    "modules_total": _l("Modules in the course"), "completed_at": _l("Completed at (UTC)"),
    "due_on": _l("Due date"), "overridden": _l("Marked complete by an administrator"),
    "deactivated": _l("Deactivated"), "days_overdue": _l("Days overdue"),
    "best_score": _l("Best score"), "attempts": _l("Attempts"),
    "override_reason": _l("Reason given for marking complete"),
    # 学时 (lms.admin.stats_hours)
    "duty": _l("Duty"), "hours_kind": _l("Kind of study hours"), "on_roll": _l("Number of people"),
    "hours_online": _l("Online training"), "hours_central": _l("Central training"),
    "hours_group": _l("Group study"), "hours_total": _l("Study hours"),
    "hours_average": _l("Hours per person"), "hours_target": _l("Yearly target"),
    "hours_shortfall": _l("Hours to go"),
}
VALUES = {
    "status": {"not_started": _l("Not started"), "in_progress": _l("In progress"),
               "completed": _l("Completed"), "overdue": _l("Overdue")},
    "members": {"subtree": _l("With sub-units"), "direct": _l("Directly in this unit")},
    "duty": {duty.value: label for duty, label in DUTY_LABELS.items()},
    "hours_kind": {"online": _l("Online training"), "central": _l("Central training"),
                   "group": _l("Group study"), "total": _l("All kinds")},
}
TITLES = {
    "courses": _l("Courses"), "summary": _l("Summary"), "units": _l("Completion by unit"),
    "funnel": _l("Module funnel"), "scores": _l("Score distribution"),
    "weekly": _l("Completions per week"), "least_complete": _l("Least complete units"),
    "people": _l("People and their status"), "overdue": _l("Overdue people"),
    "modules": _l("Modules"),
    "hours_kinds": _l("Study hours by kind"), "hours_units": _l("Study hours by unit"),
    "hours_below": _l("People below their yearly target"),
}
PERCENT = {"completion_percent"}
SCORES = {"average_score", "best_score"}
HOURS = {"hours_online", "hours_central", "hours_group", "hours_total", "hours_average",
         "hours_target", "hours_shortfall"}


def header(columns) -> list[str]:
    return [str(COLUMNS[column]) for column in columns]


def file_cell(column: str, value: Any) -> Any:
    """A value as it goes into a CSV/XLSX cell: numbers and dates untouched."""
    return _Words().cell(column, value)


def page_cell(column: str, value: Any) -> str:
    """A value as the page prints it."""
    if value is None:
        return "—"
    if column in PERCENT:
        return f"{value:.1f}%"
    if column in SCORES:
        return f"{value:.1f}"
    if column in HOURS:
        return f"{value:g}"
    if isinstance(value, date):
        return value.isoformat()
    return str(file_cell(column, value))


def file_rows(columns, rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    """Each row as ``file_cell`` words it, with the words looked up once for the whole file
    rather than per cell: an export of 100 000 people would otherwise translate a million
    times."""
    words = _Words()
    plain = [column not in VALUES and column not in HOURS for column in columns]
    for row in rows:
        yield [value if keep and value.__class__ in _PLAIN else words.cell(column, value)
               for column, keep, value in zip(columns, plain, row, strict=True)]


#: Values a file cell takes as they are when no word stands for them (not bool: a subclass).
_PLAIN = frozenset({str, int, float, date, datetime})


class _Words:
    """Coded values and yes/no in the reader's language, each translated once."""

    def __init__(self):
        self.said: dict[tuple[str | None, Any], str] = {}

    def cell(self, column: str, value: Any) -> Any:
        if value is None:
            return None
        if column in VALUES:
            return self.say(column, value)
        if value is True or value is False:
            return self.say(None, value)
        if column in HOURS and isinstance(value, float) and value.is_integer():
            return int(value)   # 32 学时, not 32.0
        return value

    def say(self, column: str | None, value: Any) -> str:
        word = self.said.get((column, value))
        if word is None:
            word = self.said[column, value] = (
                str(VALUES[column].get(value, value)) if column is not None
                else _("Yes") if value else _("No"))
        return word
