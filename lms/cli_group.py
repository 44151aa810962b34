"""The ``flask lms`` group as an app registers it: the commands are imported when one runs.

``lms.cli`` and its commands import Alembic (with Mako and Pygments), SMTP, demo data and every
service a command uses; a web worker needs none of it, so ``init_app`` registers this stand-in.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import DatabaseError

from lms.cli_help import N_, LmsGroup

HELP = N_("党建培训学堂 administration commands.")


@with_appcontext
def _speak_the_site_language() -> None:
    """Every command's words in ``LMS_DEFAULT_LOCALE`` from LMS's own catalog, as a host app's
    Babel may look elsewhere; the app context and the locale last until the command ends."""
    from flask_babel import force_locale

    current_app.extensions["lms"].translations.as_default()
    click.get_current_context().with_resource(force_locale(current_app.config["LMS_DEFAULT_LOCALE"]))


class LmsCommands(LmsGroup):
    """``flask lms``: lists and finds the commands of ``lms.cli`` once someone asks."""

    def __init__(self) -> None:
        super().__init__("lms", help=HELP, callback=_speak_the_site_language)

    @staticmethod
    def _commands() -> click.Group:
        from lms.cli import lms_cli

        return lms_cli

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._commands().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._commands().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        """Run the command; a refusal is worded here, while the app's language is known."""
        try:
            return super().invoke(ctx)
        except click.ClickException as error:
            from lms.cli_errors import reworded

            raise reworded(error) from error
        except DatabaseError as error:
            from lms.cli_errors import schema_refusal

            refusal = schema_refusal(current_app.extensions["lms"].engine)
            if refusal is None:
                raise
            raise refusal from error
