"""``flask lms --help`` in the site's language (``LMS_DEFAULT_LOCALE``).

Click writes help from plain strings when it formats it, and words its own headings with the
stdlib's gettext, which follows the shell's locale rather than the site's. The commands mark
their help with ``N_`` (so ``make messages`` collects it); these classes translate it, and
click's headings, from LMS's catalog when the help is shown.
"""

from __future__ import annotations

import inspect
import re
from contextlib import ExitStack

import click
from flask import current_app, has_app_context
from flask.cli import ScriptInfo
from flask_babel import force_locale

from lms.cli_help_format import CJK, LmsContext, width


def N_(text: str) -> str:  # noqa: N802 - the gettext convention for "translate when shown"
    """Mark a help text for the catalog; it is translated when the help is shown."""
    return text


#: Click's own words in a help page, for our catalog (click words them with the stdlib's gettext).
USAGE = N_("Usage:")
OPTIONS = N_("Options")
COMMANDS = N_("Commands")
REQUIRED = N_("required")
DEFAULT = N_("default: %(value)s")
HELP_OPTION = N_("Show this message and exit.")


def site_words(text: str) -> str:
    """``text`` from LMS's catalog in ``LMS_DEFAULT_LOCALE``; as written outside an LMS app."""
    if not text:
        return text
    with ExitStack() as stack:
        if not has_app_context():  # ``flask lms --help`` is written before any command runs
            info = _script_info()
            if info is None:
                return text
            stack.enter_context(info.load_app().app_context())
        if "lms" not in current_app.extensions:
            return text
        stack.enter_context(force_locale(current_app.config["LMS_DEFAULT_LOCALE"]))
        return current_app.extensions["lms"].translations.gettext(text)


def _script_info() -> ScriptInfo | None:
    context = click.get_current_context(silent=True)
    return context.find_object(ScriptInfo) if context is not None else None


def short_help(text: str, limit: int) -> str:
    """The first sentence, cut to ``limit`` columns (a CJK character takes two) with "..."."""
    first = re.split(r"(?<=[。；！？])|(?<=\.)\s", text.strip(), maxsplit=1)[0].rstrip("。")
    if width(first) <= limit:
        return first
    cut = ""
    for char in first:
        if width(cut + char) > limit - 3:
            break
        cut += char
    if not CJK.search(cut) and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # English is cut between words
    return cut + "..."


class SiteLanguageHelp:
    """Help, usage and option texts of a command, worded in the site's language."""

    context_class = LmsContext

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)
        prefix = site_words(USAGE)
        formatter.write_usage(ctx.command_path, " ".join(pieces),
                              prefix=prefix if prefix.endswith("：") else prefix + " ")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.help:
            text = inspect.cleandoc(site_words(self.help)).partition("\f")[0]
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(text)

    def get_short_help_str(self, limit: int = 45) -> str:
        return short_help(inspect.cleandoc(site_words(self.help or "")), limit)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [_option_row(ctx, param) for param in self.get_params(ctx)
                if isinstance(param, click.Option) and not param.hidden]
        if rows:
            with formatter.section(site_words(OPTIONS)):
                formatter.write_dl(rows)


def _option_row(ctx: click.Context, option: click.Option) -> tuple[str, str]:
    help_text = site_words(HELP_OPTION) if option.name == "help" else site_words(option.help or "")
    extra = option.get_help_extra(ctx)
    notes = []
    if "default" in extra:
        notes.append(site_words(DEFAULT) % {"value": extra["default"]})
    if "range" in extra:
        notes.append(extra["range"])
    if "required" in extra:
        notes.append(site_words(REQUIRED))
    if notes:
        separator = "；" if CJK.search(help_text + notes[0]) else "; "
        help_text = f"{help_text}  [{separator.join(notes)}]".strip()
    return option.get_help_spec(ctx), help_text


class LmsCommand(SiteLanguageHelp, click.Command):
    """A ``flask lms`` command whose help follows the site's language."""


class LmsGroup(SiteLanguageHelp, click.Group):
    """A ``flask lms`` group: its commands and subgroups word their help the same way."""

    command_class = LmsCommand
    group_class = type

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        SiteLanguageHelp.format_options(self, ctx, formatter)
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _command in rows)
            with formatter.section(site_words(COMMANDS)):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])
