"""``flask lms plugins``: what this app has loaded, and from which distribution.

After ``pip install`` of a plugin an operator wants to see that the running app picked it up
(and which version) without reading entry-point metadata by hand.
"""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from lms.cli_help import N_, LmsCommand
from lms.plugins import PluginEntry


def loaded_entries() -> list[PluginEntry]:
    """Question types, then listeners and handlers where the app keeps such registries."""
    state = current_app.extensions["lms"]
    entries = list(state.question_types.entries())
    for attribute in ("listeners", "handlers"):
        registry_entries = getattr(getattr(state, attribute, None), "entries", None)
        if callable(registry_entries):
            entries.extend(registry_entries())
    return entries


@click.command("plugins", cls=LmsCommand,
               help=N_("List question types, listeners and handlers with where each came from."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON."))
@with_appcontext
def plugins_command(as_json: bool) -> None:
    entries = loaded_entries()
    if as_json:
        click.echo(json.dumps([entry._asdict() for entry in entries], ensure_ascii=False,
                              indent=2))
        return
    kind_width = max((len(entry.kind) for entry in entries), default=0)
    name_width = max((len(entry.name) for entry in entries), default=0)
    for entry in entries:
        click.echo(f"{entry.kind:<{kind_width}}  {entry.name:<{name_width}}  {entry.source}")
