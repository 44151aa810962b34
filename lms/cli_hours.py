"""``flask lms hours …``: the 学时 ledger."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from lms.cli_help import N_, LmsGroup
from lms.services import hours_recompute
from lms.services.hours import configured_rule


@click.group("hours", cls=LmsGroup, help=N_("学时: the study-hours ledger."))
def hours_cli() -> None:
    pass


@hours_cli.command("recompute", help=N_("Rewrite a year's online 学时 from the stored heartbeats "
                                     "and passed tests with the current LMS_HOURS_RULE."))
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help=N_("Calendar year."))
@with_appcontext
def recompute_command(year: int) -> None:
    session = current_app.extensions["lms"].session()
    rule = configured_rule()
    people = hours_recompute.people_of_year(session, year)
    with click.progressbar(length=len(people), label=_("Recomputing %(year)s", year=year),
                           file=sys.stderr) as bar:
        for count in hours_recompute.write_year(session, year, people, rule):
            bar.update(count)
    click.echo(_("%(year)s: %(entries)s online study-hour entries for %(people)s people, rule "
                 "%(rule)s.", year=year, entries=hours_recompute.count_entries(session, year),
                 people=len(people), rule=current_app.config["LMS_HOURS_RULE"]))
