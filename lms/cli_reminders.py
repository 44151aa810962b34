"""``flask lms send-reminders``: due-date reminders and overdue digests, meant for cron.

Safe to run as often as you like: each reminder is sent once. ``--now`` replays a moment
(tests, or catching up after an outage). The summary is in the site's default language.
"""

from __future__ import annotations

import sys
from datetime import datetime
from functools import partial

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from lms.cli_help import N_, LmsCommand
from lms.services.notice_mail import MailSettings
from lms.services.reminders import send_reminders


def _moment(ctx: click.Context, param: click.Parameter, value: str | None) -> datetime:
    if value is None:
        return datetime.now().astimezone()
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_("write YYYY-MM-DDTHH:MM, e.g. 2026-12-04T08:00")) from None


@click.command("send-reminders", cls=LmsCommand, help=N_("Write due-soon and overdue notices and unit admins' "
                                      "digests, and e-mail them when SMTP is configured."))
@click.option("--now", callback=_moment, metavar="YYYY-MM-DDTHH:MM",
              help=N_("Act as if it were this moment (server local time unless an offset is given)."))
@with_appcontext
def send_reminders_command(now: datetime) -> None:
    state = current_app.extensions["lms"]
    config = current_app.config
    mail = MailSettings.from_config(config)
    state.translations.as_default()  # the catalogue the web pages use, for the mails too
    run = partial(send_reminders, state.sessionmaker, now,
                  days_before=config["LMS_REMINDER_DAYS_BEFORE"], mail=mail)
    if mail is None:
        counts = run()
    else:
        with click.progressbar(length=0, label=_("E-mail"), file=sys.stderr) as bar:
            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            counts = run(progress=progress)
    with force_locale(config["LMS_DEFAULT_LOCALE"]):
        click.echo(_("Reminders for %(day)s: %(soon)s due soon, %(overdue)s overdue, "
                     "%(digests)s digests for unit admins.", day=now.strftime("%Y-%m-%d %H:%M"),
                     soon=counts.due_soon, overdue=counts.overdue, digests=counts.digests))
        if mail is None:
            click.echo(_("E-mail is off (LMS_SMTP_HOST is not set): notices are in the app "
                         "only."))
        else:
            click.echo(_("E-mails sent: %(sent)s; not sent, tried again next run: %(failed)s.",
                         sent=counts.emailed, failed=counts.mail_failed))
    if counts.mail_failed:
        sys.exit(1)
