"""``flask lms imports purge``: no import preview or one-time password outlives its hour."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from lms.cli_help import N_, LmsGroup
from lms.services import import_batches
from lms.unit_of_work import unit_of_work


@click.group("imports", cls=LmsGroup, help=N_("People and completion imports waiting for a confirm."))
def imports_cli() -> None:
    pass


@imports_cli.command("purge", help=N_("Drop unconfirmed previews and undownloaded one-time "
                                   "passwords older than an hour (run it from a timer)."))
@with_appcontext
def purge_command() -> None:
    session = current_app.extensions["lms"].session()
    with unit_of_work(session):
        import_batches.purge_expired(session)
    click.echo(_("Expired import previews and one-time passwords were removed."))
