"""``flask lms events …``: deliver what the outbox still owes listeners, and show it."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from lms.cli_help import N_, LmsGroup
from lms.services.dispatch import count_pending


@click.group("events", cls=LmsGroup, help=N_("Domain events in the outbox and their delivery to listeners."))
def events_cli() -> None:
    pass


@events_cli.command("dispatch", help=N_("Deliver every due event to its listeners (run it from a "
                                     "timer, or after a crash)."))
@click.option("--batch", default=200, show_default=True, help=N_("Deliveries per round."))
@with_appcontext
def dispatch_command(batch: int) -> None:
    state = current_app.extensions["lms"]
    total = sum(count_pending(state.session()).values())
    delivered = failed = given_up = 0
    with click.progressbar(length=total, label=_("Delivering events"), file=sys.stderr) as bar:
        while True:
            report = state.dispatch_events(limit=batch)
            delivered += report.delivered
            failed += report.failed
            given_up += report.given_up
            bar.update(report.handled)
            if report.handled < batch or report.delivered == 0:
                break
    click.echo(_("Delivered %(delivered)s, failed %(failed)s (tried again later), given up "
                 "%(given_up)s.", delivered=delivered, failed=failed, given_up=given_up))
    if failed or given_up:
        sys.exit(1)


@events_cli.command("pending", help=N_("Count undelivered events per listener."))
@with_appcontext
def pending_command() -> None:
    pending = count_pending(current_app.extensions["lms"].session())
    if not pending:
        click.echo(_("Nothing is waiting for delivery."))
    for listener, count in sorted(pending.items()):
        click.echo(f"{listener}: {count}")
