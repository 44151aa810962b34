"""``flask lms set-password``: set or reset a person's password from the operator's shell."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from lms.cli_help import N_, LmsCommand
from lms.cli_wording import no_user, refusal_text
from lms.services import accounts
from lms.services.errors import InvalidInput, NotFound
from lms.services.grants import find_user


@click.command("set-password", cls=LmsCommand,
               help=N_("Set USERNAME's password from standard input, or give them a generated "
                    "one-time password (printed once) that they must change at sign-in."))
@click.argument("username")
@click.option("--password-stdin", is_flag=True,
              help=N_("Read the new password (one line) from standard input."))
@with_appcontext
def set_password_command(username: str, password_stdin: bool) -> None:
    db = current_app.extensions["lms"].session()
    try:
        user = find_user(db, username)
        if password_stdin:
            accounts.set_password(db, None, user, sys.stdin.readline().rstrip("\r\n"))
        else:
            password = accounts.reset_password(db, None, user)
    except NotFound:
        raise click.UsageError(no_user(username)) from None
    except InvalidInput as error:
        raise click.UsageError(refusal_text(error)) from None
    if password_stdin:
        click.echo(_("The password of %(username)s was changed; they are signed out of their "
                     "other sessions.", username=user.username))
    else:
        click.echo(_("One-time password for %(username)s (shown only this once; they must "
                     "change it when they sign in): %(password)s", username=user.username,
                     password=password))
