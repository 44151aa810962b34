"""``flask lms open-cycles``: recurring training, meant for cron (daily)."""

from __future__ import annotations

import sys
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from lms.cli_help import N_, LmsCommand
from lms.services import recurrence
from lms.services.assignments import today as server_today


@click.command("open-cycles", cls=LmsCommand, help=N_("Reopen recurring courses (rules.recur_months) for the "
                                   "people whose completion lapses within LMS_RECUR_NOTICE_DAYS."))
@click.option("--today", "on", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help=N_("Act as if today were this date (YYYY-MM-DD); default: the server's date."))
@with_appcontext
def open_cycles_command(on) -> None:
    session = current_app.extensions["lms"].session()
    day: date = on.date() if on is not None else server_today()
    notice = current_app.config["LMS_RECUR_NOTICE_DAYS"]
    with click.progressbar(length=0, label=_("Opening training cycles"), file=sys.stderr) as bar:
        opened = recurrence.open_due_cycles(session, today=day, notice_days=notice,
                                            progress=bar.update)
    click.echo(_("%(day)s: %(count)s new training cycles opened (completions lapsing within "
                 "%(days)s days).", day=day.isoformat(), count=opened, days=notice))
