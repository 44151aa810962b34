"""``flask lms set-password``: set or reset a person's password from the operator's shell."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.services import accounts
from lms.services.errors import InvalidInput, NotFound
from lms.services.grants import find_user


@click.command("set-password",
               help="Set USERNAME's password from standard input, or give them a generated "
                    "one-time password (printed once) that they must change at sign-in.")
@click.argument("username")
@click.option("--password-stdin", is_flag=True,
              help="Read the new password (one line) from standard input.")
@with_appcontext
def set_password_command(username: str, password_stdin: bool) -> None:
    db = current_app.extensions["lms"].session()
    try:
        user = find_user(db, username)
        if password_stdin:
            accounts.set_password(db, None, user, sys.stdin.readline().rstrip("\r\n"))
        else:
            password = accounts.reset_password(db, None, user)
    except NotFound as error:
        raise click.UsageError(str(error)) from None
    except InvalidInput as error:
        raise click.UsageError(error.message) from None
    if password_stdin:
        click.echo(f"Password of {user.username} changed; their other sessions are signed out.")
    else:
        click.echo(f"One-time password for {user.username} (shown once; they must change it "
                   f"at sign-in): {password}")
