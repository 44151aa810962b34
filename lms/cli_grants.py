"""``flask lms grant / revoke / grants``: scoped grants from the operator's shell."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.services import grants
from lms.services.errors import InvalidInput, NotFound

UNIT_HELP = 'Unit admin of this org unit and every unit below it, e.g. "党委/第一党总支/第一党支部".'


def _target_options(command: Callable) -> Callable:
    for option in reversed((
        click.option("--unit-admin", "unit_path", metavar="PATH", help=UNIT_HELP),
        click.option("--course-author", "course_slug", metavar="SLUG",
                     help="Author of this course: its questions, item analysis and attempts."),
        click.option("--site-admin", "site", is_flag=True, help="Administrator of everything."),
    )):
        command = option(command)
    return command


def _resolve(username: str, unit_path: str | None, course_slug: str | None, site: bool):
    db = current_app.extensions["lms"].session()
    try:
        user = grants.find_user(db, username)
        target = grants.find_target(db, unit_path=unit_path, course_slug=course_slug, site=site)
    except InvalidInput as error:
        raise click.UsageError(
            "give exactly one of --unit-admin PATH, --course-author SLUG, --site-admin"
            if error.field == "target" else error.message) from None
    except NotFound as error:
        raise click.UsageError(str(error)) from None
    return db, user, target


@click.command("grant", help="Give a user a scoped grant (one of the options).")
@click.argument("username")
@_target_options
@with_appcontext
def grant_command(username: str, unit_path: str | None, course_slug: str | None,
                  site: bool) -> None:
    db, user, target = _resolve(username, unit_path, course_slug, site)
    what = grants.describe(db, target)
    if grants.grant(db, user, target):
        click.echo(f"{user.username} is now {what}.")
    else:
        click.echo(f"{user.username} is already {what}; nothing changed.")


@click.command("revoke", help="Take a scoped grant back (the same options as grant).")
@click.argument("username")
@_target_options
@with_appcontext
def revoke_command(username: str, unit_path: str | None, course_slug: str | None,
                   site: bool) -> None:
    db, user, target = _resolve(username, unit_path, course_slug, site)
    what = grants.describe(db, target)
    if not grants.revoke(db, user, target):
        raise click.ClickException(
            f"{user.username} holds no grant as {what} (a role's default is changed with the "
            "role, not revoked).")
    click.echo(f"{user.username} is no longer {what}.")


@click.command("grants", help="List a user's grants, besides the default their role gives.")
@click.argument("username")
@with_appcontext
def grants_command(username: str) -> None:
    db = current_app.extensions["lms"].session()
    try:
        user = grants.find_user(db, username)
    except NotFound as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"{user.username}: role {user.role.value}")
    for target in grants.list_grants(db, user):
        click.echo(f"  {grants.describe(db, target)}")
