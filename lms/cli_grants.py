"""``flask lms grant / revoke / grants``: scoped grants from the operator's shell."""

from __future__ import annotations

from collections.abc import Callable

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from lms.cli_help import N_, LmsCommand
from lms.cli_wording import grant_text, no_course, no_unit, no_user, refusal_text
from lms.services import grants
from lms.services.errors import InvalidInput, NotFound

UNIT_HELP = N_('Unit admin of this org unit and every unit below it, e.g. "党委/第一党总支/第一党支部".')


def _target_options(command: Callable) -> Callable:
    for option in reversed((
        click.option("--unit-admin", "unit_path", metavar="PATH", help=UNIT_HELP),
        click.option("--course-author", "course_slug", metavar="SLUG",
                     help=N_("Author of this course: its questions, item analysis and attempts.")),
        click.option("--site-admin", "site", is_flag=True, help=N_("Administrator of everything.")),
    )):
        command = option(command)
    return command


def _user(db, username: str):
    try:
        return grants.find_user(db, username)
    except NotFound:
        raise click.UsageError(no_user(username)) from None


def _resolve(username: str, unit_path: str | None, course_slug: str | None, site: bool):
    db = current_app.extensions["lms"].session()
    user = _user(db, username)
    try:
        target = grants.find_target(db, unit_path=unit_path, course_slug=course_slug, site=site)
    except InvalidInput as error:
        raise click.UsageError(
            _("give exactly one of --unit-admin PATH, --course-author SLUG, --site-admin")
            if error.field == "target" else refusal_text(error)) from None
    except NotFound:
        raise click.UsageError(no_unit(unit_path) if unit_path is not None
                               else no_course(course_slug or "")) from None
    return db, user, target


@click.command("grant", cls=LmsCommand, help=N_("Give a user a scoped grant (one of the options)."))
@click.argument("username")
@_target_options
@with_appcontext
def grant_command(username: str, unit_path: str | None, course_slug: str | None,
                  site: bool) -> None:
    db, user, target = _resolve(username, unit_path, course_slug, site)
    what = grant_text(db, target)
    if grants.grant(db, user, target):
        click.echo(_("%(username)s is now %(grant)s.", username=user.username, grant=what))
    else:
        click.echo(_("%(username)s is %(grant)s already; nothing changed.",
                     username=user.username, grant=what))


@click.command("revoke", cls=LmsCommand, help=N_("Take a scoped grant back (the same options as grant)."))
@click.argument("username")
@_target_options
@with_appcontext
def revoke_command(username: str, unit_path: str | None, course_slug: str | None,
                   site: bool) -> None:
    db, user, target = _resolve(username, unit_path, course_slug, site)
    what = grant_text(db, target)
    if not grants.revoke(db, user, target):
        raise click.ClickException(_(
            "%(username)s holds no grant as %(grant)s (what a role gives is changed with the "
            "role, not revoked).", username=user.username, grant=what))
    click.echo(_("%(username)s is no longer %(grant)s.", username=user.username, grant=what))


@click.command("grants", cls=LmsCommand, help=N_("List a user's grants, besides the default their role gives."))
@click.argument("username")
@with_appcontext
def grants_command(username: str) -> None:
    db = current_app.extensions["lms"].session()
    user = _user(db, username)
    click.echo(_("%(username)s: role %(role)s", username=user.username, role=user.role.value))
    for target in grants.list_grants(db, user):
        click.echo(f"  {grant_text(db, target)}")
