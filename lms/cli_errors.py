"""A ``flask lms`` command's refusal in the site's language, framed as click frames it.

Click prints "Error: …" and "Try '… --help' for help." with the stdlib's gettext, after the
command's contexts have closed; our commands already word their refusals in
``LMS_DEFAULT_LOCALE``. The group rewords click's frame and its usual usage errors (an unknown
option or command, a missing option, a value a parameter refuses) from LMS's catalog. A
type's own reason for refusing a value (click's ``Choice``, ``Path``…) stays as click says it.
"""

from __future__ import annotations

import click
from click.exceptions import NoSuchCommand
from sqlalchemy import Engine

from lms.cli_help import N_, site_words

ERROR = N_("Error: %(message)s")
TRY_HELP = N_("Try '%(command)s --help' for help.")
NO_SUCH_OPTION = N_("No such option: %(name)s.")
NO_SUCH_COMMAND = N_("No such command: %(name)s.")
DID_YOU_MEAN = N_("Did you mean: %(names)s?")
MISSING_OPTION = N_("Missing option %(name)s.")
MISSING_ARGUMENT = N_("Missing argument %(name)s.")
INVALID_VALUE = N_("Invalid value for %(name)s: %(reason)s")
SCHEMA_BEHIND = N_("The database has no LMS tables yet, or they need an upgrade: "
                   "run 'flask lms init' first.")


class SiteLanguageError(click.ClickException):
    """What click would print for ``error``, worded when it was raised (the app and its
    language are gone by the time click prints it)."""

    def __init__(self, error: click.ClickException) -> None:
        self.exit_code = error.exit_code
        lines = []
        if isinstance(error, click.UsageError) and error.ctx is not None:
            lines += [error.ctx.get_usage(),
                      site_words(TRY_HELP) % {"command": error.ctx.command_path}, ""]
        lines.append(site_words(ERROR) % {"message": _reason(error)})
        super().__init__("\n".join(lines))

    def show(self, file=None) -> None:
        click.echo(self.message, file=file, err=True)


def _reason(error: click.ClickException) -> str:
    if isinstance(error, click.NoSuchOption | NoSuchCommand):
        if isinstance(error, click.NoSuchOption):
            text = site_words(NO_SUCH_OPTION) % {"name": repr(error.option_name)}
        else:
            text = site_words(NO_SUCH_COMMAND) % {"name": repr(error.command_name)}
        if error.possibilities:
            names = ", ".join(repr(possible) for possible in error.possibilities)
            text += ("" if text.endswith("。") else " ") + site_words(DID_YOU_MEAN) % {"names": names}
        return text
    if isinstance(error, click.BadParameter) and error.param is not None:
        name = error.param.get_error_hint(error.ctx)
        if isinstance(error, click.MissingParameter):
            missing = MISSING_ARGUMENT if error.param.param_type_name == "argument" else MISSING_OPTION
            return site_words(missing) % {"name": name}
        return site_words(INVALID_VALUE) % {"name": name, "reason": error.message}
    return error.format_message()


def reworded(error: click.ClickException) -> click.ClickException:
    return error if isinstance(error, SiteLanguageError) else SiteLanguageError(error)


def schema_refusal(engine: Engine) -> SiteLanguageError | None:
    """Advice to run ``flask lms init`` when a database error came from a schema that is
    missing or behind; None otherwise (a traceback is what a real fault needs)."""
    from lms import migrate

    if migrate.is_behind(engine):
        return SiteLanguageError(click.ClickException(site_words(SCHEMA_BEHIND)))
    return None
