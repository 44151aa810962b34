"""``flask lms stats --course SLUG [--unit PATH] [--json]``: the dashboard's numbers in a shell.

The tables come from ``stats_report`` exactly as the pages and downloads get them (with the
operator's scope: everything), so a script reading the JSON and a person reading the page see
the same figures. Without ``--json`` the tables are printed aligned, CJK counted double-width.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date, timedelta
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.cli_wording import no_course, no_unit, refusal_text
from lms.services import stats_report
from lms.services.assignments import today
from lms.services.errors import InvalidInput, NotFound
from lms.services.org import find_unit
from lms.services.permissions import EVERYTHING

TITLES = {"units": _l("Units"), "funnel": _l("Module funnel"),
          "scores": _l("Score distribution"), "weekly": _l("Completions per week"),
          "least_complete": _l("Least complete units")}


@with_appcontext
def print_report(course_slug: str, unit_path: str | None, start: date | None,
                 end: date | None, as_json: bool) -> None:
    session = current_app.extensions["lms"].session()
    try:
        course = stats_report.get_course(session, course_slug)
        unit = find_unit(session, unit_path) if unit_path else None
    except NotFound:
        raise click.ClickException(no_course(course_slug)) from None
    except InvalidInput as error:
        raise click.ClickException(refusal_text(error)) from None
    if unit_path and unit is None:
        raise click.ClickException(no_unit(unit_path))
    end = end or today()
    start = start or end - timedelta(weeks=11)
    if start > end:
        raise click.ClickException(_("--from must not be after --to."))
    report = stats_report.report(session, EVERYTHING, course, unit, today=today(),
                                 start=start, end=end)
    if as_json:
        click.echo(json.dumps(report.as_json(unit_path), ensure_ascii=False, indent=2))
        return
    click.echo(f"{course.title} ({course.slug}) · {unit_path or _('all top units')}")
    for name, table in report.tables.items():
        if name == "summary":
            click.echo(_aligned(table.columns, table.rows))
            continue
        click.echo(f"\n{TITLES[name]}")
        click.echo(_aligned(table.columns, table.rows) if table.rows else _("(none)"))


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _aligned(columns, rows) -> str:
    cells = [list(columns), *([_text(v) for v in row] for row in rows)]
    widths = [max(_width(row[i]) for row in cells) for i in range(len(columns))]
    return "\n".join("  ".join(cell + " " * (widths[i] - _width(cell))
                               for i, cell in enumerate(row)).rstrip() for row in cells)
