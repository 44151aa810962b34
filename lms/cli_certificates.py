"""``flask lms certificates …``: certificates issued outside a trainee's request."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from lms.cli_help import N_, LmsGroup
from lms.services import certificate_admin


@click.group("certificates", cls=LmsGroup, help=N_("结业证书: certificates of completion."))
def certificates_cli() -> None:
    pass


@certificates_cli.command(
    "issue-missing", help=N_("Issue the certificates that completed courses earn but never got "
                          "(completions from before certificates existed). Revoked ones stay "
                          "revoked; running it twice issues nothing the second time."))
@with_appcontext
def issue_missing_command() -> None:
    session = current_app.extensions["lms"].session()
    completions = certificate_admin.completions_without_certificate(session)
    issued = 0
    with click.progressbar(length=len(completions), label=_("Issuing certificates"),
                           file=sys.stderr) as bar:
        for looked_at, count in certificate_admin.issue_missing(session, completions):
            issued += count
            bar.update(looked_at)
    click.echo(_("%(issued)s certificates issued for %(count)s completions without one (the "
                 "others' course rules give none).", issued=issued, count=len(completions)))
